using System.Globalization;
using CsvHelper;

namespace RetentionAnalytics.Core.Exports;

/// <summary>
/// CSV, laid out like the Excel export: the header block (title, one line per filter as label and value, the
/// data-as-of stamp, an empty line; each line as many fields as the table, so the file stays rectangular) when the
/// table has one, the header bands of a pivot, the column headers, and the
/// rows in screen order with their subtotals and totals. A plain list starts with its column headers. UTF-8 with a
/// byte order mark so Excel shows Chinese text; comma-separated, numbers with a dot and no thousands separators,
/// rounded as the Excel export shows them (integers whole, amounts and decimals to two places, rates as percentages
/// with two decimals, e.g. <c>2.13%</c>, which spreadsheets read as the number 0.0213), dates ISO. No row limit.
/// <para>
/// Formula injection is closed for every separator a spreadsheet might pick, not only the comma: every text field is
/// quoted, so a value holding <c>;</c> or <c>,</c> stays one cell even where <c>;</c> is the separator (German Excel
/// and LibreOffice), and a text that starts like a formula (<c>= + - @</c>, tab, CR) gets a leading apostrophe.
/// Numbers, dates and booleans are never text, so a negative number stays a number.
/// </para>
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

        if (ExportCells.HasHeaderBlock(table))
        {
            var width = table.Columns.Count;
            Line(csv, width, table.Title);
            foreach (var filter in table.Filters)
            {
                Line(csv, width, filter.Label, filter.Value);
            }
            Line(csv, width, ExportCells.DataAsOfLabel(table.Language),
                table.DataAsOf is { } asOf
                    ? asOf.ToString(ExportCells.AsOfFormat(asOf) == ColumnFormat.Date ? "yyyy-MM-dd" : "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)
                    : null);
            Line(csv, width);
        }
        foreach (var band in table.HeaderBands ?? [])
        {
            for (var c = 0; c < table.Columns.Count; c++)
            {
                Text(csv, c < band.Count ? band[c] : "");
            }
            csv.EndRecord();
        }
        foreach (var column in table.Columns)
        {
            Text(csv, column.Header);
        }
        csv.EndRecord();

        long count = 0;
        foreach (var row in rows)
        {
            count++;
            for (var c = 0; c < table.Columns.Count; c++)
            {
                var cell = ExportCells.Classify(c < row.Cells.Length ? row.Cells[c] : null);
                if (cell.Kind == CellKind.Text)
                {
                    Text(csv, cell.String!);
                }
                else
                {
                    csv.WriteField(Value(cell, table.Columns[c].Format));
                }
            }
            csv.EndRecord();
        }
        return count;
    }

    /// <summary>
    /// A line of the header block, as wide as the table (every record has the same number of fields, as RFC 4180 and
    /// strict readers want): a label and its value in the first two cells; in a one-column table, "label: value".
    /// </summary>
    private static void Line(CsvWriter csv, int width, string? label = null, string? value = null)
    {
        var written = 0;
        if (label is not null)
        {
            if (value is not null && width == 1)
            {
                Text(csv, $"{label}: {value}");
                written = 1;
            }
            else
            {
                Text(csv, label);
                written = 1;
                if (value is not null)
                {
                    Text(csv, value);
                    written = 2;
                }
            }
        }
        for (; written < width; written++)
        {
            csv.WriteField("");
        }
        csv.EndRecord();
    }

    /// <summary>Text: quoted always, and neutralised (<see cref="Neutralise"/>).</summary>
    private static void Text(CsvWriter csv, string text) => csv.WriteField(Neutralise(text), CsvQuoting.Always);

    /// <summary>
    /// An apostrophe before every place a spreadsheet could start a cell with a formula: the start of the text, and
    /// after each <c>;</c>, <c>,</c>, tab or line break in it. A reader that splits on another separator than the
    /// file's (LibreOffice opening this comma file with ';' honours no quotes around <c>"a;=1+2",5</c>) then still finds
    /// text, never a formula, in every piece: <c>a;'=1+2</c>.
    /// </summary>
    internal static string Neutralise(string text)
    {
        System.Text.StringBuilder? sb = null;
        for (var i = 0; i < text.Length; i++)
        {
            if ((i == 0 || text[i - 1] is ';' or ',' or '\t' or '\r' or '\n') && StartsFormula(text, i))
            {
                sb ??= new System.Text.StringBuilder(text.Length + 4).Append(text, 0, i);
                sb.Append('\'');
            }
            sb?.Append(text[i]);
        }
        return sb?.ToString() ?? text;
    }

    /// <summary>A formula start at <paramref name="at"/>, after any spaces a reader might trim.</summary>
    private static bool StartsFormula(string text, int at)
    {
        var i = at;
        while (i < text.Length && text[i] == ' ')
        {
            i++;
        }
        return i < text.Length && ExportCells.IsFormulaLike(text[i..(i + 1)]);
    }

    private static string Value(ExportCell cell, ColumnFormat format) => cell.Kind switch
    {
        CellKind.Number => format switch
        {
            ColumnFormat.Integer => Math.Round(cell.Number, MidpointRounding.AwayFromZero).ToString("0", CultureInfo.InvariantCulture),
            ColumnFormat.Decimal or ColumnFormat.Money => cell.Number.ToString("0.00", CultureInfo.InvariantCulture),
            ColumnFormat.Percent => (cell.Number * 100).ToString("0.00", CultureInfo.InvariantCulture) + "%",
            _ => cell.Number.ToString("0.##########", CultureInfo.InvariantCulture),
        },
        CellKind.DateTime when format is ColumnFormat.Date => cell.DateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        CellKind.DateTime when format is ColumnFormat.Month => cell.DateTime.ToString("yyyy-MM", CultureInfo.InvariantCulture),
        CellKind.DateTime => cell.DateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
        CellKind.Boolean => cell.Number != 0 ? "true" : "false",
        _ => "",
    };
}
