using RetentionAnalytics.Portal.Features.Shared.Access;

namespace RetentionAnalytics.Portal.Features.Access;

/// <summary>Where <c>/</c> sends each role: the reports roles to the KPI overview, supervisors to their call lists,
/// agents to their tasks, administrators to operations. A user with several roles gets the first that applies.</summary>
public static class StartPages
{
    public const string Overview = "/overview";
    public const string CallLists = "/call-lists";
    public const string MyTasks = "/my-tasks";
    public const string Operations = "/operations";
    public const string NoAccess = "/status/403";

    public static string For(IReadOnlySet<string> roles) =>
        roles.Contains(PortalRoles.ProvincialLeader) || roles.Contains(PortalRoles.CityManager)
        || roles.Contains(PortalRoles.GeneralUser) || roles.Contains(PortalRoles.Analyst) ? Overview
        : roles.Contains(PortalRoles.Supervisor) ? CallLists
        : roles.Contains(PortalRoles.Agent) ? MyTasks
        : roles.Contains(PortalRoles.Administrator) ? Operations
        : NoAccess;
}
