using System.Text.RegularExpressions;
using Dapper;
using RetentionAnalytics.Core.Pipeline;
using RetentionAnalytics.Core.Transforms;
using RetentionAnalytics.Core.Warehouse;
using RetentionAnalytics.Tests.Support;
using Xunit.Abstractions;

namespace RetentionAnalytics.Tests.Warehouse;

/// <summary>
/// The pipeline compacts a file that grew by more than Warehouse:CompactAtGrowth since its last compaction (or since the
/// baseline measured the first time it checked), says why, and keeps the record of each compaction in the compacted file.
/// </summary>
public sealed class CompactionTriggerTests(DailyProvinceFixture province, ITestOutputHelper output) : IClassFixture<DailyProvinceFixture>
{
    [Fact]
    public void A_warehouse_never_compacted_records_a_baseline_at_the_first_check_and_is_not_compacted()
    {
        using var w = Warehouse(growth: 0.25);

        var first = Run(w, FirstMonth);

        Assert.Null(first.Compaction);
        var baseline = Assert.Single(Records(w.Db));
        Assert.Equal((CompactionReason.Baseline, CompactionReason.FirstMeasured), (baseline.Reason, baseline.Detail));
        Assert.InRange(baseline.BytesAfter, Bytes(w.DatabasePath), Bytes(w.DatabasePath) + Bytes(w.DatabasePath + ".wal"));
        Assert.Equal(baseline.BytesBefore, baseline.BytesAfter);
    }

    [Fact]
    public void A_warehouse_that_grew_past_the_share_since_its_last_compaction_is_compacted_by_the_pipeline_for_that_reason()
    {
        using var w = Warehouse(growth: 0.25);
        Run(w, FirstMonth);
        var onDemand = new WarehouseCompactor(w.Db).Compact(TimeSpan.FromSeconds(10));
        Assert.True(onDemand.Compacted, onDemand.Message);

        // the first build after a compaction takes the room a refresh needs: its size is the new baseline, not a reason
        var settling = Run(w, [SmallestOfSecondMonth]);
        Assert.Null(settling.Compaction);
        var baseline = Records(w.Db)[^1];
        Assert.Equal((CompactionReason.Baseline, CompactionReason.AfterCompaction), (baseline.Reason, baseline.Detail));
        var grown = Run(w, RestOfHistory.Where(f => f != SmallestOfSecondMonth));

        var compaction = grown.Compaction;
        Assert.NotNull(compaction);
        Assert.True(compaction.Compacted, compaction.Message);
        Assert.Equal(CompactionReason.GrowthKind, compaction.Reason?.Kind);
        Assert.True(compaction.BytesBefore > 1.25 * baseline.BytesAfter, $"{baseline.BytesAfter:N0} -> {compaction.BytesBefore:N0} bytes");
        // the summary the operations page shows says why
        Assert.Contains($"since the first build after the last compaction ({baseline.BytesAfter / 1e6:N0} MB -> {compaction.BytesBefore / 1e6:N0} MB)",
            grown.ToString(), StringComparison.Ordinal);
        output.WriteLine(grown.ToString());

        // the records are in the swapped-in file and stay there
        var path = w.DatabasePath;
        w.Db.Dispose();
        using var reopened = Db.Open(new WarehouseOptions { DatabasePath = path, Threads = 2 });
        var records = Records(reopened);
        Assert.Equal([CompactionReason.Baseline, CompactionReason.OnDemandKind, CompactionReason.Baseline, CompactionReason.GrowthKind],
            records.Select(r => r.Reason));
        Assert.Equal((onDemand.BytesBefore, onDemand.BytesAfter), (records[1].BytesBefore, records[1].BytesAfter));
        Assert.Equal((compaction.BytesBefore, compaction.BytesAfter), (records[3].BytesBefore, records[3].BytesAfter));
        Assert.Contains("since the first build after the last compaction", records[3].Detail, StringComparison.Ordinal);
        Assert.Equal(CompactionReason.GrowthKind, new WarehouseCompactor(reopened).LastRecord()?.Reason);
    }

    [Fact]
    public void A_warehouse_that_grew_less_than_the_share_since_its_baseline_is_not_compacted()
    {
        using var w = Warehouse(growth: 0.25);
        Run(w, FirstMonth);
        var baseline = Assert.Single(Records(w.Db)).BytesAfter;
        w.Db.Options.CompactAtGrowth = 50;

        var grown = Run(w, RestOfHistory);

        Assert.Null(grown.Compaction);
        Assert.True(Bytes(w.DatabasePath) > baseline, $"the file did not grow from {baseline:N0} bytes");
        Assert.Equal([CompactionReason.Baseline], Records(w.Db).Select(r => r.Reason));
        output.WriteLine($"baseline {baseline:N0} bytes, now {Bytes(w.DatabasePath):N0}");
    }

    [Fact]
    public void Compact_if_needed_on_the_command_line_says_the_file_grew_and_compacts_it_once()
    {
        using var w = Warehouse(growth: 0.25);
        Run(w, FirstMonth);
        // the rest loaded and built without the pipeline's check, as ra load does
        Deliver(w, RestOfHistory);
        new TransformRunner(w.Db, w.Contracts).Run();
        var path = w.DatabasePath;
        w.Db.Dispose();
        var settings = new Dictionary<string, string> { ["Warehouse__CompactMinimumBytes"] = "0", ["Warehouse__CompactAtFreeShare"] = "0" };

        // the console wraps long lines
        var compacted = Regex.Replace(RaCli.RunOk(settings, "compact", "--if-needed", "--db", path), @"\s+", " ");
        var again = Regex.Replace(RaCli.RunOk(settings, "compact", "--if-needed", "--db", path), @"\s+", " ");
        output.WriteLine(compacted + "\n" + again);

        Assert.Contains("file compacted from", compacted, StringComparison.Ordinal);
        Assert.Contains("since it was first measured", compacted, StringComparison.Ordinal);
        Assert.Contains("not worth compacting", again, StringComparison.Ordinal);
        using var reopened = Db.Open(new WarehouseOptions { DatabasePath = path, Threads = 2 });
        // the second check was the first after the compaction: it took the new baseline
        Assert.Equal([CompactionReason.Baseline, CompactionReason.GrowthKind, CompactionReason.Baseline], Records(reopened).Select(r => r.Reason));
    }

    private sealed record Row(string Reason, long BytesBefore, long BytesAfter, string Detail);

    private static List<Row> Records(Db db)
    {
        using var c = db.Connect();
        return c.Query<Row>("select reason as Reason, bytes_before as BytesBefore, bytes_after as BytesAfter, detail as Detail from meta.compaction order by recorded_at").ToList();
    }

    /// <summary>A file small enough for a test is worth compacting; only the growth trigger decides.</summary>
    private static TestWarehouse Warehouse(double growth)
    {
        var w = new TestWarehouse();
        w.Db.Options.CompactMinimumBytes = 0;
        w.Db.Options.CompactAtFreeShare = 0;
        w.Db.Options.CompactAtGrowth = growth;
        return w;
    }

    private IEnumerable<string> FirstMonth => province.History.Where(f => Month(f) == province.History.Min(Month));

    private string SmallestOfSecondMonth => RestOfHistory.Where(f => Month(f) == FirstMonth.Max(Month) + 1).MinBy(f => new FileInfo(f).Length)!;

    private IEnumerable<string> RestOfHistory => province.History.Where(f => Month(f) != province.History.Min(Month))
        .Concat(province.Day(DailyProvinceFixture.FirstDay));

    private static int Month(string file) => DailyProvinceFixture.BusinessDate(file) is var d ? d.Year * 12 + d.Month : 0;

    private static PipelineResult Run(TestWarehouse w, IEnumerable<string> files)
    {
        var pipeline = new DailyPipeline(w.Loader, new TransformRunner(w.Db, w.Contracts), w.Quality, [], new WarehouseCompactor(w.Db));
        var result = pipeline.Run(Inbox(w, files), null, CancellationToken.None);
        Assert.All(result.Files, r => Assert.Equal("loaded", r.Status));
        return result;
    }

    private static void Deliver(TestWarehouse w, IEnumerable<string> files) =>
        Assert.All(w.Loader.LoadDirectory(Inbox(w, files)), r => Assert.Equal("loaded", r.Status));

    private static string Inbox(TestWarehouse w, IEnumerable<string> files)
    {
        var inbox = w.Inbox($"delivery-{Guid.NewGuid():N}");
        foreach (var f in files)
        {
            File.Copy(f, Path.Combine(inbox, Path.GetFileName(f)));
        }
        return inbox;
    }

    private static long Bytes(string path) => File.Exists(path) ? new FileInfo(path).Length : 0;
}
