using System.Globalization;
using Microsoft.Extensions.Localization;
using RetentionAnalytics.Core.Exports;
using RetentionAnalytics.Core.Workbench;
using RetentionAnalytics.Portal.Features.Shared.Exports;

namespace RetentionAnalytics.Portal.Features.Workbench;

/// <summary>The call-list page's filters as they travel in the export link.</summary>
public sealed record CallListQuery(
    long? Campaign, string? Status, string? Agent, string? City, string? Scenario, string? Subscriber, string? Format)
{
    public TaskFilter ToFilter() => new(Campaign, Status, Agent, City, Scenario, Subscriber);

    /// <summary>The export link for the page's current filters.</summary>
    public string ExportPath(string format) => ExportDownload.Path("api/call-lists/export", format,
        ("campaign", Campaign?.ToString(CultureInfo.InvariantCulture)), ("status", Status), ("agent", Agent), ("city", City),
        ("scenario", Scenario), ("subscriber", Subscriber));
}

/// <summary>
/// The supervisor's task list as the page's grid shows it: same rows, the same facts by name (customer, agent, tier,
/// city, scenarios), the filters in the header.
/// </summary>
public static class CallListExport
{
    public static ExportTable Table(IReadOnlyList<SupervisedTask> tasks, CallListQuery query, IStringLocalizer<WorkbenchResource> t, string title,
        IReadOnlyDictionary<string, string> scenarioNames)
    {
        var filters = ExportFilter.Shown(
            (t["Campaign"], tasks.FirstOrDefault(x => x.CampaignId == query.Campaign)?.CampaignName ?? query.Campaign?.ToString(CultureInfo.InvariantCulture)),
            (t["Status"], query.Status is { } s ? t.Term("Status", s) : null),
            (t["Agent"], query.Agent == "-" ? t["Unassigned"].Value : tasks.FirstOrDefault(x => x.AssignedTo == query.Agent)?.AgentName ?? query.Agent),
            (t["City"], tasks.FirstOrDefault(x => x.CityCode == query.City)?.CityName ?? query.City),
            (t["Scenario"], query.Scenario is { } scenario ? scenarioNames.GetValueOrDefault(scenario, scenario) : null),
            (t["Subscriber"], query.Subscriber));
        ExportColumn[] columns =
        [
            new(t["Task"], ColumnFormat.Integer), new(t["Subscriber"]), new(t["Customer"]), new(t["Campaign"]), new(t["Status"]),
            new(t["Agent"]), new(t["Score"], ColumnFormat.Decimal), new(t["Priority"], ColumnFormat.Integer),
            new(t["DueDate"], ColumnFormat.Date), new(t["ValueTier"]), new(t["City"]), new(t["Scenarios"]),
            new(t["Attempts"], ColumnFormat.Integer),
        ];
        var rows = tasks.Select(x => new ExportRow(
        [
            x.TaskId, x.SubscriberId, x.CustomerName, x.CampaignName, t.Term("Status", x.Status), x.AgentName ?? x.AssignedTo,
            x.PriorityScore, x.Priority, x.DueDate, t.Term("Tier", x.ValueTier), x.CityName ?? x.CityCode,
            string.Join(" · ", ScenarioNames.Of(x.ScenarioIds, scenarioNames)), x.Attempts,
        ]));
        return new ExportTable(title, filters, null, columns, rows, tasks.Count);
    }
}

/// <summary>The work-orders page's list as its grid shows it, with the department and status filters in the header.</summary>
public static class WorkOrderExport
{
    public static ExportTable Table(IReadOnlyList<WorkOrder> orders, string? department, string? status, IStringLocalizer<WorkbenchResource> t, string title)
    {
        var filters = ExportFilter.Shown((t["Department"], t.Term("Department", department)), (t["Status"], t.Term("OrderStatus", status)));
        ExportColumn[] columns =
        [
            new(t["WorkOrder"], ColumnFormat.Integer), new(t["Task"], ColumnFormat.Integer), new(t["Subscriber"]), new(t["City"]),
            new(t["Department"]), new(t["Status"]), new(t["Amount"], ColumnFormat.Money), new(t["Description"]),
            new(t["CreatedBy"]), new(t["UpdatedAt"], ColumnFormat.Timestamp),
        ];
        var rows = orders.Select(o => new ExportRow(
        [
            o.WorkOrderId, o.TaskId, o.SubscriberId, o.CityCode, t.Term("Department", o.Department), t.Term("OrderStatus", o.Status),
            o.Amount, o.Description, o.CreatedByName ?? o.CreatedBy, o.UpdatedAt,
        ]));
        return new ExportTable(title, filters, null, columns, rows, orders.Count);
    }
}
