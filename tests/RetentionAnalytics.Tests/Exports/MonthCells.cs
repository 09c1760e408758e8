using System.Text;
using RetentionAnalytics.Core.Audit;
using RetentionAnalytics.Core.Exports;
using RetentionAnalytics.Core.Warehouse;
using RetentionAnalytics.Tests.Support;

namespace RetentionAnalytics.Tests.Exports;

/// <summary>
/// Checks a month column of an export the way a spreadsheet user meets it: in both xlsx writers a real date on the
/// month's first day (LibreOffice reads it as a date and shows yyyy-mm), in CSV the month as yyyy-MM text.
/// </summary>
public static class MonthCells
{
    /// <param name="expected">Per row of the table, in order: the month (yyyy-MM) the screen shows, or the text a
    /// non-month cell (a total row's label, nothing) holds.</param>
    public static void AssertExportedAsDates(Db db, string folder, ExportTable table, int column, IReadOnlyList<string> expected)
    {
        var rows = table.Rows.ToList();
        Assert.Equal(rows.Count, expected.Count);
        Assert.Contains(expected, IsMonth);
        var header = table.Columns[column].Header;
        var audit = new AuditLog(db);

        // a threshold above the rows: the formatted writer; of 1: the streaming one
        foreach (var threshold in new[] { 100_000, 1 })
        {
            var path = Path.Combine(folder, $"months-{threshold}.xlsx");
            using (var file = File.Create(path))
            {
                var result = new Exporter(audit, threshold).Export(table with { Rows = rows }, ExportFileType.Xlsx, file, new ExportAudit("leader", "months"));
                Assert.Equal(threshold == 1, result.Streamed);
            }
            var sheet = LibreOffice.ReadTyped(path);
            var first = sheet.FindIndex(r => r.Length > column && r[column].Shown == header) + 1;
            Assert.True(first > 0, $"no header '{header}' in the sheet");
            for (var i = 0; i < expected.Count; i++)
            {
                var cell = sheet[first + i].Length > column ? sheet[first + i][column] : new TypedCell("", "", "");
                if (IsMonth(expected[i]))
                {
                    Assert.Equal(("date", expected[i] + "-01", expected[i]), (cell.Type, cell.Value[..Math.Min(10, cell.Value.Length)], cell.Shown));
                }
                else
                {
                    Assert.Equal(expected[i], cell.Shown);
                    Assert.NotEqual("date", cell.Type);
                }
            }
        }

        using var csv = new MemoryStream();
        new Exporter(audit).Export(table with { Rows = rows }, ExportFileType.Csv, csv, new ExportAudit("leader", "months"));
        var lines = ExportCsv.Table(Encoding.UTF8.GetString(csv.ToArray()));
        var body = lines.Skip(lines.FindIndex(l => l.Length > column && l[column] == header) + 1).ToList();
        Assert.Equal(expected, body.Take(expected.Count).Select(l => l[column]).ToList());
    }

    private static bool IsMonth(string text) =>
        DateOnly.TryParseExact(text, "yyyy-MM", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out _);
}
