using System.IO.Compression;
using System.Text;
using RetentionAnalytics.Core.Etl.Loading;
using RetentionAnalytics.Core.Pipeline;
using RetentionAnalytics.Core.Transforms;
using RetentionAnalytics.Tests.Support;

namespace RetentionAnalytics.Tests.Etl;

/// <summary>
/// Whatever bytes arrive under a delivery's name, the file ends with an audit row and a reason a person can act on,
/// and the good files beside it load: one bad file never stops the others, the inbox, the archive or the rebuild.
/// </summary>
public sealed class FileIsolationTests
{
    private const string H = SubscriberContract.Header;

    /// <summary>Bad deliveries, each named for its own business date so that every one is judged on its bytes.</summary>
    public static IEnumerable<(string Name, byte[] Bytes, string Status, string Reason)> BadFiles()
    {
        var random = new byte[64 * 1024];
        new Random(13).NextBytes(random);
        yield return ("tsub_20260101.csv", random, "rejected", "binary data, not CSV text");
        yield return ("tsub_20260102.csv", Gzip($"{H}\nS1,Li,A,2024-01-05,3,58.00,1\n"), "rejected", "gzip-compressed data");
        yield return ("tsub_20260103.csv", [], "rejected", "empty file");
        yield return ("tsub_20260104.csv", [0x50, 0x4B, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00, 0x08, 0x00], "rejected", "ZIP archive");
        yield return ("tsub_20260105.csv", U($"{H}\n"), "rejected", "no data rows");
        yield return ("tsub_20260106.csv", U(new string('x', 3 << 20)), "rejected", "not a CSV header");
        yield return ("tsub_20260107.csv", [0xFF, 0xFE, .. Encoding.Unicode.GetBytes($"{H}\nS1,Li,A,2024-01-05,3,58.00,1\n")], "rejected", "UTF-16");
    }

    [Fact]
    public void Bad_files_beside_good_ones_each_get_an_audit_row_and_the_good_ones_load()
    {
        using var w = new TestWarehouse(SubscriberContract.Catalog());
        var inbox = w.Inbox();
        foreach (var (name, bytes, _, _) in BadFiles())
        {
            File.WriteAllBytes(Path.Combine(inbox, name), bytes);
        }
        File.WriteAllText(Path.Combine(inbox, "tsub_20260930.csv"), $"{H}\nS1,Li,A,2024-01-05,3,58.00,1\nS2,Wang,S,2023-03-01,0,18.50,0\n");
        File.WriteAllText(Path.Combine(inbox, "tsub_20261031.csv"), $"{H}\nS1,Li,A,2024-01-05,3,58.00,1\n");

        var results = w.Loader.LoadDirectory(inbox);

        Assert.Equal(9, results.Count);
        foreach (var (name, _, status, reason) in BadFiles())
        {
            var r = results.Single(x => x.FileName == name);
            Assert.True(r.Status == status, $"{name}: {r.Status} {r.Message}");
            Assert.Contains(reason, r.Message);
            Assert.Equal(r.RowsRead, r.RowsLoaded + r.RowsRejected);
        }
        Assert.Equal(3, w.Scalar<long>("select count(*) from stg.tsub"));
        Assert.Equal(9, w.Scalar<long>("select count(*) from meta.load_audit"));
        Assert.Equal(0, w.Scalar<long>("select count(*) from meta.load_audit where message is null or message = ''"));
    }

    [Fact]
    public async Task The_inbox_run_archives_good_files_moves_bad_ones_to_rejected_with_the_reason_and_still_succeeds()
    {
        using var w = new TestWarehouse(SubscriberContract.Catalog());
        var inbox = w.Inbox();
        var random = new byte[20_000];
        new Random(5).NextBytes(random);
        File.WriteAllBytes(Path.Combine(inbox, "tsub_20260103.csv"), random);
        File.WriteAllBytes(Path.Combine(inbox, "tsub_20260104.csv"), Gzip($"{H}\nS1,Li,A,2024-01-05,3,58.00,1\n"));
        File.WriteAllText(Path.Combine(inbox, "tsub_20261031.csv"), $"{H}\nS1,Li,A,2024-01-05,3,58.00,1\n");
        var pipeline = new DailyPipeline(w.Loader, new TransformRunner(w.Db, w.Contracts), w.Quality, []);
        var runs = new Core.Jobs.JobRuns(w.Db);

        var result = await runs.RunAsync("inbox-poll", "schedule", (p, ct) => pipeline.RunAsync(inbox, p, ct, archive: true));

        Assert.Equal("succeeded", runs.Recent(1)[0].Status);
        Assert.Contains("file(s) that need a person: 2 rejected", runs.Recent(1)[0].Message);
        Assert.Equal("loaded", result.Files.Single(f => f.FileName == "tsub_20261031.csv").Status);
        Assert.Empty(Directory.GetFiles(inbox, "*.csv"));
        Assert.Single(Directory.GetFiles(Path.Combine(inbox, "archive"), "tsub_20261031.csv", SearchOption.AllDirectories));
        var reason = File.ReadAllText(Path.Combine(inbox, "rejected", "tsub_20260104.csv.reason.txt"));
        Assert.Contains("status: rejected", reason);
        Assert.Contains("gzip-compressed data", reason);
        Assert.True(File.Exists(Path.Combine(inbox, "rejected", "tsub_20260103.csv")));
    }

    [Fact]
    public void A_file_the_database_fails_on_is_recorded_as_failed_and_the_next_file_loads()
    {
        // a contract whose expression fails at run time for one value (a cast, not a try_cast): the database stops the statement
        var contract = RetentionAnalytics.Core.Etl.Contracts.ContractCatalog.Parse("""
            extract: tcast
            file_pattern: '^tcast_(?<date>\d{8})\.csv$'
            columns:
              - { name: id, source: ID, required: true }
              - { name: amount, type: integer, expr: 'cast("AMOUNT" as integer)' }
            """);
        using var w = new TestWarehouse(new([contract]));
        var inbox = w.Inbox();
        File.WriteAllText(Path.Combine(inbox, "tcast_20261030.csv"), "ID,AMOUNT\n1,12\n2,twelve\n");
        File.WriteAllText(Path.Combine(inbox, "tcast_20261031.csv"), "ID,AMOUNT\n1,12\n2,13\n");

        var results = w.Loader.LoadDirectory(inbox);

        Assert.Equal("failed", results[0].Status);
        Assert.Contains("could not process this file", results[0].Message);
        Assert.Equal("loaded", results[1].Status);
        Assert.Equal(2, w.Scalar<long>("select count(*) from stg.tcast"));
        Assert.Equal("failed", w.Scalar<string>("select status from meta.load_audit where file_name = 'tcast_20261030.csv'"));
    }

    [Fact]
    public void Nul_bytes_and_over_long_fields_reject_their_row_with_a_reason()
    {
        using var w = new TestWarehouse(SubscriberContract.Catalog());
        var file = Path.Combine(w.Inbox(), "tsub_20261031.csv");
        var mib = new string('9', 1 << 20);
        File.WriteAllText(file, $"{H}\nS1,Li,A,2024-01-05,3,58.00,1\nS\u00002,Wang,S,2023-03-01,0,18.50,0\n{mib},Zhao,A,2022-01-01,1,8,0\nS4,Sun,A,2022-01-01,1,8,0\n");

        var result = w.Loader.LoadFile(file);

        Assert.Equal((4L, 2L, 2L), (result.RowsRead, result.RowsLoaded, result.RowsRejected));
        var rejects = w.Query<(long Line, string Reason, string Raw)>("select line_number, reason, raw_line from meta.rejected_row order by 1");
        Assert.Equal(3, rejects[0].Line);
        Assert.Contains("'SUBS_ID' (field 1) contains a NUL byte", rejects[0].Reason);
        Assert.Equal(4, rejects[1].Line);
        Assert.Contains("'SUBS_ID' (field 1) is 1048576 characters long; the limit is 4,096", rejects[1].Reason);
        Assert.True(rejects[1].Raw.Length <= DeliveredFile.RawLineLimit, "the stored raw line is capped");
        Assert.Equal(["S1", "S4"], w.Query<string>("select subscriber_id from stg.tsub order by 1"));
    }

    [Fact]
    public void A_line_longer_than_the_reader_allows_rejects_that_row_only()
    {
        using var w = new TestWarehouse(SubscriberContract.Catalog());
        var file = Path.Combine(w.Inbox(), "tsub_20261031.csv");
        File.WriteAllText(file, $"{H}\nS1,Li,A,2024-01-05,3,58.00,1\nS2,{new string('x', 3_000_000)},S,2023-03-01,0,18.50,0\nS3,Zhao,A,2022-01-01,1,8,0\n");

        var result = w.Loader.LoadFile(file);

        Assert.Equal(("loaded", 3L, 2L, 1L), (result.Status, result.RowsRead, result.RowsLoaded, result.RowsRejected));
        Assert.Contains("longer than the reader's limit", w.Scalar<string>("select reason from meta.rejected_row"));
    }

    [Fact]
    public void The_cli_loads_the_good_files_lists_the_bad_ones_and_exits_4()
    {
        var folder = Directory.CreateTempSubdirectory("ra-iso-").FullName;
        try
        {
            var contracts = SubscriberContract.WriteFolder(folder);
            var inbox = Path.Combine(folder, "in");
            Directory.CreateDirectory(inbox);
            var random = new byte[20_000];
            new Random(7).NextBytes(random);
            File.WriteAllBytes(Path.Combine(inbox, "tsub_20250103.csv"), random);
            File.WriteAllText(Path.Combine(inbox, "tsub_20261031.csv"), $"{H}\nS1,Li,A,2024-01-05,3,58.00,1\n");
            var db = Path.Combine(folder, "w.duckdb");

            var (exit, output) = RaCli.Run("load", inbox, "--db", db, "--contracts", contracts, "--no-transform");

            Assert.True(exit == 4, output);
            Assert.Contains("tsub_20250103.csv", output);
            Assert.Contains("binary data", output);
            Assert.Contains("1 file(s) need a person (1 rejected)", output);
            var status = RaCli.RunOk("status", "--json", "--db", db);
            using var doc = System.Text.Json.JsonDocument.Parse(status);
            Assert.Equal(1, doc.RootElement.GetProperty("totals").GetProperty("rowsLoaded").GetInt64());
            Assert.Equal(1, doc.RootElement.GetProperty("totals").GetProperty("needAttention").GetInt64());
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static byte[] U(string s) => new UTF8Encoding(false).GetBytes(s);

    private static byte[] Gzip(string text)
    {
        using var memory = new MemoryStream();
        using (var gz = new GZipStream(memory, CompressionLevel.Fastest))
        {
            gz.Write(U(text));
        }
        return memory.ToArray();
    }
}
