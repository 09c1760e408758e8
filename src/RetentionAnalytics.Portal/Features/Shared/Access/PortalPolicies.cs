using Microsoft.AspNetCore.Authorization;

namespace RetentionAnalytics.Portal.Features.Shared.Access;

/// <summary>
/// Who may use which part of the portal, by role. Pages declare <c>@attribute [Authorize(Policy = PortalPolicies.X)]</c>,
/// endpoints <c>.RequireAuthorization(PortalPolicies.X)</c>, the navigation shows an entry through the same policy.
/// Everything else needs a signed-in user (the fallback policy); region scope is applied by the queries.
/// </summary>
public static class PortalPolicies
{
    /// <summary>Fixed reports and the KPI overview.</summary>
    public const string Reports = "reports";

    /// <summary>Call lists: distribute and watch tasks.</summary>
    public const string CallLists = "call-lists";

    /// <summary>An agent's own tasks.</summary>
    public const string MyTasks = "my-tasks";

    /// <summary>Customer search and the customer 360 page.</summary>
    public const string Customers = "customers";

    /// <summary>Analysts' own reminder rules (scenario 16); administrators see and change every rule.</summary>
    public const string CustomRules = "custom-rules";

    /// <summary>System management: users, teams, regions, schedules, loads, audit log.</summary>
    public const string Administration = "administration";

    /// <summary>Multidimensional analysis: cubes and saved views.</summary>
    public const string Analysis = "analysis";

    /// <summary>The task page: the agent who holds the task, or a supervisor of its region (read-only).</summary>
    public const string TaskPage = "task-page";

    /// <summary>The departments' work-order queue: supervisors (who also approve credits) and administrators.</summary>
    public const string WorkOrders = "work-orders";

    /// <summary>Questionnaires: versions, drafts, publishing.</summary>
    public const string Questionnaires = "questionnaires";

    /// <summary>Retention offers and their eligibility rules.</summary>
    public const string OfferRules = "offer-rules";

    /// <summary>The offers JSON endpoint for other systems and the workbench.</summary>
    public const string OffersApi = "offers-api";

    /// <summary>New-subscriber callbacks and special-retention campaigns.</summary>
    public const string Campaigns = "campaigns";

    /// <summary>Bulk SMS: templates, sends, approvals, history.</summary>
    public const string Sms = "sms";

    /// <summary>The do-not-contact list and the CSV imports (blacklist, handsets).</summary>
    public const string Blacklist = "blacklist";

    /// <summary>The material library: every role opens it; each material names the roles that see it.</summary>
    public const string Materials = "materials";

    /// <summary>Uploading materials and new versions.</summary>
    public const string MaterialsManage = "materials-manage";

    public static readonly IReadOnlyDictionary<string, string[]> RolesOf = new Dictionary<string, string[]>
    {
        [Reports] = [PortalRoles.ProvincialLeader, PortalRoles.CityManager, PortalRoles.Analyst, PortalRoles.GeneralUser],
        [CallLists] = [PortalRoles.Supervisor],
        [MyTasks] = [PortalRoles.Agent],
        [Customers] = [PortalRoles.Agent, PortalRoles.Supervisor, PortalRoles.Analyst, PortalRoles.ProvincialLeader, PortalRoles.CityManager],
        [CustomRules] = [PortalRoles.Analyst, PortalRoles.Administrator],
        [Administration] = [PortalRoles.Administrator],
        [Analysis] = [PortalRoles.Analyst, PortalRoles.ProvincialLeader, PortalRoles.CityManager, PortalRoles.Administrator],
        [TaskPage] = [PortalRoles.Agent, PortalRoles.Supervisor],
        [WorkOrders] = [PortalRoles.Supervisor, PortalRoles.Administrator],
        [Questionnaires] = [PortalRoles.Administrator, PortalRoles.Supervisor],
        [OfferRules] = [PortalRoles.Administrator],
        [OffersApi] = [PortalRoles.Agent, PortalRoles.Supervisor, PortalRoles.Administrator],
        [Campaigns] = [PortalRoles.Supervisor, PortalRoles.Administrator],
        [Sms] = [PortalRoles.Supervisor, PortalRoles.Administrator],
        [Blacklist] = [PortalRoles.Supervisor, PortalRoles.Administrator],
        [Materials] = [.. PortalRoles.All],
        [MaterialsManage] = [PortalRoles.Supervisor, PortalRoles.Administrator],
    };

    public static void Add(AuthorizationOptions options)
    {
        // default deny: every page and endpoint needs a signed-in user unless it says [AllowAnonymous]
        options.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build();
        foreach (var (policy, roles) in RolesOf)
        {
            options.AddPolicy(policy, p => p.RequireAuthenticatedUser().RequireRole(roles));
        }
    }
}
