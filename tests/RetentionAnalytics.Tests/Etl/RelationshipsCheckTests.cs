using RetentionAnalytics.Core.Etl.Contracts;
using RetentionAnalytics.Tests.Support;

namespace RetentionAnalytics.Tests.Etl;

/// <summary>
/// Facts should describe known subscribers: after a fact file is staged, meta.dq_result says how many of its distinct
/// subscriber ids no subscription snapshot from 62 days before to 31 days after its business date holds. The files of a
/// folder are checked together once staged; each keeps its own count, and a file loaded on its own is checked at once.
/// </summary>
public sealed class RelationshipsCheckTests
{
    private static ContractCatalog Catalog() => new([
        ContractCatalog.Parse("""
            extract: subscription
            file_pattern: '^subscription_(?<date>\d{8})\.csv$'
            date_format: yyyyMMdd
            encoding: utf-8
            delimiter: ','
            load_order: 30
            keys: [subscriber_id]
            columns:
              - { name: subscriber_id, source: SUBS_ID, type: varchar, required: true }
            """),
        Fact("usage"),
        Fact("calls"),
    ]);

    private static ExtractContract Fact(string extract) => ContractCatalog.Parse($$"""
        extract: {{extract}}
        file_pattern: '^{{extract}}_(?<date>\d{8})(?:_(?<seq>\d+))?\.csv$'
        date_format: yyyyMMdd
        encoding: utf-8
        delimiter: ','
        load_order: 40
        keys: [event_id]
        columns:
          - { name: event_id, source: EVENT_ID, type: varchar, required: true }
          - { name: subscriber_id, source: SUBS_ID, type: varchar, required: true }
        """);

    private static void Subscription(string folder, string date, params string[] ids) =>
        File.WriteAllText(Path.Combine(folder, $"subscription_{date}.csv"), "SUBS_ID\n" + string.Join("\n", ids) + "\n");

    private static string Facts(string folder, string name, params string[] ids)
    {
        var path = Path.Combine(folder, name);
        File.WriteAllText(path, "EVENT_ID,SUBS_ID\n" + string.Join("\n", ids.Select((id, i) => $"E{i},{id}")) + "\n");
        return path;
    }

    /// <summary>The relationships result of each load, by file name: file name, status, distinct orphan ids.</summary>
    private static List<string> Relationships(TestWarehouse w) => w.Query<string>("""
        select a.file_name || '|' || q.status || '|' || q.failing_rows from meta.dq_result q join meta.load_audit a using (load_id)
        where q.check_name = 'relationships' order by a.file_name
        """);

    [Fact]
    public void Each_fact_file_of_a_folder_counts_its_own_subscriber_ids_missing_from_the_snapshots_around_its_date()
    {
        using var w = new TestWarehouse(Catalog());
        var inbox = w.Inbox();
        Subscription(inbox, "20260630", "S1", "S2", "S9");   // too long before 2026-10-31 to count for it
        Subscription(inbox, "20260930", "S1", "S2");
        Facts(inbox, "usage_20261031_1.csv", "S1", "S2", "S3", "S9", "S9");
        Facts(inbox, "usage_20261031_2.csv", "S1", "S3", "S3");   // replaces the first delivery, checked before it did
        Facts(inbox, "calls_20261031.csv", "S1", "S4");
        Facts(inbox, "calls_20260930.csv", "S1", "S2");

        var results = w.Loader.LoadDirectory(inbox);

        Assert.All(results, r => Assert.Equal("loaded", r.Status));
        Assert.Equal([
            "calls_20260930.csv|pass|0",
            "calls_20261031.csv|warn|1",
            "usage_20261031_1.csv|warn|2",
            "usage_20261031_2.csv|warn|1",
        ], Relationships(w));
        Assert.Contains("1 subscriber id(s) not in the subscription snapshots around 2026-10-31", w.Query<string>(
            "select detail from meta.dq_result where check_name = 'relationships' and extract = 'calls' and status = 'warn'"));
        // the other checks of every staged load are there as before
        Assert.Equal(6, w.Scalar<long>("select count(distinct load_id) from meta.dq_result where check_name = 'unique'"));
    }

    [Fact]
    public void A_fact_file_loaded_before_and_again_after_its_subscription_snapshot_flags_the_ids_no_snapshot_holds()
    {
        using var w = new TestWarehouse(Catalog());
        var inbox = w.Inbox();
        var other = w.Inbox("later");
        // before its own month's snapshot: only September's is staged
        Subscription(inbox, "20260930", "S1", "S2");
        Facts(inbox, "usage_20261031_1.csv", "S1", "S2", "S3", "S4", "S9");
        w.Loader.LoadDirectory(inbox);

        // October's snapshot arrives, then a re-delivery of the facts, each loaded on its own
        Subscription(other, "20261031", "S1", "S2", "S3");
        Assert.Equal("loaded", w.Loader.LoadFile(Path.Combine(other, "subscription_20261031.csv")).Status);
        Assert.Equal("loaded", w.Loader.LoadFile(Facts(other, "usage_20261031_2.csv", "S1", "S3", "S4", "S9", "S4")).Status);

        Assert.Equal(["usage_20261031_1.csv|warn|3", "usage_20261031_2.csv|warn|2"], Relationships(w));
    }
}
