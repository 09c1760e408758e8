using Dapper;
using DuckDB.NET.Data;
using RetentionAnalytics.Core.Etl.Contracts;
using RetentionAnalytics.Core.Warehouse;

namespace RetentionAnalytics.Core.Etl.Quality;

/// <summary>A file staged into <c>stg</c> as load <paramref name="LoadId"/>, for the checks after the load.</summary>
public sealed record StagedLoad(ExtractContract Contract, long LoadId, DateOnly BusinessDate);

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

    /// <summary>
    /// The checks of a staged load. With <paramref name="relationships"/> false its relationships check is left to
    /// <see cref="CheckRelationships"/>, which checks a batch of loads in one pass.
    /// </summary>
    public void AfterLoad(DuckDBConnection c, ExtractContract contract, long loadId, DateOnly businessDate, bool relationships = true)
    {
        var date = businessDate.ToDateTime(TimeOnly.MinValue);
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
        // a date delivered in parts has several loaded deliveries: its rows are theirs together, compared with the date before
        var counts = c.Query<(DateTime Date, long Rows)>("""
            select business_date, sum(rows_loaded)::bigint from meta.load_audit
            where extract = $extract and status = 'loaded' and business_date <= $date
            group by business_date
            order by business_date desc limit 2
            """, new { extract = contract.Extract, date }).ToList();
        if (counts.Count == 2 && counts[1].Rows > 0)
        {
            var change = (double)(counts[0].Rows - counts[1].Rows) / counts[1].Rows;
            results.Add(("row_count_anomaly", null, Math.Abs(change) <= RowCountTolerance ? "pass" : "warn", 0,
                $"{counts[0].Rows:N0} rows vs {counts[1].Rows:N0} in the delivery of {counts[1].Date:yyyy-MM-dd} ({change:+0.0%;-0.0%})"));
        }
        Record(c, contract.Extract, loadId, results);
        if (relationships)
        {
            CheckRelationships(c, [new StagedLoad(contract, loadId, businessDate)]);
        }
    }

    /// <summary>
    /// Facts should describe known subscribers: the relationships check counts the distinct subscriber ids of each staged
    /// load that no subscription snapshot from 62 days before to 31 days after its business date holds. Loads of one
    /// business date are checked in one pass: the snapshots are read and hashed once, not once per file.
    /// </summary>
    public void CheckRelationships(DuckDBConnection c, IReadOnlyCollection<StagedLoad> loads)
    {
        var facts = loads.Where(l => l.Contract.Extract != "subscription" && l.Contract.Columns.Any(col => col.Name == "subscriber_id")).ToList();
        if (facts.Count == 0 || !Loading.Loader.TableExists(c, "stg", "subscription"))
        {
            return;
        }
        foreach (var day in facts.GroupBy(l => l.BusinessDate))
        {
            var parameters = new DynamicParameters(new { date = day.Key.ToDateTime(TimeOnly.MinValue) });
            var delivered = day.Select((l, i) =>
            {
                parameters.Add($"load{i}", l.LoadId);
                return $"select $load{i} as load_id, subscriber_id from {l.Contract.StagingTable} where _business_date = $date";
            });
            // an anti join, not a correlated not exists: DuckDB would first join the snapshots to the delivered ids and
            // then anti-join the delivery against that join, two hash tables of millions of rows at 1 M subscribers
            var orphans = c.Query<(long LoadId, long Orphans)>($"""
                select f.load_id, count(distinct f.subscriber_id) from ({string.Join(" union all ", delivered)}) f
                anti join (select subscriber_id from stg.subscription
                           where _business_date between $date - interval 62 day and $date + interval 31 day) s
                       on s.subscriber_id = f.subscriber_id
                group by f.load_id
                """, parameters).ToDictionary(r => r.LoadId, r => r.Orphans);
            foreach (var load in day)
            {
                var n = orphans.GetValueOrDefault(load.LoadId);
                Record(c, load.Contract.Extract, load.LoadId, [("relationships", "subscriber_id", n == 0 ? "pass" : "warn", n,
                    n == 0 ? null : $"{n:N0} subscriber id(s) not in the subscription snapshots around {load.BusinessDate:yyyy-MM-dd}")]);
            }
        }
    }

    private void Record(DuckDBConnection c, string extract, long loadId,
        IEnumerable<(string Check, string? Column, string Status, long Failing, string? Detail)> results)
    {
        using var appender = c.CreateAppender("meta", "dq_result");
        var now = db.Clock.Now;
        foreach (var r in results)
        {
            appender.CreateRow().AppendValue(now).AppendValue(loadId).AppendValue(extract).AppendValue(r.Check)
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
