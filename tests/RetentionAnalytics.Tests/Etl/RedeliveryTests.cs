using RetentionAnalytics.Core.Etl.Contracts;
using RetentionAnalytics.Core.Etl.Loading;
using RetentionAnalytics.Tests.Support;

namespace RetentionAnalytics.Tests.Etl;

/// <summary>
/// Re-deliveries: a broken replacement is held instead of swapping good rows for the few it kept; a person releases
/// or discards it; --replace works for folders; the suggested name of a correction fits the contract's own pattern.
/// </summary>
public sealed class RedeliveryTests
{
    private const string H = SubscriberContract.Header;

    private static string Good(int rows) =>
        H + "\n" + string.Concat(Enumerable.Range(1, rows).Select(i => $"S{i},Name{i},A,2024-01-05,3,58.00,1\n"));

    /// <summary>A re-delivery whose status codes are unknown on 77 of 100 rows.</summary>
    private static string Broken() =>
        H + "\n" + string.Concat(Enumerable.Range(1, 100).Select(i => $"S{i},Name{i},{(i <= 77 ? "X" : "C")},2024-01-05,3,58.00,1\n"));

    [Fact]
    public void A_replacement_that_rejects_most_rows_is_held_and_the_good_rows_stay()
    {
        using var w = new TestWarehouse(SubscriberContract.Catalog());
        var inbox = w.Inbox();
        File.WriteAllText(Path.Combine(inbox, "tsub_20261031.csv"), Good(100));
        var first = w.Loader.LoadFile(Path.Combine(inbox, "tsub_20261031.csv"));
        File.WriteAllText(Path.Combine(inbox, "tsub_20261031_2.csv"), Broken());

        var held = w.Loader.LoadFile(Path.Combine(inbox, "tsub_20261031_2.csv"));

        Assert.Equal(("held", 100L, 23L, 77L), (held.Status, held.RowsRead, held.RowsLoaded, held.RowsRejected));
        Assert.Contains("rejects 77.0 % of its rows, above 5.0 %", held.Message);
        Assert.Contains($"ra release {held.LoadId}", held.Message);
        Assert.Equal(100, w.Scalar<long>("select count(*) from stg.tsub where status = 'active'"));
        Assert.Equal("loaded", w.Scalar<string>("select status from meta.load_audit where load_id = $id", new { id = first.LoadId }));
        Assert.Equal(23, w.Scalar<long>("select count(*) from hold.tsub"));
        Assert.Equal(77, w.Scalar<long>("select count(*) from meta.rejected_row where load_id = $id", new { id = held.LoadId }));

        // delivered again unchanged: nothing new, and the message points at the decision that is pending
        var again = w.Loader.LoadFile(Path.Combine(inbox, "tsub_20261031_2.csv"));
        Assert.Equal("duplicate", again.Status);
        Assert.Contains("held for review", again.Message);
    }

    [Fact]
    public void A_replaced_delivery_sent_again_is_a_duplicate_not_a_conflict_and_the_correction_stays()
    {
        using var w = new TestWarehouse(SubscriberContract.Catalog());
        var first = Path.Combine(w.Inbox(), "tsub_20261031.csv");
        File.WriteAllText(first, Good(100));
        w.Loader.LoadFile(first);
        var correction = Path.Combine(w.Inbox("second"), "tsub_20261031_2.csv");
        File.WriteAllText(correction, Good(90));
        Assert.Equal("loaded", w.Loader.LoadFile(correction).Status);

        var again = w.Loader.LoadFile(first);

        Assert.Equal("duplicate", again.Status);
        Assert.Contains("identical to load 1, which a later delivery of 2026-10-31 has replaced since", again.Message);
        Assert.DoesNotContain("different content", again.Message);
        Assert.Equal(90, w.Scalar<long>("select count(*) from stg.tsub"));
    }

    [Fact]
    public void A_later_delivery_that_goes_back_to_a_replaced_content_replaces_the_correction()
    {
        using var w = new TestWarehouse(SubscriberContract.Catalog());
        var first = Path.Combine(w.Inbox(), "tsub_20261031.csv");
        File.WriteAllText(first, Good(100));
        w.Loader.LoadFile(first);
        var correction = Path.Combine(w.Inbox("second"), "tsub_20261031_2.csv");
        File.WriteAllText(correction, Good(90));
        Assert.Equal("loaded", w.Loader.LoadFile(correction).Status);

        // the source withdraws its correction: delivery 3 holds the bytes of delivery 1 again
        var revert = Path.Combine(w.Inbox("third"), "tsub_20261031_3.csv");
        File.WriteAllText(revert, Good(100));
        var reverted = w.Loader.LoadFile(revert);

        Assert.Equal(("loaded", 100L), (reverted.Status, reverted.RowsLoaded));
        Assert.Equal(100, w.Scalar<long>("select count(*) from stg.tsub"));
    }

    [Fact]
    public void A_released_replacement_replaces_the_date_and_a_discarded_one_leaves_it()
    {
        using var w = new TestWarehouse(SubscriberContract.Catalog());
        var inbox = w.Inbox();
        File.WriteAllText(Path.Combine(inbox, "tsub_20260930.csv"), Good(100));
        File.WriteAllText(Path.Combine(inbox, "tsub_20261031.csv"), Good(100));
        w.Loader.LoadDirectory(inbox);
        File.WriteAllText(Path.Combine(inbox, "tsub_20260930_2.csv"), Broken());
        File.WriteAllText(Path.Combine(inbox, "tsub_20261031_2.csv"), Broken());
        var held = w.Loader.LoadDirectory(inbox).Where(r => r.Status == "held").ToList();
        Assert.Equal(2, held.Count);
        var decisions = new HeldLoads(w.Db, w.Contracts, w.Quality);
        Assert.Equal(2, decisions.List().Count);

        var released = decisions.Release(held[0].LoadId, "tester");
        var discarded = decisions.Discard(held[1].LoadId, "tester");

        Assert.True(released.Done, released.Message);
        Assert.True(discarded.Done, discarded.Message);
        Assert.Equal(100, released.ReplacedRows);
        Assert.Equal([23L, 100L], w.Query<long>("select count(*) from stg.tsub group by _business_date order by _business_date"));
        Assert.Equal(["superseded", "loaded", "loaded", "discarded"],
            w.Query<string>("select status from meta.load_audit where business_date is not null and status <> 'duplicate' order by business_date, load_id"));
        Assert.Contains("released by tester", w.Scalar<string>("select message from meta.load_audit where load_id = $id", new { id = held[0].LoadId }));
        Assert.Equal(0, w.Scalar<long>("select count(*) from hold.tsub"));
        Assert.Empty(decisions.List());
        Assert.False(decisions.Release(held[1].LoadId, "tester").Done);
    }

    /// <summary>A delivery of 100 rows whose first <paramref name="rejected"/> carry an unknown status code.</summary>
    private static string Rejecting(int rejected, string status = "A") =>
        H + "\n" + string.Concat(Enumerable.Range(1, 100).Select(i => $"S{i},N,{(i <= rejected ? "X" : status)},2024-01-05,3,58.00,1\n"));

    [Fact]
    public void A_feed_that_always_rejects_some_rows_is_judged_against_its_own_rate()
    {
        using var w = new TestWarehouse(SubscriberContract.Catalog());
        var inbox = w.Inbox();
        // 20 % of rows rejected in the loaded delivery: a correction rejecting 24 % is within hold_reject_rate (5 %) of that
        // and loads; the next, at 30 %, is more than 5 % worse than the 24 % it would replace, and is held
        File.WriteAllText(Path.Combine(inbox, "tsub_20261031.csv"), Rejecting(20));
        w.Loader.LoadFile(Path.Combine(inbox, "tsub_20261031.csv"));
        File.WriteAllText(Path.Combine(inbox, "tsub_20261031_2.csv"), Rejecting(24, "C"));
        File.WriteAllText(Path.Combine(inbox, "tsub_20261031_3.csv"), Rejecting(30, "S"));

        var second = w.Loader.LoadFile(Path.Combine(inbox, "tsub_20261031_2.csv"));
        var third = w.Loader.LoadFile(Path.Combine(inbox, "tsub_20261031_3.csv"));

        Assert.Equal("loaded", second.Status);
        Assert.Equal("held", third.Status);
        Assert.Contains($"rejects 30.0 % of its rows, above 29.0 % (load {second.LoadId}'s 24.0 % plus hold_reject_rate 5.0 %)", third.Message);
    }

    [Fact]
    public void A_correction_worse_than_a_poor_first_delivery_is_held_and_a_better_one_replaces_it()
    {
        using var w = new TestWarehouse(SubscriberContract.Catalog());
        var inbox = w.Inbox();
        File.WriteAllText(Path.Combine(inbox, "tsub_20261031.csv"), Rejecting(30));
        w.Loader.LoadFile(Path.Combine(inbox, "tsub_20261031.csv"));
        File.WriteAllText(Path.Combine(inbox, "tsub_20261031_2.csv"), Rejecting(60, "C"));
        File.WriteAllText(Path.Combine(inbox, "tsub_20261031_3.csv"), Rejecting(10, "S"));

        var worse = w.Loader.LoadFile(Path.Combine(inbox, "tsub_20261031_2.csv"));

        Assert.Equal(("held", 40L, 60L), (worse.Status, worse.RowsLoaded, worse.RowsRejected));
        Assert.Equal(70, w.Scalar<long>("select count(*) from stg.tsub where status = 'active'"));
        var better = w.Loader.LoadFile(Path.Combine(inbox, "tsub_20261031_3.csv"));
        Assert.Equal(("loaded", 90L), (better.Status, better.RowsLoaded));
        Assert.Equal(90, w.Scalar<long>("select count(*) from stg.tsub where status = 'suspended'"));
    }

    [Fact]
    public void Replace_works_for_a_folder_from_the_command_line()
    {
        var folder = Directory.CreateTempSubdirectory("ra-replace-").FullName;
        try
        {
            var contracts = SubscriberContract.WriteFolder(folder);
            var inbox = Path.Combine(folder, "in");
            Directory.CreateDirectory(inbox);
            var db = Path.Combine(folder, "w.duckdb");
            File.WriteAllText(Path.Combine(inbox, "tsub_20261031.csv"), Good(2));
            RaCli.RunOk("load", inbox, "--db", db, "--contracts", contracts, "--no-transform");
            File.WriteAllText(Path.Combine(inbox, "tsub_20261031.csv"), Good(3));

            var (conflictExit, conflict) = RaCli.Run("load", inbox, "--db", db, "--contracts", contracts, "--no-transform");
            var replaced = RaCli.RunOk("load", inbox, "--db", db, "--contracts", contracts, "--no-transform", "--replace");

            Assert.True(conflictExit == 4, conflict);
            Assert.Contains("Deliver the correction as tsub_20261031_1.csv or load it with --replace", conflict);
            Assert.Contains("replaced 2 row(s) of an earlier delivery", replaced);
            var status = RaCli.RunOk("status", "--json", "--db", db);
            using var doc = System.Text.Json.JsonDocument.Parse(status);
            var totals = doc.RootElement.GetProperty("totals");
            // only the current load counts: the superseded delivery's rows are not in the warehouse any more
            Assert.Equal((1L, 3L, 1L), (totals.GetProperty("files").GetInt64(), totals.GetProperty("rowsLoaded").GetInt64(), totals.GetProperty("superseded").GetInt64()));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Status_shows_held_loads_and_the_top_rejection_reasons_and_release_decides_from_the_command_line()
    {
        var folder = Directory.CreateTempSubdirectory("ra-held-").FullName;
        try
        {
            var contracts = SubscriberContract.WriteFolder(folder);
            var db = Path.Combine(folder, "w.duckdb");
            var good = Path.Combine(folder, "tsub_20261031.csv");
            var broken = Path.Combine(folder, "tsub_20261031_2.csv");
            File.WriteAllText(good, Good(100));
            File.WriteAllText(broken, Broken());
            RaCli.RunOk("load", good, "--db", db, "--contracts", contracts, "--no-transform");

            var (heldExit, held) = RaCli.Run("load", broken, "--db", db, "--contracts", contracts, "--no-transform");
            var status = RaCli.RunOk("status", "--db", db);
            var json = RaCli.RunOk("status", "--json", "--db", db);
            var released = RaCli.RunOk("release", "2", "--db", db, "--contracts", contracts, "--no-transform");
            var again = RaCli.Run("release", "2", "--db", db, "--contracts", contracts, "--no-transform");

            Assert.True(heldExit == 4, held);
            Assert.Contains("1 file(s) need a person (1 held)", held);
            Assert.Contains("Held for review", status);
            Assert.Contains("77 × status: '…' is not one of active, suspended, churned", status);
            Assert.Contains("1 current file(s), 100 rows read = 100 loaded + 0 rejected", status);
            using var doc = System.Text.Json.JsonDocument.Parse(json);
            Assert.Equal(2, doc.RootElement.GetProperty("held")[0].GetProperty("loadId").GetInt64());
            var reasons = doc.RootElement.GetProperty("loads")[0].GetProperty("topReasons");
            Assert.Equal(77, reasons[0].GetProperty("rows").GetInt64());
            Assert.Contains("load 2 released", released);
            Assert.Equal(1, again.ExitCode);
            Assert.Contains("load 2 is not held for review", again.Output);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Theory]
    [InlineData(@"^tsub_(?<date>\d{8})(?:_(?<seq>\d+))?\.csv$", "tsub_20261031.csv", 2, "tsub_20261031_2.csv")]
    [InlineData(@"^tsub_(?<date>\d{8})(?:_(?<seq>\d+))?\.csv$", "tsub_20261031_4.csv", 5, "tsub_20261031_5.csv")]
    [InlineData(@"^KUNDEN-(?<date>\d{8})(?:-v(?<seq>\d+))?\.csv$", "KUNDEN-20261031.csv", 1, "KUNDEN-20261031-v1.csv")]
    [InlineData(@"^(?:(?<seq>\d+)_)?usage_(?<date>\d{6})\.csv$", "usage_202610.csv", 3, "3_usage_202610.csv")]
    [InlineData(@"^churn(?:\.(?<seq>\d+))?\.csv$", "churn.csv", 2, "churn.2.csv")]
    [InlineData(@"^tsub_(?<date>\d{8})\.csv$", "tsub_20261031.csv", 2, null)]
    public void The_suggested_name_of_a_correction_matches_the_contracts_pattern(string pattern, string file, int seq, string? expected)
    {
        var dateSource = pattern.Contains("(?<date>") ? "date_format: " + (pattern.Contains("{6}") ? "yyyyMM" : "yyyyMMdd") : "business_date: '2026-10-31'";
        var contract = ContractCatalog.Parse($$"""
            extract: x
            file_pattern: '{{pattern}}'
            {{dateSource}}
            columns:
              - { name: id }
            """);

        Assert.Equal(expected, RedeliveryName.Suggest(contract, file, seq));
    }
}
