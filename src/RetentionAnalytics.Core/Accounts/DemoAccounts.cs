using RetentionAnalytics.Core.Tasks;

namespace RetentionAnalytics.Core.Accounts;

/// <summary>
/// The demo accounts of every workstream (one per role, sample province), with the documented password, created
/// only when ops.app_user is empty — by the portal's first start or by <c>ra init</c>, in demo mode. They carry
/// must_change_password: outside demo mode they must change it first. The teams and agents come from the one team
/// seed (data-samples/ops/teams.yaml) that call-list generation uses.
/// </summary>
public static class DemoAccounts
{
    public sealed record Demo(string Username, string DisplayName, string[] Roles, bool Province, string[] Cities, string? TeamId);

    public static readonly IReadOnlyList<Demo> All =
    [
        new("admin", "Administrator", [AccountRoles.Administrator], true, [], null),
        new("leader", "Provincial leader", [AccountRoles.ProvincialLeader], true, [], null),
        new("manager.hz", "City manager Hangzhou", [AccountRoles.CityManager], false, ["571"], null),
        new("manager.nb", "City manager Ningbo", [AccountRoles.CityManager], false, ["574"], null),
        new("analyst", "Service analyst", [AccountRoles.Analyst], true, [], null),
        new("user", "General user", [AccountRoles.GeneralUser], true, [], null),
        new("supervisor.hz", "Retention supervisor Hangzhou", [AccountRoles.Supervisor], false, ["571"], "T571-RET"),
        new("agent.hz1", "Hangzhou retention agent 1", [AccountRoles.Agent], false, ["571"], "T571-RET"),
        new("agent.hz2", "Hangzhou retention agent 2", [AccountRoles.Agent], false, ["571"], "T571-RET"),
    ];

    /// <summary>Seeds when no account exists; returns how many accounts were created.</summary>
    public static int SeedIfEmpty(TeamSeeder teams, AccountStore accounts, string demoPassword)
    {
        if (accounts.Count() > 0)
        {
            return 0;
        }
        teams.EnsureSeeded();
        foreach (var demo in All)
        {
            accounts.Create("system", demo.Username,
                new AccountProfile(demo.DisplayName, demo.Roles, demo.Province, demo.Cities,
                    demo.Roles.Contains(AccountRoles.Supervisor) ? demo.TeamId : null, "en"),
                demoPassword, mustChange: true, demoSeed: true);
        }
        return All.Count;
    }
}
