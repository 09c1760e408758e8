using System.Globalization;
using Microsoft.Extensions.Localization;
using Radzen;
using RetentionAnalytics.Core.Workbench;

namespace RetentionAnalytics.Portal.Features.Workbench;

/// <summary>How the workbench words times, counts, reasons and grid cells for people.</summary>
public static class WorkbenchText
{
    /// <summary>"China Standard Time (UTC+8)": the zone's name from the resources (its IANA id if none) and its offset at that time.</summary>
    public static string ZoneLabel(this IStringLocalizer<WorkbenchResource> t, TimeZoneInfo zone, DateTime at)
    {
        var offset = zone.GetUtcOffset(at);
        var sign = offset < TimeSpan.Zero ? "−" : "+";
        var hours = Math.Abs(offset.Hours).ToString(CultureInfo.InvariantCulture);
        var utc = offset == TimeSpan.Zero ? "UTC"
            : offset.Minutes == 0 ? $"UTC{sign}{hours}"
            : $"UTC{sign}{hours}:{Math.Abs(offset.Minutes):00}";
        var name = t[$"TimeZone_{zone.Id.Replace('/', '_')}"] is { ResourceNotFound: false } n ? n.Value : zone.Id;
        return offset == TimeSpan.Zero && name == zone.Id ? utc : $"{name} ({utc})";
    }

    /// <summary>"09:00–21:00 China Standard Time (UTC+8)".</summary>
    public static string Hours(this IStringLocalizer<WorkbenchResource> t, TimeOnly from, TimeOnly until, TimeZoneInfo zone, DateTime at) =>
        $"{from.ToString("HH:mm", CultureInfo.InvariantCulture)}–{until.ToString("HH:mm", CultureInfo.InvariantCulture)} {t.ZoneLabel(zone, at)}";

    /// <summary>
    /// A text whose wording follows a count: <c>{key}_one</c> for exactly one, <c>{key}_other</c> otherwise. Its
    /// arguments are <paramref name="args"/>, or the count itself when none are given.
    /// </summary>
    public static string Count(this IStringLocalizer<WorkbenchResource> t, string key, long count, params object[] args) =>
        t[count == 1 ? $"{key}_one" : $"{key}_other", args.Length == 0 ? [count] : args].Value;

    /// <summary>A probable reason in the reader's language: alerts by their figures, the rest from their kind's text.</summary>
    public static string Reason(this IStringLocalizer<WorkbenchResource> t, ContactReason r)
    {
        var culture = CultureInfo.CurrentCulture;
        return r.Kind switch
        {
            "alert" => EvidenceText.Format(t, r.EvidenceJson, r.Detail),
            "complaint" => t["Reason_complaint", t.Term("Complaint", r.Code), Date(r.Detail)],
            "arrears" => t["Reason_arrears", "", decimal.TryParse(r.Detail, CultureInfo.InvariantCulture, out var owed) ? owed.ToString("N2", culture) : r.Detail ?? ""],
            "contract_end" => t["Reason_contract_end", r.Name ?? r.Code ?? "", r.Detail ?? ""],
            "plan_change" => t["Reason_plan_change", r.Name ?? "", Date(r.Detail), r.Code ?? ""],
            _ => r.Detail ?? "",
        };

        string Date(string? iso) => DateOnly.TryParse(iso, CultureInfo.InvariantCulture, out var d) ? d.ToString("d", culture) : iso ?? "";
    }

    /// <summary>The full value of a cell as its tooltip, so a narrow column never hides what it holds.</summary>
    public static void CellTitle<T>(DataGridCellRenderEventArgs<T> args) where T : notnull
    {
        if (args.Column?.Property is null || args.Data is null)
        {
            return;
        }
        var value = args.Column.GetValue(args.Data);
        var text = value switch
        {
            null => null,
            IFormattable f when args.Column.FormatString is { Length: > 0 } format => string.Format(CultureInfo.CurrentCulture, format, f),
            _ => Convert.ToString(value, CultureInfo.CurrentCulture),
        };
        if (!string.IsNullOrEmpty(text))
        {
            args.Attributes["title"] = text;
        }
    }
}
