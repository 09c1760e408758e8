using System.Globalization;
using System.Net;
using System.Text.Json;
using RetentionAnalytics.Tests.Exports;
using RetentionAnalytics.Tests.Portal;
using RetentionAnalytics.Tests.Support;

namespace RetentionAnalytics.Tests.Workbench;

/// <summary>
/// The supervisor's lists downloaded over real HTTP: the call list read back by LibreOffice (the rows of the page's
/// filters, the supervisor's regions only, audited), the work orders and the blacklist as CSV.
/// </summary>
[Collection(PortalCollection.Name)]
public sealed class CallListExportTests(PortalHost portal)
{
    private static List<string[]> Csv(string text) => ExportCsv.Table(text);

    [Fact]
    public async Task The_call_list_exports_the_rows_of_the_pages_filters_in_both_formats_within_the_supervisors_city()
    {
        var http = await AccessMatrixTests.ClientFor(portal, "supervisor.hz");

        var csv = Csv(await http.GetStringAsync("api/call-lists/export?format=csv"));
        var header = csv[0];
        int task = Array.IndexOf(header, "Task"), subscriber = Array.IndexOf(header, "Subscriber"), city = Array.IndexOf(header, "City");
        Assert.True(task >= 0 && subscriber >= 0 && city >= 0, string.Join(',', header));
        var all = csv.Skip(1).ToList();
        Assert.NotEmpty(all);
        // names, not codes: the supervisor's city by name
        Assert.All(all, r => Assert.Equal("Hangzhou", r[city]));

        // one subscriber's tasks, as the page's subscriber filter shows them, in a real spreadsheet engine
        var one = all[0][subscriber];
        var expected = all.Where(r => r[subscriber] == one).Select(r => r[task]).ToList();
        using var response = await http.GetAsync($"api/call-lists/export?format=xlsx&subscriber={one}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var path = Path.Combine(Directory.CreateTempSubdirectory("ra-call-list-").FullName, "call-list.xlsx");
        await File.WriteAllBytesAsync(path, await response.Content.ReadAsByteArrayAsync());
        var shown = LibreOffice.ReadAsShown(path);
        var columns = shown.FindIndex(r => r.Length > 0 && r[0] == "Task");
        Assert.True(columns > 0, "the column headers follow the header block");
        Assert.Contains(shown.Take(columns), r => r.Length > 1 && r[0] == "Subscriber" && r[1] == one);
        var rows = shown.Skip(columns + 1).Where(r => r.Length > 0 && r[0].Length > 0).ToList();
        Assert.Equal(expected, rows.Select(r => r[0]).ToList());
        Assert.All(rows, r => Assert.Equal(one, r[1]));

        var admin = await AccessMatrixTests.ClientFor(portal, "admin");
        var exports = JsonDocument.Parse(await admin.GetStringAsync("api/admin/audit?action=export&user=supervisor.hz"))
            .RootElement.EnumerateArray().Select(e => e.GetProperty("target").GetString()).ToList();
        Assert.Contains("call-list", exports);
    }

    [Fact]
    public async Task The_work_orders_export_holds_the_same_orders_as_the_list_and_the_blacklist_export_the_supervisors_cities()
    {
        var http = await AccessMatrixTests.ClientFor(portal, "supervisor.hz");

        var listed = JsonDocument.Parse(await http.GetStringAsync("api/work-orders")).RootElement.EnumerateArray()
            .Select(o => o.GetProperty("workOrderId").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        var orders = Csv(await http.GetStringAsync("api/work-orders/export?format=csv"));
        Assert.Equal(["Work order", "Task", "Subscriber", "City", "Department", "Status"], orders[0].Take(6));
        Assert.Equal(listed, orders.Skip(1).Select(r => r[0]).ToList());

        var blacklist = Csv(await http.GetStringAsync("api/blacklist/export?format=csv&expired=true"));
        var city = Array.IndexOf(blacklist[0], "City");
        Assert.True(city >= 0, string.Join(',', blacklist[0]));
        Assert.All(blacklist.Skip(1), r => Assert.True(r[city] is "571" or "", r[city]));
    }

    /// <summary>
    /// Operational lists are read live, so their "Data as of" line says when: the moment of the export on the province's
    /// clock (Asia/Shanghai in the sample), in CSV and in xlsx as a spreadsheet shows it.
    /// </summary>
    [Fact]
    public async Task Every_operational_export_states_when_its_data_was_read_in_the_provinces_time()
    {
        var supervisor = await AccessMatrixTests.ClientFor(portal, "supervisor.hz");
        var admin = await AccessMatrixTests.ClientFor(portal, "admin");
        var province = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
        DateTime Now() => TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, province).DateTime;

        foreach (var (http, path) in new[]
        {
            (supervisor, "api/call-lists/export"), (supervisor, "api/work-orders/export"), (supervisor, "api/blacklist/export"),
            (supervisor, "api/sms/sends/export"), (admin, "api/admin/audit/export"),
        })
        {
            var before = Now().AddSeconds(-1);
            var lines = LibreOffice.ParseCsv((await http.GetStringAsync(path + "?format=csv")).TrimStart('\uFEFF'));
            var after = Now().AddSeconds(1);
            var stamp = lines.Single(l => l[0] == "Data as of")[1];
            var read = DateTime.ParseExact(stamp, "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
            Assert.InRange(read, before, after);
        }

        var xlsx = Path.Combine(Directory.CreateTempSubdirectory("ra-as-of-").FullName, "call-list.xlsx");
        var start = Now().AddSeconds(-1);
        await File.WriteAllBytesAsync(xlsx, await supervisor.GetByteArrayAsync("api/call-lists/export?format=xlsx"));
        var end = Now().AddSeconds(1);
        var shown = LibreOffice.ReadAsShown(xlsx).Single(r => r.Length > 1 && r[0] == "Data as of")[1];
        Assert.InRange(DateTime.ParseExact(shown, "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture), start, end);
    }
}
