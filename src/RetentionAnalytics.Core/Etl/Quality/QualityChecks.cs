using Dapper;
using DuckDB.NET.Data;
using RetentionAnalytics.Core.Etl.Contracts;
using RetentionAnalytics.Core.Warehouse;

namespace RetentionAnalytics.Core.Etl.Quality;

public sealed record QualityResult(DateTime CheckedAt, long? LoadId, string Extract, string CheckName, string? ColumnName,
    string Status, long FailingRows, string? Detail);

/// <summary>
/// dbt-style tests after each load (unique, not null, accepted values, relationships, row-count anomaly) and
/// freshness per extract; results go to meta.dq_result, where the portal and `ra status` read them.
/// </summary>
public sealed class QualityChecks(Db db, ContractCatalog contracts)
{
    /// <summary>A delivery whose row count moves more than this against the previous one is worth a look.</summary>
    public const double RowCountTolerance = 0.5;

    public void AfterLoad(DuckDBConnection c, ExtractContract contract, long loadId, DateOnly businessDate)
    {
        var date = businessDate.ToDateTime(TimeOnly.MinValue);
        var table = contract.StagingTable;
        var results = new List<(string Check, string? Column, string Status, long Failing, string? Detail)>();

        // the column tests are part of the loader's check pass, which rejects every row that would fail one (a second
        // row of a key, a missing required value, a value outside the allowed list): the delivered date holds only rows
        // that passed them, so they are recorded from there instead of scanning the table again
        if (contract.Keys.Count > 0)
        {
            results.Add(("unique", string.Join(", ", contract.Keys), "pass", 0, null));
        }
        foreach (var col in contract.Columns.Where(col => col.Required))
        {
            results.Add(("not_null", col.Name, "pass", 0, null));
        }
        foreach (var col in contract.Columns.Where(col => col.Allowed is { Count: > 0 }))
        {
            results.Add(("accepted_values", col.Name, "pass", 0, null));
        }
        // facts should describe known subscribers: the snapshots around the delivery's date are the reference
        if (contract.Extract != "subscription" && contract.Columns.Any(col => col.Name == "subscriber_id")
            && Loading.Loader.TableExists(c, "stg", "subscription"))
        {
            // an anti join, not a correlated not exists: DuckDB would first join the snapshots to the delivery's ids and
            // then anti-join the delivery against that join, two hash tables of millions of rows at 1 M subscribers
            var orphans = c.ExecuteScalar<long>($"""
                select count(distinct f.subscriber_id) from {table} f
                anti join (select subscriber_id from stg.subscription
                           where _business_date between $date - interval 62 day and $date + interval 31 day) s
                       on s.subscriber_id = f.subscriber_id
                where f._business_date = $date
                """, new { date });
            results.Add(("relationships", "subscriber_id", orphans == 0 ? "pass" : "warn", orphans,
                orphans == 0 ? null : $"{orphans:N0} subscriber id(s) not in the subscription snapshots around {businessDate:yyyy-MM-dd}"));
        }
        var counts = c.Query<(DateTime Date, long Rows)>("""
            select business_date, rows_loaded from meta.load_audit
            where extract = $extract and status = 'loaded' and business_date <= $date
            order by business_date desc, load_id desc limit 2
            """, new { extract = contract.Extract, date }).ToList();
        if (counts.Count == 2 && counts[1].Rows > 0)
        {
            var change = (double)(counts[0].Rows - counts[1].Rows) / counts[1].Rows;
            results.Add(("row_count_anomaly", null, Math.Abs(change) <= RowCountTolerance ? "pass" : "warn", 0,
                $"{counts[0].Rows:N0} rows vs {counts[1].Rows:N0} in the delivery of {counts[1].Date:yyyy-MM-dd} ({change:+0.0%;-0.0%})"));
        }

        using var appender = c.CreateAppender("meta", "dq_result");
        var now = DateTime.Now;
        foreach (var r in results)
        {
            appender.CreateRow().AppendValue(now).AppendValue(loadId).AppendValue(contract.Extract).AppendValue(r.Check)
                .AppendValue(r.Column).AppendValue(r.Status).AppendValue(r.Failing).AppendValue(r.Detail).EndRow();
        }
    }

    /// <summary>
    /// Freshness of every extract against the warehouse's as-of date (the newest business date delivered):
    /// a feed that stopped while the others go on is flagged, whatever the wall clock says of a sample province.
    /// </summary>
    public IReadOnlyList<QualityResult> CheckFreshness()
    {
        using var c = db.Connect();
        var latest = c.Query<(string Extract, DateTime Date)>(
            "select extract, max(business_date) from meta.load_audit where status = 'loaded' group by extract")
            .ToDictionary(r => r.Extract, r => r.Date);
        if (latest.Count == 0)
        {
            return [];
        }
        var asOf = latest.Values.Max();
        foreach (var contract in contracts.All.Where(k => latest.ContainsKey(k.Extract)))
        {
            var age = (asOf - latest[contract.Extract]).Days;
            var status = age <= contract.FreshnessLimitDays ? "pass" : "warn";
            c.Execute("insert into meta.dq_result values (now(), null, $extract, 'freshness', null, $status, 0, $detail)",
                new { extract = contract.Extract, status, detail = $"newest delivery {latest[contract.Extract]:yyyy-MM-dd}, {age} day(s) before the as-of date {asOf:yyyy-MM-dd} (limit {contract.FreshnessLimitDays})" });
        }
        return Latest(db);
    }

    /// <summary>The latest result of every check, worst first.</summary>
    public static IReadOnlyList<QualityResult> Latest(Db db)
    {
        using var c = db.Connect();
        return c.Query<QualityResult>(db.Sql.Get("quality/latest_results.sql")).ToList();
    }
}
