using System.Globalization;
using CsvHelper;

namespace RetentionAnalytics.Core.Exports;

/// <summary>
/// CSV: the column headers and the rows only (subtotal and total rows included, in screen order). The header block
/// (title, filters, data-as-of) is left out on purpose: leading non-table rows break every tool that reads CSV as a
/// table. UTF-8 with a byte order mark so Excel shows Chinese text; invariant numbers (a dot, no thousands
/// separators), percentages as fractions, ISO dates. No row limit.
/// </summary>
internal static class CsvExportWriter
{
    public static long Write(ExportTable table, IEnumerable<ExportRow> rows, Stream output)
    {
        // the writer's own injection handling stays off: fields are neutralised here, the same way as in xlsx
        using var csv = CsvWriter.Create(
            output,
            CsvWriterOptions.Default with { WriteByteOrderMark = true, FormatProvider = CultureInfo.InvariantCulture },
            leaveOpen: true);
        foreach (var column in table.Columns)
        {
            csv.WriteField(Neutralise(column.Header));
        }
        csv.EndRecord();

        long count = 0;
        foreach (var row in rows)
        {
            count++;
            for (var c = 0; c < table.Columns.Count; c++)
            {
                csv.WriteField(Field(ExportCells.Classify(c < row.Cells.Length ? row.Cells[c] : null), table.Columns[c].Format));
            }
            csv.EndRecord();
        }
        return count;
    }

    private static string Field(ExportCell cell, ColumnFormat format) => cell.Kind switch
    {
        CellKind.Text => Neutralise(cell.String!),
        CellKind.Number when format is ColumnFormat.Integer && cell.Number == Math.Round(cell.Number) =>
            cell.Number.ToString("0", CultureInfo.InvariantCulture),
        CellKind.Number => cell.Number.ToString("R", CultureInfo.InvariantCulture),
        CellKind.DateTime when format is ColumnFormat.Date => cell.DateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        CellKind.DateTime => cell.DateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
        CellKind.Boolean => cell.Number != 0 ? "true" : "false",
        _ => "",
    };

    /// <summary>A leading apostrophe makes a spreadsheet read formula-like text as text.</summary>
    private static string Neutralise(string text) => ExportCells.IsFormulaLike(text) ? "'" + text : text;
}
