using RetentionAnalytics.Core.Access;
using RetentionAnalytics.Core.Accounts;

namespace RetentionAnalytics.Portal.Features.Shared.Access;

/// <summary>The role names the portal knows (<see cref="AccountRoles"/>); a user may hold several.</summary>
public static class PortalRoles
{
    public const string Administrator = AccountRoles.Administrator;
    public const string ProvincialLeader = AccountRoles.ProvincialLeader;
    public const string CityManager = AccountRoles.CityManager;
    public const string Analyst = AccountRoles.Analyst;
    public const string GeneralUser = AccountRoles.GeneralUser;
    public const string Supervisor = AccountRoles.Supervisor;
    public const string Agent = AccountRoles.Agent;

    public static readonly IReadOnlyList<string> All = AccountRoles.All;

    /// <summary>
    /// The roles whose pages only read the warehouse (reports, cubes, customer pages, materials); what they save lives in
    /// the operational data. A standby serves a user whose every role is one of these (docs/deploy.md).
    /// </summary>
    public static readonly IReadOnlySet<string> Reading = new HashSet<string>(StringComparer.Ordinal) { ProvincialLeader, CityManager, Analyst, GeneralUser };
}

/// <summary>
/// The signed-in user of the current request or circuit, as every feature sees it. Features never read claims
/// themselves: they ask for the scope and roles here and pass <see cref="Scope"/> to their queries.
/// </summary>
public interface ICurrentUser
{
    /// <summary>Null when nobody is signed in.</summary>
    string? Username { get; }

    IReadOnlySet<string> Roles { get; }

    /// <summary>The regions this user may read; <see cref="RegionScope.None"/> when anonymous or unscoped.</summary>
    RegionScope Scope { get; }

    /// <summary>The retention team of an agent or supervisor.</summary>
    string? TeamId { get; }

    /// <summary>Client address for the audit log.</summary>
    string? ClientIp { get; }

    bool IsInRole(string role) => Roles.Contains(role);

    /// <summary>Full phone numbers and ids for roles that work with customers; others see them masked.</summary>
    bool SeesUnmaskedIdentifiers => IsInRole(PortalRoles.Agent) || IsInRole(PortalRoles.Supervisor);
}
