using RetentionAnalytics.Core.Exports;
using RetentionAnalytics.Core.Regions;
using RetentionAnalytics.Portal.Features.Shared.Access;
using RetentionAnalytics.Portal.Features.Shared.Localization;

namespace RetentionAnalytics.Portal.Features.Shared.Exports;

/// <summary>A screen's <see cref="ExportTable"/> as a download, written by the audited exporter.</summary>
public static class ExportDownload
{
    public static ExportFileType TypeOf(string? format) =>
        string.Equals(format, "csv", StringComparison.OrdinalIgnoreCase) ? ExportFileType.Csv : ExportFileType.Xlsx;

    /// <summary>The link to a screen's download: its filters (blank ones left out), so the file holds the rows on screen, and the format.</summary>
    public static string Path(string endpoint, string format, params (string Name, string? Value)[] filters) =>
        endpoint + QueryString.Create(filters
            .Where(f => !string.IsNullOrWhiteSpace(f.Value))
            .Select(f => KeyValuePair.Create(f.Name, (string?)f.Value!.Trim()))
            .Append(KeyValuePair.Create("format", (string?)format))).ToUriComponent();

    /// <summary>
    /// The signed-in user's download of a screen: xlsx unless <paramref name="format"/> says csv, audited with
    /// <paramref name="target"/> (an identifier: "report:kpi_overview", "call-list:12"), named after it and the time.
    /// </summary>
    public static IResult File(IExporter exporter, ExportTable table, string? format, ICurrentUser user, string target) =>
        File(exporter, table, TypeOf(format), new ExportAudit(user.Username, target, user.ClientIp), target.Replace(':', '-'));

    /// <summary>
    /// The moment an operational list (call list, work orders, blacklist, SMS sends, audit) is read, for its "Data as of"
    /// line. These lists are read live from the operational database at the export, not from a warehouse build, so the
    /// honest stamp is that moment: now on the province's wall clock (<see cref="RegionClock.Now"/>, the zone operational
    /// times are kept in), taken before the rows are read so that every row is at least as new as the stamp.
    /// </summary>
    public static DateTime ReadAt(RegionClock clock) => TruncateToSeconds(clock.Now);

    /// <summary>An operational list stamped with when it was read (see <see cref="ReadAt"/>), its labels in the reader's language.</summary>
    public static ExportTable ReadLive(this ExportTable table, DateTime readAt) =>
        table with { DataAsOf = readAt, Language = PortalLanguage.Current };

    private static DateTime TruncateToSeconds(DateTime time) => time.AddTicks(-(time.Ticks % TimeSpan.TicksPerSecond));

    /// <summary>
    /// The download of <paramref name="table"/>, named <paramref name="fileStem"/> and the time it is made on the
    /// province's clock (the zone every time the portal shows is in), e.g. <c>report-kpi_overview-20261208-0930.xlsx</c>.
    /// </summary>
    public static IResult File(IExporter exporter, ExportTable table, ExportFileType type, ExportAudit audit, string fileStem) =>
        new Download(exporter, table, type, audit, fileStem);

    private sealed class Download(IExporter exporter, ExportTable table, ExportFileType type, ExportAudit audit, string fileStem) : IResult
    {
        public Task ExecuteAsync(HttpContext http)
        {
            var at = http.RequestServices.GetRequiredService<RegionClock>().Now;
            var csv = type == ExportFileType.Csv;
            return Results.Stream(async response =>
                {
                    // the exporter writes synchronously: it writes to a temporary file (large lists stream there, not
                    // into memory), which is then copied to the response asynchronously, so Kestrel never sees sync I/O
                    var temp = System.IO.Path.GetTempFileName();
                    try
                    {
                        await using (var file = System.IO.File.Create(temp))
                        {
                            exporter.Export(table, type, file, audit);
                        }
                        await using var read = System.IO.File.OpenRead(temp);
                        await read.CopyToAsync(response);
                    }
                    finally
                    {
                        System.IO.File.Delete(temp);
                    }
                },
                csv ? "text/csv" : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                $"{fileStem}-{at:yyyyMMdd-HHmm}.{(csv ? "csv" : "xlsx")}").ExecuteAsync(http);
        }
    }
}
