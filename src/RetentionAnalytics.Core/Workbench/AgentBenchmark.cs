using System.Collections.Concurrent;
using System.Diagnostics;
using Dapper;
using RetentionAnalytics.Core.Access;
using RetentionAnalytics.Core.Audit;
using RetentionAnalytics.Core.Campaigns;
using RetentionAnalytics.Core.Customers;
using RetentionAnalytics.Core.Regions;
using RetentionAnalytics.Core.Tasks;
using RetentionAnalytics.Core.Warehouse;

namespace RetentionAnalytics.Core.Workbench;

public sealed record LatencyFigures(string Operation, int Count, TimeSpan P50, TimeSpan P95, TimeSpan Max);

public sealed record AgentBenchmarkResult(
    int Agents, int CallsPerAgent, long Tasks, long Subscribers, int Calls, int Conflicts, TimeSpan Wall,
    LatencyFigures Reference, IReadOnlyList<LatencyFigures> Operations);

/// <summary>
/// Simulated agents working the workbench in-process on a warehouse copy: each agent loops over queue (top 50), open
/// (claim) the first task, the customer 360 and the probable reasons of it, and the outcome. Latencies per operation
/// against a reference measured in the same run: a plain scoped count over ops.task for one city.
/// Set-up (on a COPY only) adds a benchmark campaign, agents per city and an assigned task for every n-th subscriber.
/// </summary>
public static class AgentBenchmark
{
    public static long Setup(Db db, int every, int agentsPerCity)
    {
        new TeamSeeder(db).EnsureSeeded();
        using var c = db.Connect();
        c.Execute(db.Sql.Get("workbench/bench_campaign.sql"));
        CampaignTitles.Refresh(c, db);
        c.Execute(db.Sql.Get("workbench/bench_agents.sql"), new { agents_per_city = agentsPerCity });
        return c.Execute(db.Sql.Get("workbench/bench_tasks.sql"), new { every }, commandTimeout: 0);
    }

    public static AgentBenchmarkResult Run(Db db, int agents, int callsPerAgent, IProgress<int>? progress = null)
    {
        // records map snake_case columns by name (the portal sets the same at start)
        DefaultTypeMap.MatchNamesWithUnderscores = true;
        var options = new WorkbenchOptions { CallingFrom = TimeOnly.MinValue, CallingUntil = TimeOnly.MaxValue };
        var audit = new AuditLog(db);
        var access = new TaskAccess(db, audit);
        var workbench = new AgentWorkbench(db, access, options, new RegionClock(new RegionTimeOptions(), TimeProvider.System), []);
        var reasons = new ContactReasons(db, access);
        var customers = new Customer360(db, audit);

        List<(string Username, string City)> team;
        long tasks, subscribers;
        using (var c = db.Connect())
        {
            team = c.Query<(string, string)>(db.Sql.Get("workbench/bench_agents_list.sql")).Take(agents).ToList();
            (tasks, subscribers) = c.QuerySingle<(long, long)>(db.Sql.Get("workbench/bench_size.sql"));
        }
        if (team.Count < agents)
        {
            throw new InvalidOperationException($"Only {team.Count} benchmark agents: run with --setup first (on a copy).");
        }

        var reference = MeasureReference(db, 20);
        var samples = new ConcurrentBag<(string Operation, TimeSpan Elapsed)>();
        var conflicts = 0;
        var calls = 0;
        var wall = Stopwatch.StartNew();
        var workers = team.Select(member => Task.Factory.StartNew(() =>
        {
            var actor = new Actor(member.Username, RegionScope.ForCities([member.City]));
            var viewer = new CustomerViewer(member.Username, actor.Scope, SeesUnmaskedIdentifiers: true);
            for (var i = 0; i < callsPerAgent; i++)
            {
                try
                {
                    var queue = Timed(samples, "queue (top 50)", () => workbench.Queue(actor, new QueueFilter(Limit: 50)));
                    var next = queue.FirstOrDefault(q => q.Status is "assigned" or "in_progress");
                    if (next is null)
                    {
                        break;
                    }
                    var open = Stopwatch.StartNew();
                    var opened = Timed(samples, "claim", () => workbench.Open(actor, next.TaskId));
                    Timed(samples, "customer 360", () => customers.Open(next.SubscriberId, viewer));
                    Timed(samples, "probable reasons", () => reasons.For(actor, next.TaskId));
                    samples.Add(("open task (claim + 360 + reasons)", open.Elapsed));
                    Timed(samples, "record outcome", () => workbench.Record(actor,
                        new OutcomeInput(next.TaskId, "reached", "retained", ChurnReasonId: "price", Version: opened.Task.Version)));
                    Interlocked.Increment(ref calls);
                }
                catch (WorkbenchException ex) when (ex.Failure == WorkbenchFailure.Conflict)
                {
                    Interlocked.Increment(ref conflicts);
                }
            }
            progress?.Report(1);
        }, TaskCreationOptions.LongRunning)).ToArray();
        Task.WaitAll(workers);
        wall.Stop();
        var after = MeasureReference(db, 20);

        var operations = samples.GroupBy(s => s.Operation)
            .Select(g => Figures(g.Key, g.Select(s => s.Elapsed)))
            .OrderBy(f => Array.IndexOf(Order, f.Operation))
            .ToList();
        return new AgentBenchmarkResult(agents, callsPerAgent, tasks, subscribers, calls, conflicts, wall.Elapsed,
            Figures("reference: scoped count over ops.task", reference.Concat(after)), operations);
    }

    private static readonly string[] Order =
        ["queue (top 50)", "claim", "customer 360", "probable reasons", "open task (claim + 360 + reasons)", "record outcome"];

    private static List<TimeSpan> MeasureReference(Db db, int repeats)
    {
        var args = RegionScope.ForCities(["571"]).AddTo(new DynamicParameters());
        var sql = db.Sql.Get("workbench/bench_reference.sql");
        var list = new List<TimeSpan>();
        for (var i = 0; i < repeats; i++)
        {
            using var c = db.Connect();
            var clock = Stopwatch.StartNew();
            c.ExecuteScalar<long>(sql, args);
            list.Add(clock.Elapsed);
        }
        return list;
    }

    private static T Timed<T>(ConcurrentBag<(string, TimeSpan)> samples, string operation, Func<T> work)
    {
        var clock = Stopwatch.StartNew();
        var result = work();
        samples.Add((operation, clock.Elapsed));
        return result;
    }

    private static LatencyFigures Figures(string operation, IEnumerable<TimeSpan> values)
    {
        var sorted = values.Order().ToList();
        TimeSpan At(double q) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(q * sorted.Count) - 1)];
        return new LatencyFigures(operation, sorted.Count, At(0.50), At(0.95), sorted[^1]);
    }
}
