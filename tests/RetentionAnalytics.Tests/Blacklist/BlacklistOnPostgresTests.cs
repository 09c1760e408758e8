using RetentionAnalytics.Core.Tasks;
using RetentionAnalytics.Tests.Support;
using RetentionAnalytics.Tests.Tasks;

namespace RetentionAnalytics.Tests.Blacklist;

/// <summary>
/// With the blacklist in PostgreSQL, the call lists (made in the warehouse) still leave out whoever may not be called:
/// the same cases as <see cref="CallListTests"/> on the default provider.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class BlacklistOnPostgresTests(PostgresServer postgres)
{
    [SkippableTheory]
    [InlineData("call", "request", 0, "blacklist")]         // valid until today: still in force
    [InlineData("both", "legal", null, "blacklist")]        // no expiry
    [InlineData("call", "opt_out", null, "opt_out")]
    [InlineData("sms", "opt_out", null, null)]              // an SMS opt-out does not forbid a call
    [InlineData("call", "request", -1, null)]               // expired yesterday
    public void A_blacklist_entry_in_PostgreSQL_excludes_from_the_call_lists_while_it_is_in_force_for_calls(
        string scope, string reason, int? validDays, string? expected)
    {
        postgres.SkipUnlessAvailable();
        using var w = new CallListWorld(postgres.NewOps()).Scenario("s05_arrears").Subscriber("S1").Subscriber("S2")
            .Alert("s05_arrears", "S1", 0.7).Alert("s05_arrears", "S2", 0.6)
            .Blacklist("S1", scope, reason, validDays is { } d ? CallListWorld.Today.AddDays(d) : null);
        Assert.Equal(0L, w.W.Scalar<long>("select count(*) from ops.blacklist"));

        w.Generate(new CallListOptions { Holdout = 0 });

        var members = w.Members("s05_arrears:2026-10").ToDictionary(m => m.SubscriberId);
        Assert.Equal(expected, members["S1"].ExcludedReason);
        Assert.Equal(expected is null ? "treated" : "excluded", members["S1"].MemberGroup);
        Assert.Equal("treated", members["S2"].MemberGroup);
        Assert.Equal(expected is null ? ["S1", "S2"] : ["S2"], w.Tasks().Select(t => t.SubscriberId).Order());
    }
}
