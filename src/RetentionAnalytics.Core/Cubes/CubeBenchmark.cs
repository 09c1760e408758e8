using System.Diagnostics;
using System.Text.Json;
using Dapper;
using DuckDB.NET.Data;
using RetentionAnalytics.Core.Access;
using RetentionAnalytics.Core.Warehouse;

namespace RetentionAnalytics.Core.Cubes;

public sealed record CubeBenchmarkCase(string Name, PivotRequest Request);

/// <summary>
/// One typical pivot: p95 of the bare aggregate SQL, of the whole server path, and of the bare SQL the cube writes
/// without its grain (distinct counts in every cell), and the target check.
/// </summary>
public sealed record CubeBenchmarkFigure(string Name, int Cells, TimeSpan DirectP95, TimeSpan ServerP95, TimeSpan WithoutGrainP95,
    IReadOnlyList<TimeSpan> DirectSamples, IReadOnlyList<TimeSpan> ServerSamples)
{
    /// <summary>How many times faster the grain's counts make the bare query (1 where the pivot has no month cells).</summary>
    public double GrainSpeedUp => WithoutGrainP95.TotalMilliseconds / Math.Max(1, DirectP95.TotalMilliseconds);

    public double Ratio => ServerP95.TotalMilliseconds / Math.Max(1, DirectP95.TotalMilliseconds);

    /// <summary>The target: server ≤ 1.5 × direct + 50 ms.</summary>
    public bool Met => ServerP95.TotalMilliseconds <= 1.5 * DirectP95.TotalMilliseconds + 50;
}

public sealed record CubeBenchmarkResult(string Database, long SubscriberMonths, int Repeats, IReadOnlyList<CubeBenchmarkFigure> Figures);

/// <summary>
/// Times typical cube queries two ways in one process on a warehouse opened read-only: (a) the generated aggregate
/// SQL alone, straight on a DuckDB connection, reading its rows; (b) the server path: request → generator → DuckDB →
/// pivot result → JSON (what <c>POST /api/cubes/query</c> returns). The difference is the cost of the cube layer. A
/// third timing, the bare SQL of the same cube without its grain, is the reference for what the grain saves.
/// </summary>
public static class CubeBenchmark
{
    public static IReadOnlyList<CubeBenchmarkCase> TypicalCases { get; } =
    [
        new("city × month churn rate",
            new PivotRequest("subscriber_month", [new("region", "city")], [new("time", "month")], ["churned", "active_at_month_start", "churn_rate"])),
        new("plan × value tier ARPU",
            new PivotRequest("subscriber_month", [new("plan", "plan")], [new("value_tier", "value_tier")], ["revenue", "active", "arpu"])),
        new("tenure band × prepaid/postpaid retention rate",
            new PivotRequest("subscriber_month", [new("tenure", "tenure_band")], [new("payment_type", "payment_type")], ["retained", "base_members", "retention_rate"])),
        new("top-10 districts by churned",
            new PivotRequest("subscriber_month", [new("region", "district")], [], ["churned", "churn_rate"],
                Top: new TopN(0, 10, "churned"), Sort: new PivotSort("churned", true))),
        new("district × month subscribers and churn rate",
            new PivotRequest("subscriber_month", [new("region", "district")], [new("time", "month")], ["subscribers", "churned", "active_at_month_start", "churn_rate"])),
        new("year > quarter rollup (quarters of 2026)",
            new PivotRequest("subscriber_month", [new("time", "quarter")], [], ["subscribers", "churned", "churn_rate", "revenue"],
                Filters: [new MemberFilter("time", "year", ["2026"])])),
    ];

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static CubeBenchmarkResult Run(string databasePath, SqlFiles sql, CubeCatalog catalog, int repeats, IProgress<(string Stage, int Done, int Total)>? progress = null)
    {
        using var c = new DuckDBConnection($"Data Source={databasePath};ACCESS_MODE=READ_ONLY");
        c.Open();
        var subscriberMonths = c.ExecuteScalar<long>("select count(*) from dw.fct_subscriber_month");
        var figures = new List<CubeBenchmarkFigure>();
        var done = 0;
        foreach (var test in TypicalCases)
        {
            progress?.Report((test.Name, done++, TypicalCases.Count));
            var cube = catalog.Get(test.Request.Cube);
            var source = sql.Get(cube.Source);
            // the direct query is the very SQL the generator writes, planned once outside the clock
            var planned = CubeQuery.Build(cube, source, test.Request, RegionScope.WholeProvince, "en");
            var withoutGrain = CubeQuery.Build(cube.WithoutGrain(), source, test.Request, RegionScope.WholeProvince, "en");
            var direct = new List<TimeSpan>();
            var server = new List<TimeSpan>();
            var distinct = new List<TimeSpan>();
            var cells = 0;
            // one warm-up of each, then alternate so that caches and the machine's load affect both alike
            for (var i = -1; i < repeats; i++)
            {
                var watch = Stopwatch.StartNew();
                using (var reader = c.ExecuteReader(planned.Sql, planned.Parameters))
                {
                    cells = CubeService.ReadAll(reader).Count;
                }
                var d = watch.Elapsed;

                watch.Restart();
                var query = CubeQuery.Build(cube, source, test.Request, RegionScope.WholeProvince, "en");
                var result = CubeService.Execute(c, query, test.Request, "en");
                _ = JsonSerializer.SerializeToUtf8Bytes(result, Json);
                var s = watch.Elapsed;

                watch.Restart();
                using (var reader = c.ExecuteReader(withoutGrain.Sql, withoutGrain.Parameters))
                {
                    _ = CubeService.ReadAll(reader).Count;
                }
                var w = watch.Elapsed;
                if (i >= 0)
                {
                    direct.Add(d);
                    server.Add(s);
                    distinct.Add(w);
                }
            }
            figures.Add(new CubeBenchmarkFigure(test.Name, cells, P95(direct), P95(server), P95(distinct), direct, server));
        }
        progress?.Report(("done", done, TypicalCases.Count));
        return new CubeBenchmarkResult(databasePath, subscriberMonths, repeats, figures);
    }

    /// <summary>Nearest-rank 95th percentile.</summary>
    public static TimeSpan P95(IReadOnlyList<TimeSpan> samples)
    {
        var ordered = samples.Order().ToList();
        var rank = (int)Math.Ceiling(0.95 * ordered.Count);
        return ordered[Math.Clamp(rank - 1, 0, ordered.Count - 1)];
    }
}
