using RetentionAnalytics.Core.Warehouse;
using RetentionAnalytics.Tests.Support;

namespace RetentionAnalytics.Tests.Etl;

public sealed class CliTests
{
    [Fact]
    public void The_cli_refuses_a_warehouse_another_process_holds_and_changes_nothing()
    {
        using var w = new TestWarehouse(SubscriberContract.Catalog());
        var before = File.GetLastWriteTimeUtc(w.DatabasePath);

        var (exit, output) = RaCli.Run("status", "--db", w.DatabasePath);

        Assert.Equal(3, exit);
        Assert.Contains("in use by another process", output);
        Assert.Equal(before, File.GetLastWriteTimeUtc(w.DatabasePath));
    }

    [Fact]
    public void Status_reports_loads_as_json()
    {
        var folder = Directory.CreateTempSubdirectory("ra-cli-").FullName;
        try
        {
            var contracts = SubscriberContract.WriteFolder(folder);
            var db = Path.Combine(folder, "w.duckdb");
            var file = Path.Combine(folder, "tsub_20261031.csv");
            File.WriteAllText(file, $"{SubscriberContract.Header}\nS1,Li,A,2024-01-05,3,58.00,1\nS2,Wang,X,2023-03-01,0,18.50,0\n");

            RaCli.RunOk("load", file, "--db", db, "--contracts", contracts, "--no-transform");
            var (exit, json) = RaCli.Run("status", "--json", "--db", db);

            Assert.Equal(0, exit);
            using var doc = System.Text.Json.JsonDocument.Parse(json);
            var totals = doc.RootElement.GetProperty("totals");
            Assert.Equal(2, totals.GetProperty("rowsRead").GetInt64());
            Assert.Equal(1, totals.GetProperty("rowsLoaded").GetInt64());
            Assert.Equal(1, totals.GetProperty("rowsRejected").GetInt64());
            Assert.Equal("tsub_20261031.csv", doc.RootElement.GetProperty("loads")[0].GetProperty("fileName").GetString());
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
