using RetentionAnalytics.Core.Warehouse;
using RetentionAnalytics.Tests.Support;

namespace RetentionAnalytics.Tests.Warehouse;

/// <summary>
/// The process's memory limit and DuckDB's spill folder come from configuration, with a safe default; DuckDB's buffer
/// manager gets the limit less a reserve for the heap, and lends that to training while it holds its rows.
/// </summary>
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
            // half of the process's gigabyte stays outside DuckDB's buffer manager: a small process keeps at least that
            Assert.Equal("512.0 MiB", Dapper.SqlMapper.ExecuteScalar<string>(c, "select current_setting('memory_limit')"));
            Assert.Equal(spill, Dapper.SqlMapper.ExecuteScalar<string>(c, "select current_setting('temp_directory')"));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Without_configuration_the_process_gets_half_of_the_machine_and_duckdb_spills_beside_the_file()
    {
        using var w = new TestWarehouse();
        var machine = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        Assert.Equal((long)(machine * WarehouseOptions.DefaultMemoryShare), w.Db.Options.MemoryLimitBytes);
        Assert.Equal(w.DatabasePath + ".tmp", w.Scalar<string>("select current_setting('temp_directory')"));
        // half the machine's memory for the process, three quarters of that for DuckDB, not its own default of 80 %
        var share = WarehouseOptions.DefaultMemoryShare * (1 - WarehouseOptions.HeapShare);
        Assert.InRange(Limit(w.Db) / machine, share * 0.99, share * 1.01);
    }

    [Theory]
    [InlineData(10_000_000_000, 2_500_000_000)]
    [InlineData(2_000_000_000, 939_524_096)]
    [InlineData(1_000_000_000, 500_000_000)]
    public void The_heap_keeps_a_quarter_of_the_process_at_least_896_MiB_and_at_most_half(long process, long reserve) =>
        Assert.Equal(reserve, WarehouseOptions.HeapReserve(process));

    [Fact]
    public void A_loan_to_the_heap_lowers_duckdbs_limit_while_it_lasts_and_never_below_a_quarter()
    {
        var folder = Directory.CreateTempSubdirectory("ra-mem-").FullName;
        try
        {
            using var db = Db.Open(new WarehouseOptions { DatabasePath = Path.Combine(folder, "w.duckdb"), MemoryLimit = "4GiB" });
            var full = Limit(db);
            Assert.Equal(3L << 30, full);
            using (db.LendToHeap(1L << 30))
            {
                Assert.Equal(2L << 30, Limit(db));
                using (db.LendToHeap(1L << 30))
                {
                    Assert.Equal(1L << 30, Limit(db));
                    using (db.LendToHeap(4L << 30))
                    {
                        Assert.Equal(full / 4, Limit(db));
                    }
                }
                Assert.Equal(2L << 30, Limit(db));
            }
            Assert.Equal(full, Limit(db));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>DuckDB's limit as it reports it ("11.6 GiB", "768.0 MiB"), in bytes.</summary>
    private static double Limit(Db db)
    {
        using var c = db.Connect();
        var reported = Dapper.SqlMapper.ExecuteScalar<string>(c, "select current_setting('memory_limit')")!.Split(' ');
        return double.Parse(reported[0], System.Globalization.CultureInfo.InvariantCulture) * (reported[1] == "GiB" ? 1L << 30 : 1L << 20);
    }
}
