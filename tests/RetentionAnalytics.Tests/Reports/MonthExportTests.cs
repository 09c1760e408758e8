using RetentionAnalytics.Core.Exports;
using RetentionAnalytics.Tests.Exports;

namespace RetentionAnalytics.Tests.Reports;

[Collection(ReportsCollection.Name)]
public sealed class MonthExportTests(ReportsFixture f)
{
    [Theory]
    [InlineData("en")]
    [InlineData("de")]
    [InlineData("zh")]
    public void The_kpi_reports_months_are_dates_in_its_spreadsheet_whatever_the_language_and_yyyy_MM_in_its_csv(string language)
    {
        var result = f.Engine.Run("kpi_overview", new Dictionary<string, string>(), ReportsFixture.Leader with { Language = language });
        var table = result.ToExportTable();
        var column = result.Visible.ToList().FindIndex(c => c.Name == "year_month");
        var month = result.Column("year_month").Index;

        Assert.Equal(ColumnFormat.Month, table.Columns[column].Format);
        Assert.Contains(result.Rows, r => r.Kind == ExportRowKind.Subtotal);
        MonthCells.AssertExportedAsDates(f.Db, f.Warehouse.Folder, table, column,
            result.Rows.Select(r => Convert.ToString(result.Shown(r, result.Column("year_month"))) ?? "").ToList());
        Assert.All(result.Rows.Where(r => r.Kind == ExportRowKind.Data), r => Assert.Matches(@"^\d{4}-\d{2}$", (string)r.Cells[month]!));
    }
}
