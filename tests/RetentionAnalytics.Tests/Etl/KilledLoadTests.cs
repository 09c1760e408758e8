using System.Diagnostics;
using System.Text;
using RetentionAnalytics.Core.Etl.Contracts;
using RetentionAnalytics.Core.Warehouse;
using RetentionAnalytics.Tests.Support;

namespace RetentionAnalytics.Tests.Etl;

/// <summary>A load process killed at any moment leaves the warehouse as it was before the file, or with the whole file.</summary>
public sealed class KilledLoadTests
{
    [Fact]
    public void A_killed_load_leaves_the_warehouse_as_it_was_before_the_file()
    {
        var folder = Directory.CreateTempSubdirectory("ra-kill-").FullName;
        try
        {
            var (contracts, db, big) = SmallLoadedAndBigWaiting(folder);

            var killedMidLoad = 0;
            foreach (var delay in new[] { 300, 900, 1800, 3000 })
            {
                using var p = RaCli.Start("load", big, "--db", db, "--contracts", contracts, "--no-transform");
                var exited = p.WaitForExit(delay);
                if (!exited)
                {
                    p.Kill(entireProcessTree: true);
                    p.WaitForExit();
                    killedMidLoad++;
                }
                AssertConsistent(db, contracts);
                if (exited)
                {
                    break;
                }
            }
            Assert.True(killedMidLoad > 0, "every load finished before it could be killed; the test file is too small for this machine");

            // after the kills, the same file still loads completely, exactly once
            RaCli.RunOk("load", big, "--db", db, "--contracts", contracts, "--no-transform");
            RaCli.RunOk("load", big, "--db", db, "--contracts", contracts, "--no-transform");
            using var w = Db.Open(new WarehouseOptions { DatabasePath = db });
            using var c = w.Connect();
            Assert.Equal(BigRows + 2L, Dapper.SqlMapper.ExecuteScalar<long>(c, "select count(*) from stg.tsub"));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task A_load_stopped_by_a_signal_says_so_and_leaves_the_warehouse_as_it_was_before_the_file()
    {
        var folder = Directory.CreateTempSubdirectory("ra-stop-").FullName;
        try
        {
            // Ctrl+C's SIGINT, and SIGTERM as a service manager stops a job: each with the shell's code, 128 + the signal,
            // each on a warehouse of its own (a load that finishes leaves nothing to stop)
            foreach (var (signal, exitCode) in new[] { ("TERM", 143), ("INT", 130) })
            {
                var (contracts, db, big) = SmallLoadedAndBigWaiting(Directory.CreateDirectory(Path.Combine(folder, signal)).FullName);
                var stopped = 0;
                var seen = new List<string>();
                foreach (var delay in new[] { 0, 700, 2000 })
                {
                    using var p = RaCli.StartAsAtATerminal("load", big, "--db", db, "--contracts", contracts, "--no-transform");
                    // the first progress line: the verb runs, and the command line's signal handlers are in place
                    var first = p.StandardOutput.ReadLineAsync();
                    Assert.True(await Task.WhenAny(first, Task.Delay(TimeSpan.FromMinutes(1))) == first, "ra load printed nothing within a minute");
                    var stdout = p.StandardOutput.ReadToEndAsync();
                    var stderr = p.StandardError.ReadToEndAsync();
                    if (p.WaitForExit(delay))
                    {
                        await Task.WhenAll(stdout, stderr);
                        seen.Add($"finished within {delay} ms of its first line");
                        continue;
                    }
                    using (var kill = Process.Start("kill", [$"-{signal}", p.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
                    {
                        kill.WaitForExit();
                    }
                    Assert.True(p.WaitForExit(TimeSpan.FromMinutes(2)), $"ra load did not stop within two minutes of SIG{signal}");
                    var output = await first + await stdout + await stderr;
                    seen.Add($"signalled {delay} ms after its first line: exit {p.ExitCode}");
                    Assert.DoesNotContain("Unhandled exception", output);
                    Assert.DoesNotContain("   at ", output);
                    if (p.ExitCode != 0)
                    {
                        // stopped before the file was committed: a plain sentence and the shell's code for the signal
                        Assert.Equal(exitCode, p.ExitCode);
                        Assert.Contains("Stopped before the end", output);
                        stopped++;
                    }
                    AssertConsistent(db, contracts);
                }
                Assert.True(stopped > 0, $"every load finished before SIG{signal} could stop it ({string.Join("; ", seen)})");
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private const int BigRows = 3_000_000;

    /// <summary>A warehouse in <paramref name="folder"/> holding a small file of two rows, and a big file of the next date to load.</summary>
    private static (string Contracts, string Db, string Big) SmallLoadedAndBigWaiting(string folder)
    {
        var contracts = SubscriberContract.WriteFolder(folder);
        var db = Path.Combine(folder, "warehouse.duckdb");
        var small = Path.Combine(folder, "tsub_20261031.csv");
        File.WriteAllText(small, $"{SubscriberContract.Header}\nS1,Li,A,2024-01-05,3,58.00,1\nS2,Wang,S,2023-03-01,0,18.50,0\n");
        RaCli.RunOk("load", small, "--db", db, "--contracts", contracts, "--no-transform");
        var big = Path.Combine(folder, "tsub_20261130.csv");
        WriteBigFile(big, BigRows);
        return (contracts, db, big);
    }

    private static void AssertConsistent(string db, string contracts)
    {
        using var w = Db.Open(new WarehouseOptions { DatabasePath = db });
        using var c = w.Connect();
        var staged = Dapper.SqlMapper.Query<(DateTime Date, long Rows)>(c,
            "select _business_date, count(*) from stg.tsub group by all order by 1").ToList();
        var audited = Dapper.SqlMapper.Query<(DateTime Date, long Rows)>(c,
            "select business_date, sum(rows_loaded) from meta.load_audit where status = 'loaded' group by all order by 1").ToList();
        Assert.True(audited.SequenceEqual(staged), $"audit {string.Join(",", audited)} vs staged {string.Join(",", staged)}");
        Assert.Equal(2, staged.Single(s => s.Date == new DateTime(2026, 10, 31)).Rows);
        Assert.True(staged.Count == 1 || staged[1].Rows == BigRows, $"partial file visible: {string.Join(",", staged)}");
        _ = ContractCatalog.LoadFolder(contracts);
    }

    private static void WriteBigFile(string path, int rows)
    {
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 20);
        writer.Write(SubscriberContract.Header);
        writer.Write('\n');
        var sb = new StringBuilder(128);
        for (var i = 0; i < rows; i++)
        {
            sb.Clear().Append('S').Append(i).Append(",Name").Append(i % 997).Append(",A,2024-01-05,").Append(i % 8).Append(",58.00,").Append(i % 2).Append('\n');
            writer.Write(sb);
        }
    }
}
