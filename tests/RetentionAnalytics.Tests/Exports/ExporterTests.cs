using System.Text;
using ClosedXML.Excel;
using RetentionAnalytics.Core.Audit;
using RetentionAnalytics.Core.Exports;
using RetentionAnalytics.Tests.Support;

namespace RetentionAnalytics.Tests.Exports;

public sealed class ExporterTests : IDisposable
{
    private readonly TestWarehouse _warehouse = new();
    private readonly AuditLog _audit;

    public ExporterTests() => _audit = new AuditLog(_warehouse.Db);

    public void Dispose() => _warehouse.Dispose();

    private string Export(ExportTable table, ExportFileType type, int threshold, out ExportResult result, string name)
    {
        var path = Path.Combine(_warehouse.Folder, name);
        using (var file = File.Create(path))
        {
            result = new Exporter(_audit, threshold).Export(table, type, file, new ExportAudit("manager.hz", "report:kpi", "127.0.0.1"));
        }
        return path;
    }

    [Fact]
    public void Formatted_xlsx_reads_back_in_LibreOffice_with_header_block_formats_totals_and_chinese_text()
    {
        var rows = ExportTables.Rows(_warehouse, 40);
        var path = Export(ExportTables.Table(rows, rows.Count), ExportFileType.Xlsx, 1000, out var result, "formatted.xlsx");

        Assert.False(result.Streamed);
        Assert.Equal(rows.Count, result.Rows);
        var shown = LibreOffice.ReadAsShown(path);
        AssertShowsTable(shown, rows);
    }

    [Fact]
    public void Streamed_xlsx_above_the_threshold_reads_back_the_same_as_the_formatted_one()
    {
        var rows = ExportTables.Rows(_warehouse, 60);
        var formatted = Export(ExportTables.Table(rows, rows.Count), ExportFileType.Xlsx, 1000, out var small, "formatted.xlsx");
        // unknown row count: the exporter counts ahead and switches to streaming past the threshold
        var streamed = Export(ExportTables.Table(rows, rowCount: null), ExportFileType.Xlsx, 50, out var large, "streamed.xlsx");

        Assert.False(small.Streamed);
        Assert.True(large.Streamed);
        Assert.Equal(rows.Count, large.Rows);
        var streamedShown = LibreOffice.ReadAsShown(streamed);
        AssertShowsTable(streamedShown, rows);
        var formattedShown = LibreOffice.ReadAsShown(formatted);
        Assert.Equal(formattedShown.Count, streamedShown.Count);
        for (var r = 0; r < formattedShown.Count; r++)
        {
            Assert.Equal(ExportTables.Width(formattedShown[r], 8), ExportTables.Width(streamedShown[r], 8));
        }
    }

    [Fact]
    public void Both_xlsx_writers_freeze_the_column_headers_below_the_header_block_and_set_number_formats()
    {
        var rows = ExportTables.Rows(_warehouse, 12);
        var formatted = Export(ExportTables.Table(rows, rows.Count), ExportFileType.Xlsx, 1000, out _, "formatted.xlsx");
        var streamed = Export(ExportTables.Table(rows, rows.Count), ExportFileType.Xlsx, 5, out var streamedResult, "streamed.xlsx");
        Assert.True(streamedResult.Streamed);

        // title, 2 filters, data as of, blank, 1 band, column headers
        const int headerRow = 7;
        foreach (var path in new[] { formatted, streamed })
        {
            using var workbook = new XLWorkbook(path);
            var sheet = workbook.Worksheet(1);
            Assert.Equal(headerRow, sheet.SheetView.SplitRow);
            Assert.Equal("Subscribers", sheet.Cell(headerRow, 2).GetString());
            Assert.True(sheet.Cell(headerRow, 2).Style.Font.Bold);
            Assert.Equal("#,##0", sheet.Cell(headerRow + 1, 2).Style.NumberFormat.Format);
            Assert.Equal("#,##0.00", sheet.Cell(headerRow + 1, 3).Style.NumberFormat.Format);
            Assert.Equal("0.00%", sheet.Cell(headerRow + 1, 4).Style.NumberFormat.Format);
            Assert.Equal("yyyy-mm-dd", sheet.Cell(headerRow + 1, 6).Style.NumberFormat.Format);
            Assert.Equal(XLDataType.Number, sheet.Cell(headerRow + 1, 2).DataType);
            Assert.Equal(XLDataType.DateTime, sheet.Cell(headerRow + 1, 6).DataType);
            // a negative number stays a number; leading-zero ids stay text
            Assert.Equal(-1.25, sheet.Cell(headerRow + 1, 5).GetDouble());
            Assert.Equal(XLDataType.Text, sheet.Cell(headerRow + 1, 8).DataType);
            Assert.Equal("00000001", sheet.Cell(headerRow + 1, 8).GetString());
            // formula-like text is text with the quote prefix, never a formula
            var formulaLike = sheet.Cell(headerRow + 1, 1);
            Assert.Equal("=1+1", formulaLike.GetString());
            Assert.False(formulaLike.HasFormula);
            Assert.True(formulaLike.Style.IncludeQuotePrefix);
            var lastRow = headerRow + rows.Count;
            Assert.True(sheet.Cell(lastRow, 1).Style.Font.Bold, "the total row is bold");
            Assert.False(sheet.Cell(lastRow - 2, 1).Style.Font.Bold, "data rows are not bold");
            Assert.Equal($"A{headerRow}:H{lastRow}", sheet.AutoFilter.Range.RangeAddress.ToString());
        }
    }

    [Fact]
    public void Xlsx_beyond_the_sheet_limit_is_refused_before_writing_and_the_refusal_is_audited()
    {
        // header block of this table: 7 rows, so 1,048,569 data rows fit
        var fits = 1_048_576 - 7;
        using var output = new MemoryStream();
        var tooLarge = ExportTables.Table(RowsThatMustNotBeRead(), fits + 1);

        var ex = Assert.Throws<ExportTooLargeException>(() =>
            new Exporter(_audit).Export(tooLarge, ExportFileType.Xlsx, output, new ExportAudit("analyst", "report:big")));

        Assert.Contains("CSV", ex.Message);
        Assert.Equal(0, output.Length);
        var entry = Assert.Single(_audit.Query(action: "export"));
        Assert.Equal("denied", entry.Outcome);
        Assert.Equal("report:big", entry.Target);

        // at exactly the limit the exporter starts writing (the sentinel row enumeration is reached)
        var atLimit = ExportTables.Table(RowsThatMustNotBeRead(), fits);
        Assert.Throws<RowsReadException>(() =>
            new Exporter(_audit).Export(atLimit, ExportFileType.Xlsx, new MemoryStream(), new ExportAudit("analyst", "report:big")));
    }

    [Fact]
    public void Csv_has_the_excel_exports_header_block_and_numbers_as_shown_utf8_with_bom_and_every_text_quoted()
    {
        var rows = ExportTables.Rows(_warehouse, 10);
        var path = Export(ExportTables.Table(rows, rows.Count), ExportFileType.Csv, 1000, out var result, "export.csv");

        var bytes = File.ReadAllBytes(path);
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        var text = Encoding.UTF8.GetString(bytes[3..]);
        var lines = LibreOffice.ParseCsv(text);
        Assert.Equal(rows.Count, result.Rows);
        // title, two filters, data-as-of, an empty line, the band, the headers: as in the xlsx
        Assert.Equal(["Retention KPI 保有率", "", "", "", "", "", "", ""], lines[0]);
        Assert.Equal(["City", "杭州 Hangzhou", "", "", "", "", "", ""], lines[1]);
        Assert.Equal(["Period", "2026-10", "", "", "", "", "", ""], lines[2]);
        Assert.Equal(["Data as of", "2026-10-31 06:00:00", "", "", "", "", "", ""], lines[3]);
        Assert.All(lines[4], f => Assert.Equal("", f));
        Assert.All(lines, l => Assert.Equal(8, l.Length));
        Assert.Equal(["Region", "", "Money", "", "", "", "", ""], lines[5]);
        Assert.Equal(ExportTables.Columns.Select(c => c.Header), lines[6]);
        Assert.Equal(7 + rows.Count, lines.Count);
        Assert.Equal(ExportTables.Columns.Select(c => c.Header), ExportCsv.Table(text)[1]);

        var inv = System.Globalization.CultureInfo.InvariantCulture;
        for (var r = 0; r < rows.Count; r++)
        {
            var cells = rows[r].Cells;
            var line = lines[r + 7];
            var label = (string)cells[0]!;
            Assert.Equal(label[0] is '=' or '-' or '@' ? "'" + label : label, line[0]);
            Assert.Equal(Convert.ToInt64(cells[1]).ToString(inv), line[1]);
            Assert.Equal(Convert.ToDouble(cells[2]).ToString("0.00", inv), line[2]);
            Assert.Equal(cells[3] is null ? "" : (Convert.ToDouble(cells[3]) * 100).ToString("0.00", inv) + "%", line[3]);
            Assert.Equal(cells[4] is null ? "" : Convert.ToDouble(cells[4]).ToString("0.00", inv), line[4]);
            if (r < rows.Count - 2)
            {
                Assert.StartsWith("-", line[4] == "" ? "-" : line[4]); // negative numbers are numbers, not neutralised
                Assert.Matches(@"^\d{4}-\d{2}-\d{2}$", line[5]);
                Assert.Matches(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$", line[6]);
                Assert.Equal((string)cells[7]!, line[7]);
            }
        }
        // no raw fraction anywhere, and every text field in quotes (numbers are not)
        Assert.DoesNotMatch(@"\d\.\d{5,}", text);
        Assert.Contains("\"00000001\"", text);
        Assert.Contains("\"'=1+1\",1007,1234.50,12.50%,", text);
    }

    [Fact]
    public void A_plain_list_as_csv_starts_with_its_column_headers()
    {
        var rows = ExportTables.Rows(_warehouse, 3);
        var table = ExportTables.Table(rows, rows.Count) with { Title = "", Filters = [], DataAsOf = null, HeaderBands = null };
        var lines = LibreOffice.ParseCsv(Encoding.UTF8.GetString(File.ReadAllBytes(Export(table, ExportFileType.Csv, 1000, out _, "list.csv"))[3..]));

        Assert.Equal(ExportTables.Columns.Select(c => c.Header), lines[0]);
        Assert.Equal(rows.Count + 1, lines.Count);
    }

    /// <summary>
    /// Issue 13 item 3: text such as <c>semi2;=1+2;</c> (an offer name, a work-order description, an audit target)
    /// became a live formula when the CSV was opened with ';' as separator, German Excel's and LibreOffice's default.
    /// </summary>
    [Theory]
    [InlineData(';')]
    [InlineData(',')]
    public void No_cell_of_an_exported_csv_becomes_a_formula_in_libreoffice_whichever_separator_it_is_opened_with(char separator)
    {
        string[] payloads =
        [
            "semi2;=1+2;", "comma,=1+2,", "=1+2", "+1+2", "-1+2", "@SUM(1+2)", "\t=1+2", "\r=1+2", "x;+cmd|' /C calc'!A0",
            "a;@SUM(1);b", "q\";=1+2;\"", "plain text", "杭州;=1+1",
        ];
        var table = new ExportTable("Audit", [new ExportFilter("Target", "t;=2+2")], null,
            [new ExportColumn("Value"), new ExportColumn("Count", ColumnFormat.Integer)],
            payloads.Select((p, i) => new ExportRow([p, i - 3])).ToList(), payloads.Length);
        var csv = Export(table, ExportFileType.Csv, 1000, out _, $"injection-{(int)separator}.csv");

        using var opened = new XLWorkbook(LibreOffice.OpenCsvAsXlsx(csv, separator));
        var cells = opened.Worksheet(1).CellsUsed().ToList();
        Assert.DoesNotContain(cells, c => c.HasFormula);
        var values = cells.Select(c => c.GetString().Replace("\r\n", "\n").Replace('\r', '\n')).ToList();
        Assert.DoesNotContain(values, v => v.TrimStart(' ').Length > 0 && v.TrimStart(' ')[0] is '=' or '+' or '@');
        if (separator == ',')
        {
            // opened as written, each value is one cell of text, shown with its apostrophes
            foreach (var payload in payloads)
            {
                Assert.Contains(CsvExportWriter.Neutralise(payload).Replace("\r\n", "\n").Replace('\r', '\n'), values);
            }
            Assert.Contains("t;'=2+2", values);
            // the counts stay numbers, negative ones included
            Assert.Contains(cells, c => c.DataType == XLDataType.Number && c.GetDouble() == -3);
        }
    }

    [Fact]
    public void The_libreoffice_check_sees_a_formula_in_an_unprotected_csv()
    {
        // the check above would catch the defect: the same payload written raw becomes a formula
        var raw = Path.Combine(_warehouse.Folder, "raw.csv");
        File.WriteAllText(raw, "Value\nsemi2;=1+2;\n");

        using var opened = new XLWorkbook(LibreOffice.OpenCsvAsXlsx(raw, ';'));

        Assert.Contains(opened.Worksheet(1).CellsUsed(), c => c.HasFormula);
    }

    [Theory]
    [InlineData("de", "Datenstand")]
    [InlineData("zh", "数据截至")]
    public void The_data_as_of_stamp_is_labelled_in_the_tables_language_by_both_writers(string language, string label)
    {
        var rows = ExportTables.Rows(_warehouse, 3);
        var table = ExportTables.Table(rows, rows.Count) with { Language = language };
        foreach (var (threshold, name) in new[] { (1000, "formatted-" + language + ".xlsx"), (1, "streamed-" + language + ".xlsx") })
        {
            var shown = LibreOffice.ReadAsShown(Export(table, ExportFileType.Xlsx, threshold, out _, name));
            Assert.Equal([label, "2026-10-31 06:00:00"], ExportTables.Width(shown[3], 2));
        }
    }

    [Fact]
    public void Every_export_writes_an_audit_row_with_the_user_target_file_type_and_rows()
    {
        var rows = ExportTables.Rows(_warehouse, 5);
        Export(ExportTables.Table(rows, rows.Count), ExportFileType.Xlsx, 1000, out _, "a.xlsx");
        Export(ExportTables.Table(rows, null), ExportFileType.Csv, 1000, out _, "a.csv");

        var entries = _audit.Query(action: "export").OrderBy(e => e.AuditId).ToList();
        Assert.Equal(2, entries.Count);
        Assert.All(entries, e =>
        {
            Assert.Equal("manager.hz", e.Username);
            Assert.Equal("report:kpi", e.Target);
            Assert.Equal("ok", e.Outcome);
            Assert.Equal("127.0.0.1", e.ClientIp);
        });
        Assert.Equal($"type=xlsx rows={rows.Count} streamed=no", entries[0].Detail);
        Assert.Equal($"type=csv rows={rows.Count} streamed=yes", entries[1].Detail);
    }

    private static void AssertShowsTable(List<string[]> shown, List<ExportRow> rows)
    {
        const int width = 8;
        Assert.Equal("Retention KPI 保有率", shown[0][0]);
        Assert.Equal(["City", "杭州 Hangzhou"], ExportTables.Width(shown[1], 2));
        Assert.Equal(["Period", "2026-10"], ExportTables.Width(shown[2], 2));
        Assert.Equal(["Data as of", "2026-10-31 06:00:00"], ExportTables.Width(shown[3], 2));
        Assert.All(ExportTables.Width(shown[4], width), cell => Assert.Equal("", cell));
        Assert.Equal(["Region", "", "Money", "", "", "", "", ""], ExportTables.Width(shown[5], width));
        Assert.Equal(ExportTables.Columns.Select(c => c.Header), ExportTables.Width(shown[6], width));
        Assert.Equal(7 + rows.Count, shown.Count);
        for (var r = 0; r < rows.Count; r++)
        {
            var expected = rows[r].Cells.Select((v, c) => ExportTables.Shown(v, ExportTables.Columns[c].Format)).ToArray();
            Assert.Equal(expected, ExportTables.Width(shown[7 + r], width));
        }
    }

    private sealed class RowsReadException : Exception;

    private static IEnumerable<ExportRow> RowsThatMustNotBeRead()
    {
        throw new RowsReadException();
#pragma warning disable CS0162 // makes this an iterator: the exception comes at the first MoveNext, not at the call
        yield break;
#pragma warning restore CS0162
    }
}
