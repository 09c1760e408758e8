using System.Globalization;
using Microsoft.Extensions.Localization;
using RetentionAnalytics.Core.Exports;
using RetentionAnalytics.Core.Regions;
using RetentionAnalytics.Core.Workbench;
using RetentionAnalytics.Portal.Features.Shared.Access;
using RetentionAnalytics.Portal.Features.Shared.Exports;
using RetentionAnalytics.Portal.Features.Shared.Localization;
using RetentionAnalytics.Portal.Features.Telephony;

namespace RetentionAnalytics.Portal.Features.Workbench;

public static class WorkbenchSetup
{
    /// <summary>
    /// The supervisor's call lists (/call-lists), the agent's queue, task page and callbacks (/my-tasks…) and the work
    /// orders (/work-orders). Calling hours and attempts from the <c>Workbench</c> configuration section; the province's
    /// time zone and per-city overrides are the warehouse's <c>Region</c> (calling hours, SMS quiet hours and callbacks read it).
    /// </summary>
    public static WebApplicationBuilder AddWorkbench(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection("Workbench").Get<WorkbenchOptions>() ?? new WorkbenchOptions();
        builder.Services.AddWorkbench(options);
        builder.AddTelephony();
        return builder;
    }

    /// <summary>
    /// <c>GET /api/work-orders</c>: the work orders of the user's regions as JSON (supervisors and administrators);
    /// <c>GET /api/call-lists/export</c> and <c>/api/work-orders/export</c>: the supervisor's task list and the work orders with
    /// the page's filters as Excel or CSV, audited.
    /// </summary>
    public static WebApplication MapWorkbench(this WebApplication app)
    {
        app.MapTelephony();
        app.MapGet("/api/work-orders", (WorkOrders orders, ICurrentUser user) => Results.Ok(orders.List(user.ToActor(), all: true)))
            .RequireAuthorization(PortalPolicies.WorkOrders);
        app.MapGet("/api/work-orders/export", (string? department, string? status, string? format, WorkOrders orders, IExporter exporter,
                RegionClock clock, IStringLocalizer<WorkbenchResource> t, IStringLocalizer<SharedResource> l, ICurrentUser user) =>
            {
                var readAt = ExportDownload.ReadAt(clock);
                var list = orders.List(user.ToActor(), new WorkOrderFilter(Department: department, Status: status), all: true);
                return ExportDownload.File(exporter, WorkOrderExport.Table(list, department, status, t, l["NavWorkOrders"]).ReadLive(readAt),
                    format, user, "work-orders");
            })
            .RequireAuthorization(PortalPolicies.WorkOrders);
        app.MapGet("/api/call-lists/export", ([AsParameters] CallListQuery query, SupervisorDesk desk, ScenarioNames scenarios, IExporter exporter,
                RegionClock clock, IStringLocalizer<WorkbenchResource> t, IStringLocalizer<SharedResource> l, ICurrentUser user) =>
            {
                var actor = user.ToActor();
                var readAt = ExportDownload.ReadAt(clock);
                var tasks = desk.Tasks(actor, query.ToFilter());
                var table = CallListExport.Table(tasks, query, t, l["NavCallLists"], scenarios.For(actor.Language)).ReadLive(readAt);
                return ExportDownload.File(exporter, table, query.Format, user, "call-list" + (query.Campaign is { } id ? $":{id}" : ""));
            })
            .RequireAuthorization(PortalPolicies.CallLists);
        return app;
    }

    /// <summary>The signed-in user as the workbench services see them: agent, or supervisor of their regions.</summary>
    public static Actor ToActor(this ICurrentUser user) => new(
        user.Username ?? "", user.Username is null ? Core.Access.RegionScope.None : user.Scope,
        user.IsInRole(PortalRoles.Supervisor), user.ClientIp, PortalLanguage.Current);

    /// <summary>
    /// A refused action in the user's language, from its code (identifiers only, never customer data); calling-hour
    /// refusals name the hours on the customer's clock, <paramref name="zone"/> (see <see cref="WorkbenchText.ZoneLabel"/>), and
    /// a credit refused as too large the largest one allowed ({3}), a description too long its longest ({4}).
    /// </summary>
    public static string Message(this IStringLocalizer<WorkbenchResource> t, WorkbenchException ex, WorkbenchOptions options, string zone) =>
        t[$"Error_{ex.Code}"] is { ResourceNotFound: false } text
            ? string.Format(CultureInfo.CurrentCulture, text.Value, options.CallingFrom.ToString("HH:mm", CultureInfo.InvariantCulture),
                options.CallingUntil.ToString("HH:mm", CultureInfo.InvariantCulture), zone, options.MaxGoodwillCredit.ToString("N2", CultureInfo.CurrentCulture),
                WorkOrders.MaxDescription.ToString("N0", CultureInfo.CurrentCulture))
            : ex.Code;

    /// <summary>A stored code (status, outcome, result, department) in the user's language.</summary>
    public static string Term(this IStringLocalizer<WorkbenchResource> t, string group, string? code) =>
        code is null ? ""
        : t[$"{group}_{code}"] is { ResourceNotFound: false } text ? text.Value
        : code;
}
