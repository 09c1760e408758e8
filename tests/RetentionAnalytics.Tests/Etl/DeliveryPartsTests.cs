using RetentionAnalytics.Core.Etl.Contracts;
using RetentionAnalytics.Core.Etl.Loading;
using RetentionAnalytics.Tests.Support;

namespace RetentionAnalytics.Tests.Etl;

/// <summary>
/// One business date delivered in several files (<c>(?&lt;part&gt;…)</c> in the file pattern): the parts add up instead of
/// each replacing the one before, a corrected part replaces its own part only, and keys stay unique across the parts.
/// </summary>
public sealed class DeliveryPartsTests
{
    private const string Customers = """
        extract: kunden
        file_pattern: '^kunden_(?<date>\d{8})_(?<part>\d+)of\d+(?:_v(?<seq>\d+))?\.csv$'
        date_format: yyyyMMdd
        delimiter: ';'
        keys: [id]
        columns:
          - { name: id, source: ID, required: true }
          - { name: status, source: STATUS, allowed: [active, churned] }
          - { name: fee, source: FEE, type: 'decimal(10,2)' }
        """;

    private static string Part(int from, int to, string status = "active") =>
        "ID;STATUS;FEE\n" + string.Concat(Enumerable.Range(from, to - from + 1).Select(i => $"{i:D6};{status};{i}.50\n"));

    private static (TestWarehouse W, Loader Loader, string Inbox) Warehouse(bool typedReads, string contract = Customers)
    {
        var w = new TestWarehouse(new ContractCatalog([ContractCatalog.Parse(contract)]));
        return (w, new Loader(w.Db, w.Contracts, w.Quality) { TypedReads = typedReads }, w.Inbox());
    }

    private static FileLoadResult Deliver(Loader loader, string inbox, string name, string content)
    {
        File.WriteAllText(Path.Combine(inbox, name), content);
        return loader.LoadFile(Path.Combine(inbox, name));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_date_delivered_again_in_fewer_parts_replaces_every_part_of_the_split_before(bool typedReads)
    {
        // the pattern names the total too: 1of2 belongs to another split than 1of3
        var contract = Customers.Replace("_(?<part>\\d+)of\\d+", "_(?<part>\\d+)of(?<parts>\\d+)", StringComparison.Ordinal);
        Assert.Contains("(?<parts>", contract, StringComparison.Ordinal);
        var (w, loader, inbox) = Warehouse(typedReads, contract);
        using var _ = w;
        Assert.Equal("loaded", Deliver(loader, inbox, "kunden_20260930_1of3.csv", Part(1, 10)).Status);
        Assert.Equal("loaded", Deliver(loader, inbox, "kunden_20260930_2of3.csv", Part(11, 20)).Status);
        Assert.Equal("loaded", Deliver(loader, inbox, "kunden_20260930_3of3.csv", Part(21, 30)).Status);

        var first = Deliver(loader, inbox, "kunden_20260930_1of2.csv", Part(1, 15, "churned"));
        var second = Deliver(loader, inbox, "kunden_20260930_2of2.csv", Part(16, 28, "churned"));

        Assert.Equal(("loaded", 15L, 0L), (first.Status, first.RowsLoaded, first.RowsRejected));
        Assert.Contains("replaced 30 row(s) of an earlier delivery", first.Message);
        Assert.Equal(("loaded", 13L, 0L), (second.Status, second.RowsLoaded, second.RowsRejected));
        Assert.Contains("added to 1 other part(s) of 2026-09-30", second.Message);
        Assert.Equal((28L, 28L, 28L), (w.Scalar<long>("select count(*) from stg.kunden"), w.Scalar<long>("select count(distinct id) from stg.kunden"),
            w.Scalar<long>("select count(*) from stg.kunden where status = 'churned'")));
        Assert.Equal(3, w.Scalar<long>("select count(*) from meta.load_audit where status = 'superseded'"));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Without_a_part_in_the_pattern_a_file_of_another_name_replaces_the_date_and_says_so_while_a_numbered_correction_does_not(bool typedReads)
    {
        // the same extract, its pattern without a part: the second file of the date replaces the first
        var contract = Customers.Replace("_(?<part>\\d+)of\\d+", "_(?:\\d+)of\\d+", StringComparison.Ordinal);
        Assert.DoesNotContain("(?<part>", contract, StringComparison.Ordinal);
        var (w, loader, inbox) = Warehouse(typedReads, contract);
        using var _ = w;
        var first = Deliver(loader, inbox, "kunden_20260930_1of2.csv", Part(1, 40));
        var second = Deliver(loader, inbox, "kunden_20260930_2of2.csv", Part(41, 60));
        var correction = Deliver(loader, inbox, "kunden_20260930_2of2_v1.csv", Part(41, 61));

        Assert.Equal(("loaded", "ok"), (first.Status, first.Message));
        Assert.Equal("loaded", second.Status);
        Assert.Contains("replaced 40 row(s) of an earlier delivery", second.Message);
        Assert.Contains("it replaced kunden_20260930_1of2.csv, a file of another name for 2026-09-30", second.Message);
        Assert.Contains("(?<part>…)", second.Message);
        Assert.Equal(("loaded", "replaced 20 row(s) of an earlier delivery"), (correction.Status, correction.Message));
        Assert.Equal(21, w.Scalar<long>("select count(*) from stg.kunden"));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void The_parts_of_one_delivery_add_up_and_keys_stay_unique_across_them(bool typedReads)
    {
        var (w, loader, inbox) = Warehouse(typedReads);
        using var _ = w;
        File.WriteAllText(Path.Combine(inbox, "kunden_20260930_1of3.csv"), Part(1, 40));
        File.WriteAllText(Path.Combine(inbox, "kunden_20260930_2of3.csv"), Part(41, 80));
        // the third part repeats a customer of the first
        File.WriteAllText(Path.Combine(inbox, "kunden_20260930_3of3.csv"), Part(81, 100) + "000007;churned;7.50\n");

        var results = loader.LoadDirectory(inbox);

        Assert.Equal(["loaded", "loaded", "loaded"], results.Select(r => r.Status));
        Assert.Equal(100, w.Scalar<long>("select count(*) from stg.kunden"));
        Assert.Equal(100, w.Scalar<long>("select count(distinct id) from stg.kunden"));
        Assert.Equal(0, w.Scalar<long>("select count(*) from stg.kunden where status = 'churned'"));
        Assert.Equal((21L, 20L, 1L), (results[2].RowsRead, results[2].RowsLoaded, results[2].RowsRejected));
        Assert.Contains("added to 2 other part(s) of 2026-09-30", results[2].Message);
        Assert.Equal("duplicate key id=000007 (first in kunden_20260930_1of3.csv at line 8)",
            w.Scalar<string>("select reason from meta.rejected_row where load_id = $id", new { id = results[2].LoadId }));
        Assert.Equal(0, w.Scalar<long>("select count(*) from meta.load_audit where status = 'superseded'"));
        // rows in = rows loaded + rows rejected, over the date's files
        Assert.Equal(w.Scalar<long>("select sum(rows_read)::bigint from meta.load_audit where status = 'loaded'"),
            w.Scalar<long>("select count(*) from stg.kunden") + w.Scalar<long>("select count(*) from meta.rejected_row"));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_corrected_part_replaces_its_own_part_only(bool typedReads)
    {
        var (w, loader, inbox) = Warehouse(typedReads);
        using var _ = w;
        File.WriteAllText(Path.Combine(inbox, "kunden_20260930_1of2.csv"), Part(1, 50));
        File.WriteAllText(Path.Combine(inbox, "kunden_20260930_2of2.csv"), Part(51, 100));
        loader.LoadDirectory(inbox);

        var correction = Path.Combine(w.Inbox("second"), "kunden_20260930_2of2_v2.csv");
        File.WriteAllText(correction, Part(51, 99, "churned"));
        var corrected = loader.LoadFile(correction);

        Assert.Equal(("loaded", 49L), (corrected.Status, corrected.RowsLoaded));
        Assert.Contains("replaced 50 row(s) of an earlier delivery", corrected.Message);
        Assert.Equal((99L, 50L, 49L), (w.Scalar<long>("select count(*) from stg.kunden"),
            w.Scalar<long>("select count(*) from stg.kunden where status = 'active'"),
            w.Scalar<long>("select count(*) from stg.kunden where status = 'churned'")));
        Assert.Equal(["loaded", "superseded", "loaded"],
            w.Query<string>("select status from meta.load_audit order by load_id"));

        // a first sequence of part 2 after its correction: older than what is loaded for that part
        var old = Path.Combine(w.Inbox("third"), "kunden_20260930_2of2_v1.csv");
        File.WriteAllText(old, Part(51, 98));
        Assert.Equal("stale", loader.LoadFile(old).Status);
        Assert.Equal(99, w.Scalar<long>("select count(*) from stg.kunden"));
    }

    [Fact]
    public void A_held_part_released_replaces_its_own_part_and_the_other_parts_stay()
    {
        var (w, loader, inbox) = Warehouse(typedReads: true);
        using var _ = w;
        File.WriteAllText(Path.Combine(inbox, "kunden_20260930_1of2.csv"), Part(1, 50));
        File.WriteAllText(Path.Combine(inbox, "kunden_20260930_2of2.csv"), Part(51, 100));
        loader.LoadDirectory(inbox);
        var broken = Path.Combine(w.Inbox("second"), "kunden_20260930_2of2_v2.csv");
        File.WriteAllText(broken, Part(51, 60) + string.Concat(Enumerable.Range(61, 40).Select(i => $"{i:D6};unknown;1\n")));

        var held = loader.LoadFile(broken);
        Assert.Equal("held", held.Status);
        Assert.Equal(100, w.Scalar<long>("select count(*) from stg.kunden"));

        var released = new HeldLoads(w.Db, w.Contracts, w.Quality).Release(held.LoadId, "admin");

        Assert.True(released.Done, released.Message);
        Assert.Equal(50, released.ReplacedRows);
        Assert.Equal(60, w.Scalar<long>("select count(*) from stg.kunden"));
        Assert.Equal(50, w.Scalar<long>("select count(*) from stg.kunden where id <= '000050'"));
        Assert.Equal(["loaded", "superseded", "loaded"],
            w.Query<string>("select status from meta.load_audit order by load_id"));
    }
    [Fact]
    public void A_held_part_released_after_another_part_staged_one_of_its_keys_leaves_the_keys_unique()
    {
        var (w, loader, inbox) = Warehouse(typedReads: true);
        using var _ = w;
        File.WriteAllText(Path.Combine(inbox, "kunden_20260930_1of2.csv"), Part(1, 50));
        File.WriteAllText(Path.Combine(inbox, "kunden_20260930_2of2.csv"), Part(51, 100));
        loader.LoadDirectory(inbox);
        // a broken correction of part 2 that also carries customer 101: held
        var broken = Path.Combine(w.Inbox("second"), "kunden_20260930_2of2_v2.csv");
        File.WriteAllText(broken, Part(51, 60) + "000101;active;1\n" + string.Concat(Enumerable.Range(61, 40).Select(i => $"{i:D6};unknown;1\n")));
        var held = loader.LoadFile(broken);
        Assert.Equal("held", held.Status);
        // meanwhile a correction of part 1 stages customer 101: no loaded part had it
        var part1 = Path.Combine(w.Inbox("third"), "kunden_20260930_1of2_v2.csv");
        File.WriteAllText(part1, Part(1, 50) + "000101;churned;1\n");
        Assert.Equal(("loaded", 51L), (loader.LoadFile(part1) is var p1 ? (p1.Status, p1.RowsLoaded) : default));

        var released = new HeldLoads(w.Db, w.Contracts, w.Quality).Release(held.LoadId, "admin");

        Assert.False(released.Done);
        Assert.Contains("id=000101", released.Message);
        Assert.Contains("kunden_20260930_1of2_v2.csv", released.Message);
        Assert.Equal(w.Scalar<long>("select count(*) from stg.kunden"), w.Scalar<long>("select count(distinct id) from stg.kunden"));
        Assert.Equal("held", w.Scalar<string>("select status from meta.load_audit where load_id = $id", new { id = held.LoadId }));
        Assert.Equal(101, w.Scalar<long>("select count(*) from stg.kunden"));
    }
    [Fact]
    public void The_row_count_check_compares_the_parts_of_a_date_together_with_those_of_the_date_before()
    {
        var (w, loader, inbox) = Warehouse(typedReads: true);
        using var _ = w;
        File.WriteAllText(Path.Combine(inbox, "kunden_20260930_1of2.csv"), Part(1, 90));
        File.WriteAllText(Path.Combine(inbox, "kunden_20260930_2of2.csv"), Part(91, 100));
        File.WriteAllText(Path.Combine(inbox, "kunden_20261031_1of2.csv"), Part(1, 90));
        File.WriteAllText(Path.Combine(inbox, "kunden_20261031_2of2.csv"), Part(91, 100));

        var results = loader.LoadDirectory(inbox);

        Assert.All(results, r => Assert.Equal("loaded", r.Status));
        var last = results.Single(r => r.FileName == "kunden_20261031_2of2.csv");
        var (status, detail) = w.Query<(string Status, string Detail)>(
            "select status, detail from meta.dq_result where load_id = $id and check_name = 'row_count_anomaly'", new { id = last.LoadId }).Single();
        Assert.Equal("pass", status);
        Assert.Equal("100 rows vs 100 in the delivery of 2026-09-30 (+0.0%)", detail);
    }
}
