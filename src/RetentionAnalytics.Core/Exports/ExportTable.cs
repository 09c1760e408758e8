namespace RetentionAnalytics.Core.Exports;

public enum ExportFileType { Xlsx, Csv }

/// <summary>
/// How a column's cells are written: Excel number formats, CSV invariant text. <see cref="Month"/> is a date on the
/// month's first day, shown as yyyy-mm, so a spreadsheet sorts and filters it as a date.
/// </summary>
public enum ColumnFormat { Text, Integer, Decimal, Money, Percent, Date, Timestamp, Month }

public sealed record ExportColumn(string Header, ColumnFormat Format = ColumnFormat.Text);

/// <summary>A filter or parameter the screen was showing, already in the user's language ("City", "Hangzhou").</summary>
public sealed record ExportFilter(string Label, string Value)
{
    /// <summary>The filters a screen shows: those with a value, in the given order.</summary>
    public static IReadOnlyList<ExportFilter> Shown(params (string Label, string? Value)[] filters) =>
        filters.Where(f => !string.IsNullOrWhiteSpace(f.Value)).Select(f => new ExportFilter(f.Label, f.Value!)).ToList();
}

public enum ExportRowKind { Data, Subtotal, Total }

public sealed record ExportRow(object?[] Cells, ExportRowKind Kind = ExportRowKind.Data);

/// <summary>
/// What a screen shows, ready to be written to a file: a header block (title, filters used, data-as-of stamp), the
/// column headers (pivots add header bands above them, one per column dimension), and the rows in screen order with
/// their subtotal and total rows. Rows are enumerated once, so large lists stream from the query to the file.
/// </summary>
/// <param name="Language">en, de or zh: the language of the header block's own labels (the data-as-of stamp).</param>
/// <param name="RowCount">The number of rows when known before writing: picks the streaming writer for large lists and
/// refuses an xlsx beyond Excel's sheet limit before anything is written.</param>
public sealed record ExportTable(
    string Title,
    IReadOnlyList<ExportFilter> Filters,
    DateTime? DataAsOf,
    IReadOnlyList<ExportColumn> Columns,
    IEnumerable<ExportRow> Rows,
    long? RowCount = null,
    IReadOnlyList<IReadOnlyList<string>>? HeaderBands = null,
    string Language = "en");

/// <summary>Who exported what, for the audit log: identifiers only (report id, view id, campaign id), never data.</summary>
public sealed record ExportAudit(string? Username, string Target, string? ClientIp = null);

public sealed record ExportResult(long Rows, bool Streamed);

/// <summary>Thrown before writing when a sheet would exceed Excel's 1,048,576 rows; the message says what to do.</summary>
public sealed class ExportTooLargeException(string message) : Exception(message);

/// <summary>
/// Writes what a screen shows to Excel or CSV and audits it. Cells that a spreadsheet would read as a formula
/// (starting with =, +, -, @, tab or carriage return) are neutralised.
/// </summary>
public interface IExporter
{
    ExportResult Export(ExportTable table, ExportFileType type, Stream output, ExportAudit audit);
}
