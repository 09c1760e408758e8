using Dapper;
using RetentionAnalytics.Core.Generator;
using RetentionAnalytics.Core.Transforms;
using RetentionAnalytics.Core.Warehouse;
using RetentionAnalytics.Tests.Support;

namespace RetentionAnalytics.Tests.Warehouse;

/// <summary>The space rebuilds free is given back by a copy-and-swap that loses nothing and never swaps under a writer.</summary>
public sealed class CompactionTests
{
    [Fact]
    public void Compacting_after_rebuilds_gives_the_space_back_and_keeps_every_row_and_the_next_ids()
    {
        using var w = Rebuilt();
        var compactor = new WarehouseCompactor(w.Db);
        var before = Everything(w.Db);
        var sizeBefore = new FileInfo(w.DatabasePath).Length;
        Assert.True(compactor.Usage().FreeShare > 0.2, $"only {compactor.Usage().FreeShare:P0} free after two rebuilds");

        var result = compactor.Compact(TimeSpan.FromSeconds(10));

        Assert.True(result.Compacted, result.Message);
        Assert.True(new FileInfo(w.DatabasePath).Length < sizeBefore * 0.8, $"{sizeBefore:N0} -> {new FileInfo(w.DatabasePath).Length:N0} bytes");
        // every row is kept; the compaction itself is the one row added (meta.compaction)
        Assert.Equal(before.Select(t => t.StartsWith("meta.compaction:", StringComparison.Ordinal) ? "meta.compaction: 1" : t),
            Everything(w.Db).Select(t => t.StartsWith("meta.compaction:", StringComparison.Ordinal) ? t[..t.IndexOf('/')] : t));
        Assert.Equal(CompactionReason.OnDemandKind, w.Scalar<string>("select reason from meta.compaction"));
        Assert.False(File.Exists(WarehouseCompactor.CopyPath(w.DatabasePath)));
        // the swapped-in file goes on where the old one stopped: the next load gets the next id
        var nextLoad = w.Scalar<long>("select max(load_id) from meta.load_audit") + 1;
        Assert.Equal(nextLoad, w.Scalar<long>("select nextval('meta.load_id_seq')"));
    }

    [Fact]
    public void A_connection_that_stays_open_keeps_the_old_file_and_nothing_is_left_behind()
    {
        using var w = Rebuilt();
        var sizeBefore = new FileInfo(w.DatabasePath).Length;
        using var reader = w.Db.Connect();

        var result = new WarehouseCompactor(w.Db).Compact(TimeSpan.FromMilliseconds(500));

        Assert.False(result.Compacted);
        Assert.Contains("connections stayed open", result.Message);
        Assert.Equal(sizeBefore, new FileInfo(w.DatabasePath).Length);
        Assert.False(File.Exists(WarehouseCompactor.CopyPath(w.DatabasePath)));
        Assert.True(reader.ExecuteScalar<long>("select count(*) from dw.fct_subscriber_month") > 0);
    }

    [Fact]
    public async Task A_write_while_the_copy_is_made_cancels_the_swap_and_the_write_is_kept()
    {
        using var w = Rebuilt();
        using var stop = new CancellationTokenSource();
        var written = 0;
        var writer = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                using var c = w.Db.Connect();
                c.Execute("insert into meta.dq_result (checked_at, extract, check_name, status) values (now(), 'test', 'write_during_copy', 'pass')");
                Interlocked.Increment(ref written);
                Thread.Sleep(2);
            }
        });

        // the writer is running before the copy starts (on a loaded machine its task can start late and miss the copy)
        SpinWait.SpinUntil(() => Volatile.Read(ref written) >= 3, TimeSpan.FromSeconds(30));
        var result = new WarehouseCompactor(w.Db).Compact(TimeSpan.FromSeconds(10));
        await stop.CancelAsync();
        await writer;

        Assert.False(result.Compacted);
        Assert.Contains("written while it was copied", result.Message);
        Assert.Equal(written, w.Scalar<long>("select count(*) from meta.dq_result where check_name = 'write_during_copy'"));
    }

    [Fact]
    public void A_copy_left_by_a_process_that_died_before_its_swap_is_removed_and_the_warehouse_opens_as_it_was()
    {
        using var w = Rebuilt();
        var before = Everything(w.Db);
        var path = w.DatabasePath;
        w.Db.Dispose();
        File.WriteAllText(WarehouseCompactor.CopyPath(path), "half a copy");

        using var reopened = Db.Open(new WarehouseOptions { DatabasePath = path, Threads = 2 });

        Assert.False(File.Exists(WarehouseCompactor.CopyPath(path)));
        Assert.Equal(before, Everything(reopened));
    }

    /// <summary>A small province loaded and rebuilt twice, so that a third of the file or more is free blocks.</summary>
    private static TestWarehouse Rebuilt()
    {
        var w = new TestWarehouse();
        var province = w.Inbox("province");
        ProvinceGenerator.Generate(new GeneratorOptions(800, 3, 23, province) { DailyDays = 3 });
        w.Loader.LoadDirectory(province);
        var runner = new TransformRunner(w.Db, w.Contracts);
        runner.Run();
        runner.Rebuild();
        runner.Rebuild();
        return w;
    }

    /// <summary>Every table of every schema (sequences are checked by the id they hand out next).</summary>
    private static List<string> Everything(Db db)
    {
        using var c = db.Connect();
        var tables = c.Query<string>("""
            select schema_name || '.' || table_name from duckdb_tables()
            where database_name = current_database() and not temporary order by 1
            """).ToList();
        return tables.Select(t => $"{t}: " + c.QuerySingle<string>($"select count(*) || '/' || coalesce(sum(hash(x))::varchar, '-') from {t} as x")).ToList();
    }
}
