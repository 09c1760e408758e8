using System.Net;
using RetentionAnalytics.Tests.Support;

namespace RetentionAnalytics.Tests.Portal;

/// <summary>The report download over real HTTP: the signed-in user's own scope, and the report's roles on the server.</summary>
[Collection(PortalCollection.Name)]
public sealed class ReportExportTests(PortalHost portal)
{
    [Fact]
    public async Task A_city_managers_csv_export_of_the_kpi_report_holds_only_their_city()
    {
        var http = await AccessMatrixTests.ClientFor(portal, "manager.hz");
        var before = Province.Now;
        using var response = await http.GetAsync("api/reports/kpi_overview/export?format=csv");
        var after = Province.Now;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // named with the time on the province's clock, the zone of every time on screen, whatever the server keeps
        Assert.Contains(response.Content.Headers.ContentDisposition?.FileName?.Trim('"'),
            new[] { before, after }.Select(t => $"report-kpi_overview-{t:yyyyMMdd-HHmm}.csv"));
        var lines = ExportCsv.Table(await response.Content.ReadAsStringAsync());
        var city = Array.IndexOf(lines[0], "City");
        Assert.True(city >= 0, string.Join(',', lines[0]));
        // the city by name, as on the screen; subtotal rows say so in the same column
        var cities = lines.Skip(1).Select(l => l[city]).Where(c => c.Length > 0 && c != "Subtotal").ToHashSet();
        Assert.Equal(["Hangzhou"], cities);
    }

    [Fact]
    public async Task A_role_the_report_does_not_allow_gets_no_file()
    {
        var http = await AccessMatrixTests.ClientFor(portal, "agent.hz1");
        using var response = await http.GetAsync("api/reports/kpi_overview/export?format=xlsx");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }
}
