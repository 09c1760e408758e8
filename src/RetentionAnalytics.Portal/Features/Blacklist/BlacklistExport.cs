using Microsoft.Extensions.Localization;
using RetentionAnalytics.Core.Blacklist;
using RetentionAnalytics.Core.Exports;
using RetentionAnalytics.Portal.Features.Sms;

namespace RetentionAnalytics.Portal.Features.Blacklist;

/// <summary>The blacklist page's entries as its grid shows them, with the search used in the header.</summary>
public static class BlacklistExport
{
    public static ExportTable Table(IReadOnlyList<BlacklistEntry> entries, string? search, bool includeExpired, IStringLocalizer<SmsResource> t)
    {
        var filters = ExportFilter.Shown((t["SubscriberId"], search), (t["IncludeExpired"], includeExpired ? "✓" : null));
        ExportColumn[] columns =
        [
            new(t["SubscriberId"]), new(t["City"]), new(t["Scope"]), new(t["Reason"]), new(t["Source"]),
            new(t["ValidUntil"], ColumnFormat.Date), new(t["ChangedBy"]), new(t["ChangedAt"], ColumnFormat.Timestamp),
        ];
        var rows = entries.Select(e => new ExportRow(
        [
            e.SubscriberId, e.CityCode, t[$"Scope_{e.Scope}"].Value, t[$"Reason_{e.Reason}"].Value, e.Source, e.ValidUntil,
            e.CreatedBy, e.CreatedAt,
        ]));
        return new ExportTable(t["BlacklistTitle"], filters, null, columns, rows, entries.Count);
    }
}
