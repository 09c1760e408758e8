using ClosedXML.Excel;

namespace RetentionAnalytics.Core.Exports;

/// <summary>
/// The formatted report writer (ClosedXML): header block, header bands, bold column headers, a number format per
/// column, bold subtotal and total rows, the header frozen below the header block, an autofilter and fitted widths.
/// Holds the workbook in memory, so it is for the screens' sizes, below the streaming threshold.
/// </summary>
internal static class FormattedXlsxWriter
{
    // how many data rows the width fitting measures: enough to see the typical cell, cheap on a 20,000-row list
    private const int FitSampleRows = 500;

    public static long Write(ExportTable table, IEnumerable<ExportRow> rows, Stream output)
    {
        using var workbook = new XLWorkbook();
        var sheet = workbook.Worksheets.Add(SheetName(table.Title));
        var columns = table.Columns;

        var r = 1;
        if (ExportCells.HasHeaderBlock(table))
        {
            var title = sheet.Cell(r++, 1);
            SetText(title, table.Title);
            title.Style.Font.Bold = true;
            title.Style.Font.FontSize = 14;

            foreach (var filter in table.Filters)
            {
                SetText(sheet.Cell(r, 1), filter.Label);
                sheet.Cell(r, 1).Style.Font.Bold = true;
                SetText(sheet.Cell(r, 2), filter.Value);
                r++;
            }

            SetText(sheet.Cell(r, 1), ExportCells.DataAsOfLabel(table.Language));
            sheet.Cell(r, 1).Style.Font.Bold = true;
            if (table.DataAsOf is { } asOf)
            {
                sheet.Cell(r, 2).SetValue(asOf);
                sheet.Cell(r, 2).Style.NumberFormat.Format = ExportCells.ExcelFormat(ExportCells.AsOfFormat(asOf));
                sheet.Cell(r, 2).Style.Alignment.Horizontal = XLAlignmentHorizontalValues.Left;
            }
            r += 2; // a blank row between the header block and the table
        }

        foreach (var band in table.HeaderBands ?? [])
        {
            for (var c = 0; c < band.Count && c < columns.Count; c++)
            {
                SetText(sheet.Cell(r, c + 1), band[c]);
            }
            sheet.Range(r, 1, r, columns.Count).Style.Font.Bold = true;
            r++;
        }

        var headerRow = r;
        for (var c = 0; c < columns.Count; c++)
        {
            SetText(sheet.Cell(headerRow, c + 1), columns[c].Header);
        }
        var header = sheet.Range(headerRow, 1, headerRow, columns.Count).Style;
        header.Font.Bold = true;
        header.Fill.BackgroundColor = XLColor.FromHtml("#DDE3EA");
        header.Border.BottomBorder = XLBorderStyleValues.Thin;

        long count = 0;
        foreach (var row in rows)
        {
            r++;
            count++;
            for (var c = 0; c < columns.Count; c++)
            {
                var value = c < row.Cells.Length ? row.Cells[c] : null;
                SetValue(sheet.Cell(r, c + 1), ExportCells.Classify(value), columns[c].Format);
            }
            if (row.Kind != ExportRowKind.Data)
            {
                sheet.Range(r, 1, r, columns.Count).Style.Font.Bold = true;
            }
        }
        var lastRow = r;

        // one format per column for the data rows, set on the range (not per cell) to keep the styles table small
        for (var c = 0; c < columns.Count; c++)
        {
            if (lastRow > headerRow && columns[c].Format != ColumnFormat.Text)
            {
                sheet.Range(headerRow + 1, c + 1, lastRow, c + 1).Style.NumberFormat.Format = ExportCells.ExcelFormat(columns[c].Format);
            }
        }

        sheet.SheetView.FreezeRows(headerRow);
        sheet.Range(headerRow, 1, lastRow, columns.Count).SetAutoFilter();
        FitWidths(sheet, columns, headerRow, lastRow);

        workbook.SaveAs(output);
        return count;
    }

    private static void SetValue(IXLCell cell, ExportCell value, ColumnFormat format)
    {
        switch (value.Kind)
        {
            case CellKind.Text:
                SetText(cell, value.String!);
                break;
            case CellKind.Number:
                cell.SetValue(value.Number);
                break;
            case CellKind.DateTime:
                cell.SetValue(value.DateTime);
                if (!ExportCells.IsDateFormat(format))
                {
                    // a date in a column not declared as one still reads as a date, not as a serial number
                    cell.Style.NumberFormat.Format = ExportCells.ExcelFormat(ColumnFormat.Timestamp);
                }
                break;
            case CellKind.Boolean:
                cell.SetValue(value.Number != 0);
                break;
        }
    }

    /// <summary>
    /// Text is always a string cell (never guessed into a number or a formula); formula-like text also carries the
    /// quote prefix, so editing the cell in Excel keeps it text.
    /// </summary>
    private static void SetText(IXLCell cell, string text)
    {
        cell.SetValue(text);
        cell.DataType = XLDataType.Text;
        if (ExportCells.IsFormulaLike(text))
        {
            cell.Style.IncludeQuotePrefix = true;
        }
    }

    private static void FitWidths(IXLWorksheet sheet, IReadOnlyList<ExportColumn> columns, int headerRow, int lastRow)
    {
        try
        {
            // measuring text needs System.Drawing (libgdiplus on Linux); without it the widths come from the formats
            sheet.Columns(1, columns.Count).AdjustToContents(headerRow, Math.Min(lastRow, headerRow + FitSampleRows), 8, 60);
        }
        catch (Exception ex) when (ex is DllNotFoundException or TypeInitializationException or PlatformNotSupportedException)
        {
            for (var c = 0; c < columns.Count; c++)
            {
                sheet.Column(c + 1).Width = ExportCells.DefaultWidth(columns[c]);
            }
        }
    }

    /// <summary>Excel sheet names: at most 31 characters, none of <c>[]:*?/\</c>.</summary>
    internal static string SheetName(string title)
    {
        var cleaned = new string(title.Select(ch => "[]:*?/\\".Contains(ch) ? ' ' : ch).ToArray()).Trim().Trim('\'');
        if (cleaned.Length == 0)
        {
            return "Export";
        }
        return cleaned.Length > 31 ? cleaned[..31] : cleaned;
    }
}
