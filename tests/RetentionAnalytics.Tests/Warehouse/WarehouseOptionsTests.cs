using RetentionAnalytics.Core.Warehouse;
using RetentionAnalytics.Tests.Support;

namespace RetentionAnalytics.Tests.Warehouse;

/// <summary>DuckDB's memory limit and spill folder come from configuration, with a safe default.</summary>
public sealed class WarehouseOptionsTests
{
    private const long TenGigabytes = 10_000_000_000;

    [Theory]
    [InlineData("8GB", 8_000_000_000)]
    [InlineData("512 MiB", 512L * 1024 * 1024)]
    [InlineData("40%", 4_000_000_000)]
    [InlineData("", 5_000_000_000)]
    [InlineData(null, 5_000_000_000)]
    public void A_memory_limit_is_a_size_or_a_share_of_the_machine_and_empty_means_half_of_it(string? configured, long bytes) =>
        Assert.Equal(bytes, WarehouseOptions.ParseMemoryLimit(configured, TenGigabytes));

    [Theory]
    [InlineData("lots")]
    [InlineData("0%")]
    [InlineData("150%")]
    [InlineData("-2GB")]
    public void A_memory_limit_that_is_no_size_is_refused_with_the_setting_named(string configured)
    {
        var error = Assert.Throws<ArgumentException>(() => WarehouseOptions.ParseMemoryLimit(configured, TenGigabytes));
        Assert.Contains("Warehouse:MemoryLimit", error.Message);
    }

    [Fact]
    public void The_configured_limit_and_spill_folder_are_the_ones_duckdb_works_with()
    {
        var folder = Directory.CreateTempSubdirectory("ra-mem-").FullName;
        try
        {
            var spill = Path.Combine(folder, "spill");
            using var db = Db.Open(new WarehouseOptions { DatabasePath = Path.Combine(folder, "w.duckdb"), MemoryLimit = "1GiB", TempDirectory = spill });
            using var c = db.Connect();
            Assert.Equal("1.0 GiB", Dapper.SqlMapper.ExecuteScalar<string>(c, "select current_setting('memory_limit')"));
            Assert.Equal(spill, Dapper.SqlMapper.ExecuteScalar<string>(c, "select current_setting('temp_directory')"));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Without_configuration_duckdb_gets_half_of_the_machine_and_spills_beside_the_file()
    {
        using var w = new TestWarehouse();
        var machine = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        Assert.Equal((long)(machine * WarehouseOptions.DefaultMemoryShare), w.Db.Options.MemoryLimitBytes);
        Assert.Equal(w.DatabasePath + ".tmp", w.Scalar<string>("select current_setting('temp_directory')"));
        // DuckDB reports the limit rounded ("11.6 GiB"): half the machine's memory, not its own default of 80 %
        var reported = w.Scalar<string>("select current_setting('memory_limit')").Split(' ');
        var bytes = double.Parse(reported[0], System.Globalization.CultureInfo.InvariantCulture) * (reported[1] == "GiB" ? 1L << 30 : 1L << 20);
        Assert.InRange(bytes / machine, WarehouseOptions.DefaultMemoryShare * 0.99, WarehouseOptions.DefaultMemoryShare * 1.01);
    }
}
