using System.Globalization;
using System.IO.Compression;
using System.Text;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Spreadsheet;

namespace RetentionAnalytics.Core.Exports;

/// <summary>
/// The large-list writer: rows go from the enumeration through the Open XML SAX writer straight into a zip entry,
/// so memory stays flat however many rows there are. Same header block, formats, frozen header and autofilter as the
/// formatted writer; widths come from the formats (nothing is measured) and strings are inline (no shared string
/// table to hold).
/// </summary>
internal static class StreamingXlsxWriter
{
    // cellXfs of the stylesheet below: 0 general, 1 title, 2 bold, 3 column header, 4 + 2*format (+1 bold) data,
    // then formula-like text with the quote prefix (normal/bold)
    private const uint TitleStyle = 1, BoldStyle = 2, HeaderStyle = 3;
    private static readonly uint QuotedStyle = 4 + (uint)Enum.GetValues<ColumnFormat>().Length * 2;

    private static uint DataStyle(ColumnFormat format, bool bold) => 4 + (uint)format * 2 + (bold ? 1u : 0u);

    /// <param name="maxDataRows">Rows beyond this abort the write (when the count was not known before).</param>
    public static long Write(ExportTable table, IEnumerable<ExportRow> rows, Stream output, long maxDataRows)
    {
        // the package is written by hand as a zip in create mode: each entry streams to the output and nothing is kept
        // (the SDK's own package opens read-write and buffers every part in memory)
        using var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true);
        WriteEntry(zip, "[Content_Types].xml", ContentTypes);
        WriteEntry(zip, "_rels/.rels", RootRelationships);
        WriteEntry(zip, "xl/_rels/workbook.xml.rels", WorkbookRelationships);
        WriteEntry(zip, "xl/styles.xml", Stylesheet());

        var columns = table.Columns;
        var headerRow = ExportCells.HeaderRowCount(table);
        long count = 0;
        using (var sheetStream = zip.CreateEntry("xl/worksheets/sheet1.xml", CompressionLevel.Fastest).Open())
        using (var writer = OpenXmlWriter.Create(sheetStream))
        {
            writer.WriteStartElement(new Worksheet());
            writer.WriteElement(new SheetViews(new SheetView(
                new Pane
                {
                    VerticalSplit = headerRow, TopLeftCell = $"A{headerRow + 1}",
                    ActivePane = PaneValues.BottomLeft, State = PaneStateValues.Frozen,
                },
                new Selection { Pane = PaneValues.BottomLeft })
            { WorkbookViewId = 0, TabSelected = true }));
            var cols = new Columns();
            for (var c = 0; c < columns.Count; c++)
            {
                cols.Append(new Column
                {
                    Min = (uint)c + 1, Max = (uint)c + 1, Width = ExportCells.DefaultWidth(columns[c]), CustomWidth = true,
                });
            }
            writer.WriteElement(cols);

            writer.WriteStartElement(new SheetData());
            var r = 1;
            if (ExportCells.HasHeaderBlock(table))
            {
                WriteRow(writer, r++, [(Text: table.Title, Style: TitleStyle)]);
                foreach (var filter in table.Filters)
                {
                    WriteRow(writer, r++, [(filter.Label, BoldStyle), (filter.Value, 0)]);
                }
                writer.WriteStartElement(new Row { RowIndex = (uint)r++ });
                WriteText(writer, ExportCells.DataAsOfLabel(table.Language), BoldStyle);
                if (table.DataAsOf is { } asOf)
                {
                    WriteNumber(writer, asOf.ToOADate(), DataStyle(ExportCells.AsOfFormat(asOf), false));
                }
                writer.WriteEndElement();
                r++; // the blank row
            }
            foreach (var band in table.HeaderBands ?? [])
            {
                WriteRow(writer, r++, band.Take(columns.Count).Select(text => (text, BoldStyle)).ToList());
            }
            WriteRow(writer, r++, columns.Select(column => (column.Header, HeaderStyle)).ToList());

            foreach (var row in rows)
            {
                if (++count > maxDataRows)
                {
                    throw ExportCells.TooLarge(table, count);
                }
                var bold = row.Kind != ExportRowKind.Data;
                writer.WriteStartElement(new Row { RowIndex = (uint)r++ });
                for (var c = 0; c < columns.Count; c++)
                {
                    var cell = ExportCells.Classify(c < row.Cells.Length ? row.Cells[c] : null);
                    var style = DataStyle(columns[c].Format, bold);
                    switch (cell.Kind)
                    {
                        case CellKind.Text:
                            WriteText(writer, cell.String!, style);
                            break;
                        case CellKind.Number:
                            WriteNumber(writer, cell.Number, style);
                            break;
                        case CellKind.DateTime:
                            WriteNumber(writer, cell.DateTime.ToOADate(),
                                ExportCells.IsDateFormat(columns[c].Format) ? style : DataStyle(ColumnFormat.Timestamp, bold));
                            break;
                        case CellKind.Boolean:
                            writer.WriteElement(new Cell { DataType = CellValues.Boolean, StyleIndex = style, CellValue = new CellValue(cell.Number != 0 ? "1" : "0") });
                            break;
                        default:
                            // an empty cell keeps the following cells in their columns (cells carry no reference)
                            writer.WriteElement(new Cell { StyleIndex = style });
                            break;
                    }
                }
                writer.WriteEndElement();
            }
            writer.WriteEndElement(); // sheetData

            var lastRow = headerRow + count;
            writer.WriteElement(new AutoFilter { Reference = $"A{headerRow}:{ColumnName(columns.Count)}{lastRow}" });
            writer.WriteEndElement(); // worksheet
        }

        var sheetName = System.Security.SecurityElement.Escape(FormattedXlsxWriter.SheetName(table.Title));
        var filterRange = $"'{sheetName.Replace("'", "''")}'!$A${headerRow}:${ColumnName(columns.Count)}${headerRow + count}";
        WriteEntry(zip, "xl/workbook.xml", $"""
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
            <sheets><sheet name="{sheetName}" sheetId="1" r:id="rId1"/></sheets>
            <definedNames><definedName name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">{filterRange}</definedName></definedNames>
            </workbook>
            """);
        return count;
    }

    private static void WriteEntry(ZipArchive zip, string name, string xml)
    {
        using var stream = zip.CreateEntry(name, CompressionLevel.Fastest).Open();
        stream.Write(new UTF8Encoding(false).GetBytes(xml));
    }

    private const string ContentTypes = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
        <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
        <Default Extension="xml" ContentType="application/xml"/>
        <Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
        <Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
        <Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>
        </Types>
        """;

    private const string RootRelationships = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
        <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>
        </Relationships>
        """;

    private const string WorkbookRelationships = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
        <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>
        <Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>
        </Relationships>
        """;

    private static void WriteRow(OpenXmlWriter writer, int index, IReadOnlyList<(string Text, uint Style)> cells)
    {
        writer.WriteStartElement(new Row { RowIndex = (uint)index });
        foreach (var (text, style) in cells)
        {
            WriteText(writer, text, style);
        }
        writer.WriteEndElement();
    }

    private static void WriteText(OpenXmlWriter writer, string text, uint style)
    {
        var bold = style is TitleStyle or BoldStyle or HeaderStyle || (style >= 4 && style % 2 == 1);
        var t = new Text(text);
        if (text.Length > 0 && (char.IsWhiteSpace(text[0]) || char.IsWhiteSpace(text[^1])))
        {
            t.Space = SpaceProcessingModeValues.Preserve;
        }
        // formula-like text carries the quote prefix (as in the formatted writer), whatever the column's style
        var styleIndex = ExportCells.IsFormulaLike(text) ? QuotedStyle + (bold ? 1u : 0u) : style;
        writer.WriteElement(new Cell(new InlineString(t)) { DataType = CellValues.InlineString, StyleIndex = styleIndex });
    }

    private static void WriteNumber(OpenXmlWriter writer, double value, uint style) =>
        writer.WriteElement(new Cell { StyleIndex = style, CellValue = new CellValue(value.ToString("R", CultureInfo.InvariantCulture)) });

    private static string ColumnName(int number)
    {
        var name = "";
        for (; number > 0; number = (number - 1) / 26)
        {
            name = (char)('A' + (number - 1) % 26) + name;
        }
        return name;
    }

    private static string Stylesheet()
    {
        // custom number formats from 164; the order of ColumnFormat decides the data styles' positions
        var formats = Enum.GetValues<ColumnFormat>();
        var numFmts = new StringBuilder();
        var ids = new Dictionary<ColumnFormat, int>();
        var next = 164;
        foreach (var format in formats)
        {
            if (format == ColumnFormat.Text)
            {
                ids[format] = 49; // built-in "@"
                continue;
            }
            ids[format] = next;
            numFmts.Append(CultureInfo.InvariantCulture, $"<numFmt numFmtId=\"{next++}\" formatCode=\"{System.Security.SecurityElement.Escape(ExportCells.ExcelFormat(format))}\"/>");
        }
        var xfs = new StringBuilder();
        xfs.Append("<xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\"/>");
        xfs.Append("<xf numFmtId=\"0\" fontId=\"2\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyFont=\"1\"/>");
        xfs.Append("<xf numFmtId=\"0\" fontId=\"1\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyFont=\"1\"/>");
        xfs.Append("<xf numFmtId=\"0\" fontId=\"1\" fillId=\"2\" borderId=\"1\" xfId=\"0\" applyFont=\"1\" applyFill=\"1\" applyBorder=\"1\"/>");
        foreach (var format in formats)
        {
            foreach (var font in new[] { 0, 1 })
            {
                xfs.Append(CultureInfo.InvariantCulture, $"<xf numFmtId=\"{ids[format]}\" fontId=\"{font}\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyNumberFormat=\"1\" applyFont=\"{font}\"/>");
            }
        }
        xfs.Append("<xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" quotePrefix=\"1\"/>");
        xfs.Append("<xf numFmtId=\"0\" fontId=\"1\" fillId=\"0\" borderId=\"0\" xfId=\"0\" quotePrefix=\"1\" applyFont=\"1\"/>");
        return $"""
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
            <numFmts count="{formats.Length - 1}">{numFmts}</numFmts>
            <fonts count="3"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="14"/><name val="Calibri"/></font></fonts>
            <fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill><fill><patternFill patternType="solid"><fgColor rgb="FFDDE3EA"/><bgColor indexed="64"/></patternFill></fill></fills>
            <borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border><border><left/><right/><top/><bottom style="thin"><color indexed="64"/></bottom><diagonal/></border></borders>
            <cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
            <cellXfs count="{4 + formats.Length * 2 + 2}">{xfs}</cellXfs>
            <cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>
            </styleSheet>
            """.TrimStart();
    }
}
