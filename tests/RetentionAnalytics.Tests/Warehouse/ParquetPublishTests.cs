using System.Security.Cryptography;
using System.Text.Json;
using RetentionAnalytics.Core.Publishing;
using RetentionAnalytics.Tests.Support;

namespace RetentionAnalytics.Tests.Warehouse;

/// <summary>
/// <c>ra publish parquet</c>: what a data lake or BI server reads must be the warehouse, row for row, with a manifest
/// that tells the truth about it.
/// </summary>
public sealed class ParquetPublishTests(SampleProvinceFixture sample) : IClassFixture<SampleProvinceFixture>, IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("ra-publish-").FullName;

    [Fact]
    public void Every_fact_and_mart_reads_back_with_DuckDB_exactly_as_the_warehouse_holds_it()
    {
        var target = Path.Combine(_folder, "lake");
        new ParquetPublisher(sample.Warehouse.Db).Publish(target);

        // the manifest on disk, as a reader finds it
        var manifest = JsonSerializer.Deserialize<PublicationManifest>(
            File.ReadAllText(Path.Combine(target, ParquetPublisher.ManifestName)), ParquetPublisher.Json)!;

        var expected = sample.Warehouse.Query<string>("""
            select table_schema || '.' || table_name from information_schema.tables
            where table_type = 'BASE TABLE' and ((table_schema = 'dw' and table_name like 'fct\_%' escape '\') or table_schema = 'mart')
            order by 1
            """);
        Assert.Contains("dw.fct_subscriber_month", expected);
        Assert.Contains("mart.mart_retention_kpi_city_month", expected);
        Assert.Equal(expected, manifest.Tables.Select(t => t.Name).Order(StringComparer.Ordinal));
        Assert.DoesNotContain(manifest.Tables, t => t.Name.Contains("dim_", StringComparison.Ordinal));

        foreach (var table in manifest.Tables)
        {
            var rows = sample.Warehouse.Scalar<long>($"select count(*) from {table.Name}");
            Assert.True(rows > 0, $"{table.Name} is empty in the sample warehouse");
            Assert.Equal(rows, table.Rows);
            Assert.Equal(rows, table.Files.Sum(f => f.Rows));

            // the same rows, both ways round (except all keeps duplicates): read with hive partitions typed as published
            var columns = string.Join(", ", table.Columns.Select(c => $"\"{c.Name}\""));
            var types = string.Join(", ", table.PartitionKeys.Select(k => $"'{k.Name}': {k.Type}"));
            var glob = Path.Combine(target, table.Folder, "**", "*.parquet");
            var read = table.PartitionKeys.Count > 0
                ? $"read_parquet('{glob}', hive_partitioning = true, hive_types = {{{types}}})"
                : $"read_parquet('{glob}')";
            Assert.Equal(rows, sample.Warehouse.Scalar<long>($"select count(*) from {read}"));
            Assert.Equal(0, sample.Warehouse.Scalar<long>(
                $"select count(*) from (select {columns} from {table.Name} except all select {columns} from {read})"));
            Assert.Equal(0, sample.Warehouse.Scalar<long>(
                $"select count(*) from (select {columns} from {read} except all select {columns} from {table.Name})"));

            // the totals the manifest states are the warehouse's
            foreach (var (column, total) in table.Totals)
            {
                var actual = sample.Warehouse.Scalar<double?>($"select cast(sum(\"{column}\") as double) from {table.Name}");
                Assert.True(total is null ? actual is null : Math.Abs(actual!.Value - total.Value) <= 1e-9 * Math.Max(1, Math.Abs(total.Value)),
                    $"{table.Name}.{column}: manifest {total}, warehouse {actual}");
            }

            // every file on disk is listed with its true checksum, and nothing else is there
            var onDisk = Directory.GetFiles(Path.Combine(target, table.Folder), "*", SearchOption.AllDirectories)
                .Select(f => Path.GetRelativePath(target, f).Replace('\\', '/')).Order(StringComparer.Ordinal);
            Assert.Equal(onDisk, table.Files.Select(f => f.Path).Order(StringComparer.Ordinal));
            foreach (var file in table.Files)
            {
                Assert.Equal(file.Sha256, Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(target, file.Path)))));
            }
        }

        // the monthly fact by month and city, a fact with only a month by month, an event fact unpartitioned
        var monthly = manifest.Tables.Single(t => t.Name == "dw.fct_subscriber_month");
        Assert.Equal(["month", "city_code"], monthly.PartitionKeys.Select(k => k.Name));
        var cities = sample.Warehouse.Query<string>("select distinct city_code from dw.fct_subscriber_month where month = date '2026-01-01'");
        Assert.All(cities, city => Assert.True(Directory.Exists(Path.Combine(target, "dw", "fct_subscriber_month", "month=2026-01-01", $"city_code={city}"))));
        Assert.Equal(["bill_month"], manifest.Tables.Single(t => t.Name == "dw.fct_bill").PartitionKeys.Select(k => k.Name));
        Assert.Empty(manifest.Tables.Single(t => t.Name == "dw.fct_payment").PartitionKeys);

        // the build it came from
        Assert.Equal(DateOnly.FromDateTime(sample.Warehouse.Scalar<DateTime>("select as_of_date from dw.as_of")), manifest.Source.AsOfDate);
        Assert.Equal(sample.Warehouse.Scalar<long>("select max(load_id) from meta.load_audit where status = 'loaded'"), manifest.Source.LastLoadId);
        Assert.Equal(sample.Result.Files.Count, manifest.Source.CurrentFiles);
    }

    [Fact]
    public void A_new_publication_replaces_the_previous_one_whole_and_a_foreign_folder_is_refused_untouched()
    {
        var target = Path.Combine(_folder, "lake");
        var publisher = new ParquetPublisher(sample.Warehouse.Db);
        var first = publisher.Publish(target);
        var stray = Path.Combine(target, "dw", "fct_bill", "stray.parquet");
        File.WriteAllText(stray, "left by hand");

        var second = publisher.Publish(target);
        Assert.True(second.PublishedAt > first.PublishedAt);
        Assert.False(File.Exists(stray), "the previous publication is replaced as a whole");
        Assert.Equal(second.PublishedAt, JsonSerializer.Deserialize<PublicationManifest>(
            File.ReadAllText(Path.Combine(target, ParquetPublisher.ManifestName)), ParquetPublisher.Json)!.PublishedAt);
        // no staging or replaced folder is left beside it
        Assert.Equal([target], Directory.GetDirectories(_folder));

        var foreign = Path.Combine(_folder, "documents");
        Directory.CreateDirectory(foreign);
        File.WriteAllText(Path.Combine(foreign, "keep.txt"), "mine");
        var refused = Assert.Throws<PublishException>(() => publisher.Publish(foreign));
        Assert.Contains("holds no earlier publication", refused.Message, StringComparison.Ordinal);
        Assert.Equal(["keep.txt"], Directory.GetFileSystemEntries(foreign).Select(Path.GetFileName));
        Assert.Equal(2, Directory.GetDirectories(_folder).Length);
    }

    [Fact]
    public void The_command_line_says_when_there_is_nothing_to_publish_and_writes_nothing()
    {
        var db = Path.Combine(_folder, "empty.duckdb");
        var target = Path.Combine(_folder, "lake");
        var (exit, output) = RaCli.Run("--db", db, "publish", "parquet", target);
        Assert.Equal(1, exit);
        Assert.Contains("no facts or marts yet", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(target));
        Assert.Empty(Directory.GetDirectories(_folder));

        var (helpExit, help) = RaCli.Run("publish", "parquet", "--help");
        Assert.Equal(0, helpExit);
        Assert.Contains("manifest.json", help, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
