using Dapper;
using Npgsql;
using RetentionAnalytics.Core.Warehouse;
using RetentionAnalytics.Portal.Features.Access;
using RetentionAnalytics.Tests.Support;

namespace RetentionAnalytics.Tests.Access;

/// <summary>
/// With the operational data on PostgreSQL the sign-in throttle counts on the server: two portal nodes see the same
/// failures and the same locks, and attempts on both at once lose no failure.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class SharedThrottleTests(PostgresServer postgres)
{
    private const string Password = "Retention-2026";

    [SkippableFact]
    public void Failures_on_two_nodes_add_up_and_the_lock_holds_on_both_until_it_ends()
    {
        postgres.SkipUnlessAvailable();
        var ops = new OpsOptions { Provider = OpsOptions.Postgres, ConnectionString = postgres.CreateDatabase() };
        using var nodeA = new AccountsOnWarehouse(ops: ops);
        using var nodeB = new AccountsOnWarehouse(ops: ops);
        nodeB.Clock.Now = nodeA.Clock.Now;
        nodeA.Seed();

        // 2 + 2 wrong passwords on two nodes: not yet the 5 that lock a name
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(new SignInOutcome.Failed("SignInInvalid"), nodeA.SignIn.Authenticate("leader", "wrong", $"203.0.113.{i}"));
            Assert.Equal(new SignInOutcome.Failed("SignInInvalid"), nodeB.SignIn.Authenticate("leader", "wrong", $"198.51.100.{i}"));
        }
        Assert.False(nodeB.Throttle.IsNameLocked("leader"));
        Assert.Equal(new SignInOutcome.Failed("SignInInvalid"), nodeA.SignIn.Authenticate("leader", "wrong", "203.0.113.9"));

        // the fifth, on node A, locks the name on node B too: even the right password from a new browser is refused
        Assert.True(nodeB.Throttle.IsNameLocked("leader"));
        Assert.Equal(new SignInOutcome.Failed("SignInLocked"), nodeB.SignIn.Authenticate("leader", Password, "192.0.2.1"));
        Assert.IsType<SignInOutcome.Succeeded>(nodeB.SignIn.Authenticate("analyst", Password, "192.0.2.1"));

        // the first lock lasts a minute, on every node's clock
        nodeA.Clock.Advance(TimeSpan.FromSeconds(61));
        nodeB.Clock.Advance(TimeSpan.FromSeconds(61));
        Assert.False(nodeA.Throttle.IsNameLocked("leader"));
        Assert.IsType<SignInOutcome.Succeeded>(nodeB.SignIn.Authenticate("leader", Password, "192.0.2.1"));
        // the right password started the name again: its counter is gone from the shared table
        using var pg = new NpgsqlConnection(ops.ConnectionString);
        Assert.Equal(0, pg.ExecuteScalar<long>("select count(*) from ops.sign_in_counter where counter_key = 'n:leader'"));
        Assert.Equal(1, pg.ExecuteScalar<long>("select count(*) from ops.sign_in_counter where counter_key = 'a:203.0.113.9'"));
    }

    [SkippableFact]
    public void Attempts_on_two_nodes_at_once_lose_no_failure()
    {
        postgres.SkipUnlessAvailable();
        var ops = new OpsOptions { Provider = OpsOptions.Postgres, ConnectionString = postgres.CreateDatabase() };
        using var nodeA = new AccountsOnWarehouse(ops: ops);
        using var nodeB = new AccountsOnWarehouse(ops: ops);
        nodeB.Clock.Now = nodeA.Clock.Now;

        // 19 failures from one address, spread over two nodes and many threads: one short of the address limit (20)
        Parallel.For(0, 19, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
            (i % 2 == 0 ? nodeA : nodeB).Throttle.Failed($"name{i}", "203.0.113.50", trustedDevice: null));
        using var pg = new NpgsqlConnection(ops.ConnectionString);
        Assert.Equal(19, pg.ExecuteScalar<int>("select cardinality(failures) from ops.sign_in_counter where counter_key = 'a:203.0.113.50'"));
        Assert.IsType<ThrottleVerdict.Allowed>(nodeA.Throttle.Check("someone", "203.0.113.50", null));

        nodeB.Throttle.Failed("name19", "203.0.113.50", trustedDevice: null);
        Assert.IsType<ThrottleVerdict.AddressThrottled>(nodeA.Throttle.Check("someone", "203.0.113.50", null));
        Assert.IsType<ThrottleVerdict.AddressThrottled>(nodeB.Throttle.Check("else", "203.0.113.50", null));
    }
}
