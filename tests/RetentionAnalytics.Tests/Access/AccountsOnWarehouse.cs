using Microsoft.Extensions.Logging.Abstractions;
using RetentionAnalytics.Core.Accounts;
using RetentionAnalytics.Core.Audit;
using RetentionAnalytics.Core.Tasks;
using RetentionAnalytics.Core.Warehouse;
using RetentionAnalytics.Portal.Features.Access;
using RetentionAnalytics.Tests.Support;

namespace RetentionAnalytics.Tests.Access;

/// <summary>The account, session and sign-in services of the portal on a real warehouse file, with a clock the test moves.</summary>
public sealed class AccountsOnWarehouse : IDisposable
{
    public TestWarehouse Warehouse { get; }
    public AuthOptions Options { get; }
    public AuditLog Audit { get; }
    public SessionStore Sessions { get; }
    public AccountStore Accounts { get; }
    public TestClock Clock { get; } = new();
    public SignInThrottle Throttle { get; }
    public SignInService SignIn { get; }

    /// <param name="ops">Where the operational data lives; null: in the warehouse file (the default provider).</param>
    public AccountsOnWarehouse(bool demoMode = true, OpsOptions? ops = null)
    {
        Warehouse = new TestWarehouse(ops: ops);
        // portal SQL names columns in snake_case, as WarehouseSetup configures Dapper for the portal
        Dapper.DefaultTypeMap.MatchNamesWithUnderscores = true;
        Options = new AuthOptions { DemoMode = demoMode };
        Audit = new AuditLog(Warehouse.Db);
        Sessions = new SessionStore(Warehouse.Db, Options);
        Accounts = new AccountStore(Warehouse.Db, Audit, new PasswordPolicy(Options.MinPasswordLength, Options.DemoPassword));
        Throttle = new SignInThrottle(Options, Clock, Warehouse.Db);
        SignIn = new SignInService(Accounts, new LdapDirectory(Options, NullLogger<LdapDirectory>.Instance), new GroupRoleMapper([]), Audit, Options, Throttle);
    }

    public int Seed() => DemoAccounts.SeedIfEmpty(new TeamSeeder(Warehouse.Db), Accounts, Options.DemoPassword);

    public void Dispose() => Warehouse.Dispose();
}

/// <summary>A clock that stands still until the test moves it.</summary>
public sealed class TestClock : TimeProvider
{
    public DateTimeOffset Now { get; set; } = new(2026, 10, 31, 8, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() => Now;

    public void Advance(TimeSpan by) => Now += by;
}
