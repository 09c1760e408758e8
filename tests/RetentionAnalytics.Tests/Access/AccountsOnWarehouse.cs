using Microsoft.Extensions.Logging.Abstractions;
using RetentionAnalytics.Core.Audit;
using RetentionAnalytics.Core.Tasks;
using RetentionAnalytics.Portal.Features.Access;
using RetentionAnalytics.Portal.Features.Accounts;
using RetentionAnalytics.Tests.Support;

namespace RetentionAnalytics.Tests.Access;

/// <summary>The account, session and sign-in services of the portal on a real warehouse file.</summary>
public sealed class AccountsOnWarehouse : IDisposable
{
    public TestWarehouse Warehouse { get; } = new();
    public AuthOptions Options { get; }
    public AuditLog Audit { get; }
    public SessionStore Sessions { get; }
    public AccountStore Accounts { get; }
    public SignInService SignIn { get; }

    public AccountsOnWarehouse(bool demoMode = true)
    {
        // portal SQL names columns in snake_case, as WarehouseSetup configures Dapper for the portal
        Dapper.DefaultTypeMap.MatchNamesWithUnderscores = true;
        Options = new AuthOptions { DemoMode = demoMode };
        Audit = new AuditLog(Warehouse.Db);
        Sessions = new SessionStore(Warehouse.Db, Options);
        Accounts = new AccountStore(Warehouse.Db, Audit, Sessions, Options);
        SignIn = new SignInService(Accounts, new LdapDirectory(Options, NullLogger<LdapDirectory>.Instance), new GroupRoleMapper([]), Audit, Options);
    }

    public int Seed() => DemoAccounts.SeedIfEmpty(new TeamSeeder(Warehouse.Db), Accounts, Options);

    public void Dispose() => Warehouse.Dispose();
}
