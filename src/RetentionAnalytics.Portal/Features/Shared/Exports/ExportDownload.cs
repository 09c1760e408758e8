using RetentionAnalytics.Core.Exports;

namespace RetentionAnalytics.Portal.Features.Shared.Exports;

/// <summary>A screen's <see cref="ExportTable"/> as a download, written by the audited exporter.</summary>
public static class ExportDownload
{
    public static ExportFileType TypeOf(string? format) =>
        string.Equals(format, "csv", StringComparison.OrdinalIgnoreCase) ? ExportFileType.Csv : ExportFileType.Xlsx;

    public static IResult File(IExporter exporter, ExportTable table, ExportFileType type, ExportAudit audit, string fileStem)
    {
        var csv = type == ExportFileType.Csv;
        return Results.Stream(async response =>
            {
                // the exporter writes synchronously: it writes to a temporary file (large lists stream there, not
                // into memory), which is then copied to the response asynchronously, so Kestrel never sees sync I/O
                var temp = Path.GetTempFileName();
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
            $"{fileStem}.{(csv ? "csv" : "xlsx")}");
    }
}
