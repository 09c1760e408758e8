using Microsoft.Extensions.Localization;
using RetentionAnalytics.Core.Exports;
using RetentionAnalytics.Core.Sms;

namespace RetentionAnalytics.Portal.Features.Sms;

/// <summary>The SMS page's sending history as its grid shows it: the sends of the reader's cities with their figures.</summary>
public static class SmsHistoryExport
{
    public static ExportTable Table(IReadOnlyList<SmsSendStats> sends, IStringLocalizer<SmsResource> t)
    {
        ExportColumn[] columns =
        [
            new("#", ColumnFormat.Integer), new(t["Template"]), new(t["Audience"]), new(t["Status"]),
            new(t["RequestedBy"]), new(t["RequestedAt"], ColumnFormat.Timestamp), new(t["Messages"], ColumnFormat.Integer),
            new(t["Waiting"], ColumnFormat.Integer), new(t["Sent"], ColumnFormat.Integer), new(t["Delivered"], ColumnFormat.Integer),
            new(t["Failed"], ColumnFormat.Integer), new(t["Suppressed"], ColumnFormat.Integer), new(t["SuppressedReasons"]),
            new(t["Segments"], ColumnFormat.Integer),
        ];
        var rows = sends.Select(s => new ExportRow(
        [
            s.SendId, $"{s.TemplateId}/{s.Language}", $"{t[$"Audience_{s.AudienceKind}"]} {s.AudienceRef}", t[$"SendStatus_{s.Status}"].Value,
            s.RequestedBy, s.RequestedAt, s.Messages, s.Waiting, s.Sent, s.Delivered, s.Failed, s.Suppressed, s.SuppressedByReason,
            s.Segments,
        ]));
        return new ExportTable(t["History"], [], null, columns, rows, sends.Count);
    }
}
