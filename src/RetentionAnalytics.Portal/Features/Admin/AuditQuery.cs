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

    /// <summary>
    /// The entries as the page's grid shows them: actions, outcomes and details in the reader's words, users and targets
    /// as identifiers, as the audit log holds them.
    /// </summary>
    public ExportTable Table(IReadOnlyList<AuditEntry> entries, IStringLocalizer<SharedResource> l, IStringLocalizer<AdminResource> t, AuditDetailText detail)
    {
        var filters = ExportFilter.Shown((l["From"], Day(From)), (l["To"], Day(To)), (l["Username"], User),
            (l["Action"], Action is null ? null : ActionName(t, Action)));
        ExportColumn[] columns =
        [
            new(l["When"], ColumnFormat.Timestamp), new(l["Username"]), new(l["Action"]), new(l["Target"]), new(l["Outcome"]),
            new(l["Detail"]), new(l["ClientIp"]),
        ];
        var rows = entries.Select(e => new ExportRow([e.At, e.Username, ActionName(t, e.Action), e.Target, OutcomeName(t, e.Outcome), detail.Render(e.Action, e.Detail).ToString(), e.ClientIp]));
        return new ExportTable(l["NavAudit"], filters, null, columns, rows, entries.Count);
    }

    /// <summary>An audit action by its name in the reader's language; an action without a name yet keeps its code.</summary>
    public static string ActionName(IStringLocalizer<AdminResource> t, string action) => Named(t, "AuditAction_", action);

    public static string OutcomeName(IStringLocalizer<AdminResource> t, string outcome) => Named(t, "AuditOutcome_", outcome);

    private static string Named(IStringLocalizer<AdminResource> t, string prefix, string code) =>
        t[prefix + code] is { ResourceNotFound: false } text ? text.Value : code;

    private static string? Day(DateOnly? day) => day?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
