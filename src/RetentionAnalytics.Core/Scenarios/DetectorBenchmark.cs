using System.Diagnostics;
using Dapper;
using RetentionAnalytics.Core.Warehouse;

namespace RetentionAnalytics.Core.Scenarios;

/// <param name="Query">The detector's query alone (rows counted, nothing written).</param>
/// <param name="Duration">The whole run: delete, insert of the alerts, run record, commit.</param>
public sealed record DetectorTiming(string ScenarioId, long Alerts, TimeSpan Query, TimeSpan Duration, double QueryRatio, double Ratio, string Status);

public sealed record DetectorBenchmarkResult(
    DateOnly Period, long SubscriberMonths, TimeSpan Reference, IReadOnlyList<TimeSpan> ReferenceSamples,
    IReadOnlyList<DetectorTiming> Detectors, TimeSpan AllTogether, long AllAlerts)
{
    public double AllRatio => AllTogether / Reference;

    public TimeSpan AllQueries => Detectors.Aggregate(TimeSpan.Zero, (sum, d) => sum + d.Query);

    public double AllQueriesRatio => AllQueries / Reference;
}

/// <summary>
/// The detectors against a reference full-scan aggregate (bills by city × month over dw.fct_subscriber_month) measured
/// in the same process on the same file, so the ratios survive noisy machines. Targets: each detector ≤ 3× the
/// reference, all together ≤ 15×. Every run writes its alerts as a real run does.
/// </summary>
public static class DetectorBenchmark
{
    public static DetectorBenchmarkResult Run(Db db, DetectorRunner runner, DateOnly? period = null, int referenceRepeats = 3,
        IProgress<(string Stage, int Done, int Total)>? progress = null)
    {
        var month = period is { } p ? runner.CheckPeriod(p) : runner.DefaultPeriod();
        var reference = db.Sql.Get("detect/benchmark_reference.sql");
        long rows;
        using (var c = db.Connect())
        {
            rows = c.ExecuteScalar<long>("select count(*) from dw.fct_subscriber_month");
        }
        var samples = new List<TimeSpan>();
        void MeasureReference()
        {
            for (var i = 0; i < referenceRepeats; i++)
            {
                using var c = db.Connect();
                var clock = Stopwatch.StartNew();
                c.Query(reference, commandTimeout: 0).AsList();
                samples.Add(clock.Elapsed);
            }
        }

        progress?.Report(("reference", 0, 1));
        using (var c = db.Connect())
        {
            // the first scan reads the file into DuckDB's buffers; the detectors after it find them warm as well
            c.Query(reference, commandTimeout: 0).AsList();
        }
        MeasureReference();

        var ids = runner.Sync().Where(s => s.Enabled).Select(s => s.ScenarioId).ToList();
        progress?.Report(("all", 0, 1));
        var all = Stopwatch.StartNew();
        var together = runner.Run(month, trigger: "benchmark");
        all.Stop();

        var singles = new List<ScenarioRunResult>();
        var queries = new List<TimeSpan>();
        var count = db.Sql.Get("detect/benchmark_count.sql");
        for (var i = 0; i < ids.Count; i++)
        {
            progress?.Report(("each", i, ids.Count));
            var query = runner.Query(ids[i]);
            var sql = query.WrappedIn(count);
            using (var c = db.Connect())
            {
                var clock = Stopwatch.StartNew();
                c.ExecuteScalar<long>(sql, query.Bind(sql, month, Access.RegionScope.WholeProvince), commandTimeout: 0);
                queries.Add(clock.Elapsed);
            }
            singles.AddRange(runner.Run(month, ids[i], trigger: "benchmark"));
        }
        progress?.Report(("each", ids.Count, ids.Count));
        // measured again after the detectors: the median of both rounds absorbs a neighbour's burst
        MeasureReference();
        var median = samples.Order().ElementAt(samples.Count / 2);

        return new DetectorBenchmarkResult(month, rows, median, samples,
            singles.Select((s, i) => new DetectorTiming(s.ScenarioId, s.Alerts, queries[i], s.Duration, queries[i] / median,
                s.Duration / median, s.Status)).ToList(),
            all.Elapsed, together.Sum(r => r.Alerts));
    }
}
