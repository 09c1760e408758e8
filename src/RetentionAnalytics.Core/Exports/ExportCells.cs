using System.Globalization;
using RetentionAnalytics.Core.Reports;

namespace RetentionAnalytics.Core.Exports;

/// <summary>
/// What every writer agrees on: how a cell value is classified, how text is neutralised against formula injection,
/// the Excel number format of each <see cref="ColumnFormat"/>, and the sheet layout of the header block.
/// </summary>
internal static class ExportCells
{
    /// <summary>Excel's rows per sheet, header rows included.</summary>
    public const int ExcelMaxRows = 1_048_576;

    public static string DataAsOfLabel(string language) => language switch
    {
        "de" => "Datenstand",
        "zh" => "数据截至",
        _ => "Data as of",
    };

    /// <summary>
    /// Text a spreadsheet would read as a formula (or as the start of one: DDE payloads begin with +, -, @, tab or CR).
    /// Numbers are not text: a negative number stays a number.
    /// </summary>
    public static bool IsFormulaLike(string text) =>
        text.Length > 0 && text[0] is '=' or '+' or '-' or '@' or '\t' or '\r';

    /// <summary>"Data as of" as a date when it is one (a business day at midnight), else with its time.</summary>
    public static ColumnFormat AsOfFormat(DateTime asOf) => asOf.TimeOfDay == TimeSpan.Zero ? ColumnFormat.Date : ColumnFormat.Timestamp;

    public static string ExcelFormat(ColumnFormat format) => format switch
    {
        ColumnFormat.Integer => "#,##0",
        ColumnFormat.Decimal => "#,##0.00",
        ColumnFormat.Money => "#,##0.00",
        ColumnFormat.Percent => "0.00%",
        ColumnFormat.Date => "yyyy-mm-dd",
        ColumnFormat.Timestamp => "yyyy-mm-dd hh:mm:ss",
        ColumnFormat.Month => "yyyy-mm",
        _ => "@",
    };

    /// <summary>Column width in characters when no font metrics are at hand: the header, or what the format needs.</summary>
    public static double DefaultWidth(ExportColumn column)
    {
        var byFormat = column.Format switch
        {
            ColumnFormat.Date => 12,
            ColumnFormat.Month => 10,
            ColumnFormat.Timestamp => 20,
            ColumnFormat.Percent => 10,
            ColumnFormat.Text => 18,
            _ => 14,
        };
        // CJK characters take two columns of width
        var headerWidth = column.Header.Sum(ch => ch > 0x2E80 ? 2 : 1) + 3;
        return Math.Min(60, Math.Max(byFormat, headerWidth));
    }

    /// <summary>Whether a date cell of this column keeps the column's own format (else it is written as a timestamp).</summary>
    public static bool IsDateFormat(ColumnFormat format) => format is ColumnFormat.Date or ColumnFormat.Timestamp or ColumnFormat.Month;

    /// <summary>A month as yyyy-MM text (a report's or a cube's month) as its first day; anything else as it is.</summary>
    public static object? MonthCell(object? cell) =>
        cell is string s && ReportMonth.TryParse(s, out var month)
            ? month
            : cell;

    /// <summary>A cell value as the writers see it: a number, a date/time, a boolean, text, or nothing.</summary>
    public static ExportCell Classify(object? value) => value switch
    {
        null or DBNull => ExportCell.Empty,
        string s => ExportCell.Text(s),
        char ch => ExportCell.Text(ch.ToString()),
        bool b => new ExportCell(CellKind.Boolean, b ? 1 : 0, null, default),
        DateOnly d => new ExportCell(CellKind.DateTime, 0, null, d.ToDateTime(TimeOnly.MinValue)),
        DateTime dt => new ExportCell(CellKind.DateTime, 0, null, dt),
        DateTimeOffset dto => new ExportCell(CellKind.DateTime, 0, null, dto.DateTime),
        byte or sbyte or short or ushort or int or uint or long or ulong or float or double or decimal =>
            new ExportCell(CellKind.Number, Convert.ToDouble(value, CultureInfo.InvariantCulture), null, default),
        System.Numerics.BigInteger big => new ExportCell(CellKind.Number, (double)big, null, default),
        _ => ExportCell.Text(Convert.ToString(value, CultureInfo.InvariantCulture) ?? ""),
    };

    /// <summary>
    /// A plain list (no title, filters or data-as-of stamp) has no header block: its column headers are row 1, so a
    /// full sheet of 1,048,575 data rows fits.
    /// </summary>
    public static bool HasHeaderBlock(ExportTable table) =>
        !string.IsNullOrWhiteSpace(table.Title) || table.Filters.Count > 0 || table.DataAsOf is not null;

    /// <summary>The rows down to the column headers: title, one per filter, the data-as-of stamp, a blank, the bands, the headers.</summary>
    public static int HeaderRowCount(ExportTable table) =>
        (HasHeaderBlock(table) ? 4 + table.Filters.Count : 1) + (table.HeaderBands?.Count ?? 0);

    /// <summary>Data rows that still fit on one sheet under the header block.</summary>
    public static long MaxDataRows(ExportTable table) => ExcelMaxRows - HeaderRowCount(table);

    public static ExportTooLargeException TooLarge(ExportTable table, long rows) => new(
        $"The export has {(rows > MaxDataRows(table) ? "more than " + MaxDataRows(table).ToString("N0", CultureInfo.InvariantCulture) : rows.ToString("N0", CultureInfo.InvariantCulture))} rows, "
        + $"more than one Excel sheet holds ({ExcelMaxRows.ToString("N0", CultureInfo.InvariantCulture)} rows including the header). "
        + "Export it as CSV, which has no row limit, or narrow the filters.");
}

internal enum CellKind { Empty, Text, Number, DateTime, Boolean }

internal readonly record struct ExportCell(CellKind Kind, double Number, string? String, DateTime DateTime)
{
    public static readonly ExportCell Empty = new(CellKind.Empty, 0, null, default);

    public static ExportCell Text(string s) => new(CellKind.Text, 0, s, default);
}
