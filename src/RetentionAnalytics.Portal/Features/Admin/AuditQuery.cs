using System.Globalization;
using Microsoft.Extensions.Localization;
using RetentionAnalytics.Core.Audit;
using RetentionAnalytics.Core.Exports;
using RetentionAnalytics.Portal.Features.Shared.Exports;
using RetentionAnalytics.Portal.Features.Shared.Localization;

namespace RetentionAnalytics.Portal.Features.Admin;

/// <summary>The audit page's filters, as the page and its export link share them (the end date counts whole).</summary>
public sealed record AuditQuery(DateOnly? From, DateOnly? To, string? User, string? Action)
{
    public const int Limit = 1000;

    public IReadOnlyList<AuditEntry> Run(AuditLog audit) => audit.Query(
        From?.ToDateTime(TimeOnly.MinValue), To?.AddDays(1).ToDateTime(TimeOnly.MinValue),
        string.IsNullOrWhiteSpace(User) ? null : User.Trim().ToLowerInvariant(), string.IsNullOrWhiteSpace(Action) ? null : Action.Trim(), Limit);

    public string ExportPath(string format) => ExportDownload.Path("api/admin/audit/export", format,
        ("from", Day(From)), ("to", Day(To)), ("user", User), ("action", Action));

    /// <summary>The entries as the page's grid shows them (identifiers only, as the audit log holds them).</summary>
    public ExportTable Table(IReadOnlyList<AuditEntry> entries, IStringLocalizer<SharedResource> l)
    {
        var filters = ExportFilter.Shown((l["From"], Day(From)), (l["To"], Day(To)), (l["Username"], User), (l["Action"], Action));
        ExportColumn[] columns =
        [
            new(l["When"], ColumnFormat.Timestamp), new(l["Username"]), new(l["Action"]), new(l["Target"]), new(l["Outcome"]),
            new(l["Detail"]), new(l["ClientIp"]),
        ];
        var rows = entries.Select(e => new ExportRow([e.At, e.Username, e.Action, e.Target, e.Outcome, e.Detail, e.ClientIp]));
        return new ExportTable(l["NavAudit"], filters, null, columns, rows, entries.Count);
    }

    private static string? Day(DateOnly? day) => day?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
