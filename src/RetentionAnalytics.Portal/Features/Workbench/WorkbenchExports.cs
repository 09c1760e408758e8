using Microsoft.Extensions.Localization;
using RetentionAnalytics.Core.Exports;
using RetentionAnalytics.Core.Workbench;

namespace RetentionAnalytics.Portal.Features.Workbench;

/// <summary>The call-list page's filters as they travel in the export link.</summary>
public sealed record CallListQuery(
    long? Campaign, string? Status, string? Agent, string? City, string? Scenario, string? Subscriber, string? Format)
{
    public TaskFilter ToFilter() => new(Campaign, Status, Agent, City, Scenario, Subscriber);

    /// <summary>The export link's query for the page's current filters and the file format.</summary>
    public string ToQueryString() => QueryString.Create(new Dictionary<string, string?>
    {
        ["campaign"] = Campaign?.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["status"] = Status, ["agent"] = Agent, ["city"] = City, ["scenario"] = Scenario, ["subscriber"] = Subscriber, ["format"] = Format,
    }.Where(p => !string.IsNullOrWhiteSpace(p.Value))).ToUriComponent();
}

/// <summary>The supervisor's task list as the page's grid shows it: same rows, same columns, the filters in the header.</summary>
public static class CallListExport
{
    public static ExportTable Table(IReadOnlyList<SupervisedTask> tasks, CallListQuery query, IStringLocalizer<WorkbenchResource> t, string title)
    {
        var filters = new (string Key, string? Value)[]
            {
                ("Campaign", tasks.FirstOrDefault(x => x.CampaignId == query.Campaign)?.CampaignName ?? query.Campaign?.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                ("Status", query.Status is { } s ? t.Term("Status", s) : null),
                ("Agent", query.Agent == "-" ? t["Unassigned"].Value : query.Agent),
                ("City", query.City), ("Scenario", query.Scenario), ("Subscriber", query.Subscriber),
            }
            .Where(f => !string.IsNullOrWhiteSpace(f.Value))
            .Select(f => new ExportFilter(t[f.Key], f.Value!))
            .ToList();
        ExportColumn[] columns =
        [
            new(t["Task"], ColumnFormat.Integer), new(t["Subscriber"]), new(t["Campaign"]), new(t["Status"]), new(t["Agent"]),
            new(t["Score"], ColumnFormat.Decimal), new(t["Priority"], ColumnFormat.Integer), new(t["DueDate"], ColumnFormat.Date),
            new(t["ValueTier"]), new(t["City"]), new(t["Scenarios"]), new(t["Attempts"], ColumnFormat.Integer),
        ];
        var rows = tasks.Select(x => new ExportRow(
        [
            x.TaskId, x.SubscriberId, x.CampaignName, t.Term("Status", x.Status), x.AssignedTo, x.PriorityScore, x.Priority,
            x.DueDate, x.ValueTier, x.CityCode, x.ScenarioIds, x.Attempts,
        ]));
        return new ExportTable(title, filters, null, columns, rows, tasks.Count);
    }
}

/// <summary>The work-orders page's list as its grid shows it, with the department and status filters in the header.</summary>
public static class WorkOrderExport
{
    public static ExportTable Table(IReadOnlyList<WorkOrder> orders, string? department, string? status, IStringLocalizer<WorkbenchResource> t, string title)
    {
        var filters = new List<ExportFilter>();
        if (!string.IsNullOrEmpty(department))
        {
            filters.Add(new ExportFilter(t["Department"], t.Term("Department", department)));
        }
        if (!string.IsNullOrEmpty(status))
        {
            filters.Add(new ExportFilter(t["Status"], t.Term("OrderStatus", status)));
        }
        ExportColumn[] columns =
        [
            new(t["WorkOrder"], ColumnFormat.Integer), new(t["Task"], ColumnFormat.Integer), new(t["Subscriber"]), new(t["City"]),
            new(t["Department"]), new(t["Status"]), new(t["Amount"], ColumnFormat.Money), new(t["Description"]),
            new(t["CreatedBy"]), new(t["UpdatedAt"], ColumnFormat.Timestamp),
        ];
        var rows = orders.Select(o => new ExportRow(
        [
            o.WorkOrderId, o.TaskId, o.SubscriberId, o.CityCode, t.Term("Department", o.Department), t.Term("OrderStatus", o.Status),
            o.Amount, o.Description, o.CreatedBy, o.UpdatedAt,
        ]));
        return new ExportTable(title, filters, null, columns, rows, orders.Count);
    }
}
