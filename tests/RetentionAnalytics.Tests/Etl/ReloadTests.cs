using RetentionAnalytics.Tests.Support;

namespace RetentionAnalytics.Tests.Etl;

/// <summary>Deliveries arrive twice, get corrected, or clash: the warehouse never double counts and never silently merges.</summary>
public sealed class ReloadTests
{
    private const string H = SubscriberContract.Header;

    [Fact]
    public void Reloading_the_same_file_adds_no_rows()
    {
        using var w = new TestWarehouse(SubscriberContract.Catalog());
        var file = Path.Combine(w.Inbox(), "tsub_20261031.csv");
        File.WriteAllText(file, $"{H}\nS1,Li,A,2024-01-05,3,58.00,1\nS2,Wang,S,2023-03-01,0,18.50,0\n");

        var first = w.Loader.LoadFile(file);
        var second = w.Loader.LoadFile(file);

        Assert.Equal("loaded", first.Status);
        Assert.Equal("duplicate", second.Status);
        Assert.Equal(0, second.RowsLoaded);
        Assert.Equal(2, w.Scalar<long>("select count(*) from stg.tsub"));
    }

    [Fact]
    public void A_corrected_redelivery_replaces_that_business_date_only()
    {
        using var w = new TestWarehouse(SubscriberContract.Catalog());
        var inbox = w.Inbox();
        File.WriteAllText(Path.Combine(inbox, "tsub_20260930.csv"), $"{H}\nS1,Li,A,2024-01-05,3,58.00,1\n");
        File.WriteAllText(Path.Combine(inbox, "tsub_20261031.csv"), $"{H}\nS1,Li,A,2024-01-05,3,58.00,1\nS2,Wang,S,2023-03-01,0,18.50,0\n");
        w.Loader.LoadDirectory(inbox);

        var corrected = Path.Combine(inbox, "tsub_20261031_2.csv");
        File.WriteAllText(corrected, $"{H}\nS1,Li,C,2024-01-05,3,58.00,1\nS2,Wang,A,2023-03-01,0,18.50,0\nS3,Zhao,A,2026-10-02,0,8.00,0\n");
        var result = w.Loader.LoadFile(corrected);

        Assert.Equal("loaded", result.Status);
        Assert.Equal(3, w.Scalar<long>("select count(*) from stg.tsub where _business_date = '2026-10-31'"));
        Assert.Equal(1, w.Scalar<long>("select count(*) from stg.tsub where _business_date = '2026-09-30'"));
        Assert.Equal("churned", w.Scalar<string>("select status from stg.tsub where _business_date = '2026-10-31' and subscriber_id = 'S1'"));
        Assert.Equal(2, w.Scalar<long>("select replaced_rows from meta.load_audit where load_id = $id", new { id = result.LoadId }));
        Assert.Equal("superseded", w.Scalar<string>("select status from meta.load_audit where file_name = 'tsub_20261031.csv'"));
    }

    [Fact]
    public void The_same_name_with_different_content_is_flagged_not_merged()
    {
        using var w = new TestWarehouse(SubscriberContract.Catalog());
        var inbox = w.Inbox();
        var file = Path.Combine(inbox, "tsub_20261031.csv");
        File.WriteAllText(file, $"{H}\nS1,Li,A,2024-01-05,3,58.00,1\n");
        w.Loader.LoadFile(file);
        File.WriteAllText(file, $"{H}\nS1,Li,A,2024-01-05,3,58.00,1\nS9,Sun,A,2024-01-05,3,58.00,1\n");

        var clash = w.Loader.LoadFile(file);

        Assert.Equal("conflict", clash.Status);
        Assert.Contains("different content", clash.Message);
        Assert.Equal(1, w.Scalar<long>("select count(*) from stg.tsub"));

        var forced = w.Loader.LoadFile(file, forceReplace: true);
        Assert.Equal("loaded", forced.Status);
        Assert.Equal(2, w.Scalar<long>("select count(*) from stg.tsub"));
    }

    [Fact]
    public void An_older_delivery_after_a_newer_one_is_not_loaded()
    {
        using var w = new TestWarehouse(SubscriberContract.Catalog());
        var inbox = w.Inbox();
        File.WriteAllText(Path.Combine(inbox, "tsub_20261031_2.csv"), $"{H}\nS1,Li,C,2024-01-05,3,58.00,1\n");
        w.Loader.LoadFile(Path.Combine(inbox, "tsub_20261031_2.csv"));
        File.WriteAllText(Path.Combine(inbox, "tsub_20261031_1.csv"), $"{H}\nS1,Li,A,2024-01-05,3,58.00,1\n");

        var stale = w.Loader.LoadFile(Path.Combine(inbox, "tsub_20261031_1.csv"));

        Assert.Equal("stale", stale.Status);
        Assert.Equal("churned", w.Scalar<string>("select status from stg.tsub"));
    }

    [Fact]
    public void Loading_a_folder_twice_changes_nothing()
    {
        using var w = new TestWarehouse(SubscriberContract.Catalog());
        var inbox = w.Inbox();
        File.WriteAllText(Path.Combine(inbox, "tsub_20260930.csv"), $"{H}\nS1,Li,A,2024-01-05,3,58.00,1\nbad,row\n");
        File.WriteAllText(Path.Combine(inbox, "tsub_20261031.csv"), $"{H}\nS1,Li,A,2024-01-05,3,58.00,1\n");
        w.Loader.LoadDirectory(inbox);
        var before = (w.Scalar<long>("select count(*) from stg.tsub"), w.Scalar<long>("select count(*) from meta.rejected_row"));

        var again = w.Loader.LoadDirectory(inbox);

        Assert.All(again, r => Assert.Equal("duplicate", r.Status));
        Assert.Equal(before, (w.Scalar<long>("select count(*) from stg.tsub"), w.Scalar<long>("select count(*) from meta.rejected_row")));
    }
}

public sealed class ReferenceTests
{
    [Fact]
    public void A_row_naming_an_unknown_reference_is_rejected_with_the_value_and_the_extract()
    {
        var plan = RetentionAnalytics.Core.Etl.Contracts.ContractCatalog.Parse("""
            extract: tplan
            file_pattern: '^tplan_(?<date>\d{8})\.csv$'
            load_order: 10
            keys: [plan_code]
            columns:
              - { name: plan_code, source: PLAN_CODE, type: varchar, required: true }
            """);
        var sub = RetentionAnalytics.Core.Etl.Contracts.ContractCatalog.Parse("""
            extract: tline
            file_pattern: '^tline_(?<date>\d{8})\.csv$'
            keys: [subscriber_id]
            columns:
              - { name: subscriber_id, source: SUBS_ID, type: varchar, required: true }
              - { name: plan_code, source: PLAN_CODE, type: varchar, required: true }
            references:
              - { column: plan_code, extract: tplan, key: plan_code }
            """);
        using var w = new TestWarehouse(new([plan, sub]));
        var inbox = w.Inbox();
        File.WriteAllText(Path.Combine(inbox, "tline_20261031.csv"), "SUBS_ID,PLAN_CODE\nS1,P01\nS2,P99\nS3,P02\n");
        File.WriteAllText(Path.Combine(inbox, "tplan_20261031.csv"), "PLAN_CODE\nP01\nP02\n");

        var results = w.Loader.LoadDirectory(inbox);

        Assert.Equal(["tplan", "tline"], results.Select(r => r.Extract));
        Assert.Equal((3L, 2L, 1L), (results[1].RowsRead, results[1].RowsLoaded, results[1].RowsRejected));
        Assert.Equal("plan_code: 'P99' not found in tplan", w.Scalar<string>("select reason from meta.rejected_row"));
        Assert.Equal(3, w.Scalar<long>("select line_number from meta.rejected_row"));
    }
}

public sealed class LineNumberTests
{
    [Fact]
    public void Rejected_rows_name_the_line_an_editor_shows_even_after_line_breaks_inside_quotes()
    {
        using var w = new TestWarehouse(SubscriberContract.Catalog());
        var file = Path.Combine(w.Inbox(), "tsub_20261031.csv");
        File.WriteAllText(file, $"{SubscriberContract.Header}\nS1,\"Li\nLei\",A,2024-01-05,3,58.00,1\nS2,\"Wang\nA\nB\",S,2023-03-01,0,18.50,0\nS3,Zhao,A,2024-13-01,1,8,0\nS4,Sun\n");

        var result = w.Loader.LoadFile(file);

        // S3 starts on line 7 (header 1, S1 on 2-3, S2 on 4-6); the ragged S4 on line 8
        Assert.Equal([7L, 8L], w.Query<long>("select line_number from meta.rejected_row order by line_number"));
        Assert.Equal((4L, 2L, 2L), (result.RowsRead, result.RowsLoaded, result.RowsRejected));
        Assert.Equal(["S1", "S2"], w.Query<string>("select subscriber_id from stg.tsub order by 1"));
    }
}
