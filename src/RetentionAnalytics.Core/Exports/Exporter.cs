using RetentionAnalytics.Core.Audit;

namespace RetentionAnalytics.Core.Exports;

/// <summary>
/// Writes an <see cref="ExportTable"/> to xlsx or CSV and audits it. An xlsx up to <see cref="StreamingThreshold"/>
/// rows is formatted with ClosedXML (in memory); a larger one streams through the SAX writer. When the table does
/// not say its <see cref="ExportTable.RowCount"/>, the first rows are buffered up to the threshold to decide.
/// An xlsx that cannot fit one sheet is refused before anything is written when the count is known; otherwise the
/// streaming writer stops at the limit with the same <see cref="ExportTooLargeException"/> (the caller discards the
/// partial output).
/// </summary>
public sealed class Exporter(AuditLog audit, int streamingThreshold = Exporter.DefaultStreamingThreshold) : IExporter
{
    public const int DefaultStreamingThreshold = 20_000;

    public int StreamingThreshold { get; } = streamingThreshold;

    public ExportResult Export(ExportTable table, ExportFileType type, Stream output, ExportAudit auditEntry)
    {
        if (table.Columns.Count == 0)
        {
            throw new ArgumentException("An export needs at least one column.", nameof(table));
        }
        var fileType = type == ExportFileType.Csv ? "csv" : "xlsx";
        try
        {
            var result = type == ExportFileType.Csv
                ? new ExportResult(CsvExportWriter.Write(table, table.Rows, output), Streamed: true)
                : WriteXlsx(table, output);
            audit.Write(auditEntry.Username, "export", auditEntry.Target, "ok",
                $"type={fileType} rows={result.Rows} streamed={(result.Streamed ? "yes" : "no")}", auditEntry.ClientIp);
            return result;
        }
        catch (ExportTooLargeException)
        {
            audit.Write(auditEntry.Username, "export", auditEntry.Target, "denied",
                $"type={fileType} too_large rows={table.RowCount?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unknown"}", auditEntry.ClientIp);
            throw;
        }
    }

    private ExportResult WriteXlsx(ExportTable table, Stream output)
    {
        var maxRows = ExportCells.MaxDataRows(table);
        if (table.RowCount is { } known)
        {
            if (known > maxRows)
            {
                throw ExportCells.TooLarge(table, known);
            }
            return known > StreamingThreshold
                ? new ExportResult(StreamingXlsxWriter.Write(table, table.Rows, output, maxRows), Streamed: true)
                : new ExportResult(FormattedXlsxWriter.Write(table, table.Rows, output), Streamed: false);
        }

        // unknown size: look at most threshold + 1 rows ahead, then hand the rest on without buffering it
        using var rows = table.Rows.GetEnumerator();
        var head = new List<ExportRow>();
        while (head.Count <= StreamingThreshold && rows.MoveNext())
        {
            head.Add(rows.Current);
        }
        if (head.Count <= StreamingThreshold)
        {
            return new ExportResult(FormattedXlsxWriter.Write(table, head, output), Streamed: false);
        }
        return new ExportResult(StreamingXlsxWriter.Write(table, Concat(head, rows), output, maxRows), Streamed: true);
    }

    private static IEnumerable<ExportRow> Concat(List<ExportRow> head, IEnumerator<ExportRow> rest)
    {
        foreach (var row in head)
        {
            yield return row;
        }
        head.Clear();
        while (rest.MoveNext())
        {
            yield return rest.Current;
        }
    }
}
