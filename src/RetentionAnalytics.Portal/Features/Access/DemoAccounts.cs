using RetentionAnalytics.Core.Tasks;
using RetentionAnalytics.Portal.Features.Accounts;
using RetentionAnalytics.Portal.Features.Shared.Access;

namespace RetentionAnalytics.Portal.Features.Access;

/// <summary>
/// The demo accounts of every workstream (one per role, sample province), with the documented password, created
/// only when ops.app_user is empty. They carry must_change_password: outside demo mode they must change it first.
/// The teams and agents come from the one team seed (data-samples/ops/teams.yaml) that call-list generation uses.
/// </summary>
public static class DemoAccounts
{
    public sealed record Demo(string Username, string DisplayName, string[] Roles, bool Province, string[] Cities, string? TeamId);

    public static readonly IReadOnlyList<Demo> All =
    [
        new("admin", "Administrator", [PortalRoles.Administrator], true, [], null),
        new("leader", "Provincial leader", [PortalRoles.ProvincialLeader], true, [], null),
        new("manager.hz", "City manager Hangzhou", [PortalRoles.CityManager], false, ["571"], null),
        new("manager.nb", "City manager Ningbo", [PortalRoles.CityManager], false, ["574"], null),
        new("analyst", "Service analyst", [PortalRoles.Analyst], true, [], null),
        new("user", "General user", [PortalRoles.GeneralUser], true, [], null),
        new("supervisor.hz", "Retention supervisor Hangzhou", [PortalRoles.Supervisor], false, ["571"], "T571-RET"),
        new("agent.hz1", "Retention agent Hangzhou 1", [PortalRoles.Agent], false, ["571"], "T571-RET"),
        new("agent.hz2", "Retention agent Hangzhou 2", [PortalRoles.Agent], false, ["571"], "T571-RET"),
    ];

    /// <summary>Seeds when no account exists; returns how many accounts were created.</summary>
    public static int SeedIfEmpty(TeamSeeder teams, AccountStore accounts, AuthOptions options)
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
                    demo.Roles.Contains(PortalRoles.Supervisor) ? demo.TeamId : null, "en"),
                options.DemoPassword, mustChange: true, demoSeed: true);
        }
        return All.Count;
    }
}
