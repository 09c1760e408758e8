using System.CommandLine;
using System.Globalization;
using RetentionAnalytics.Core.Workbench;
using Spectre.Console;

namespace RetentionAnalytics.Cli;

internal static class AgentBenchmarkCommand
{
    /// <summary><c>ra benchmark agents</c>: simulated agents on the workbench services, p50/p95 per operation against a reference.</summary>
    public static Command Create()
    {
        var agents = new Option<int>("--agents") { Description = "Concurrent simulated agents", DefaultValueFactory = _ => 50 };
        var calls = new Option<int>("--calls") { Description = "Calls each agent works (queue, open with 360, outcome)", DefaultValueFactory = _ => 20 };
        var setup = new Option<bool>("--setup") { Description = "First add a benchmark campaign, agents and assigned tasks (ONLY on a copy of a warehouse)" };
        var every = new Option<int>("--every") { Description = "With --setup: a task for every n-th current subscriber", DefaultValueFactory = _ => 10 };
        var command = new Command("agents", "Time the agent workbench (queue, open task with the customer 360, record outcome) under concurrent agents")
        {
            agents, calls, setup, every,
        };
        command.SetAction(parse =>
        {
            using var db = CliOptions.OpenOrExplain(parse);
            if (db is null)
            {
                return CliOptions.ExitLocked;
            }
            var n = parse.GetValue(agents);
            if (parse.GetValue(setup))
            {
                var added = AgentBenchmark.Setup(db, parse.GetValue(every), agentsPerCity: (n + 10) / 11);
                Console.WriteLine($"set-up: {added:N0} benchmark tasks added");
            }
            AgentBenchmarkResult? r = null;
            AnsiConsole.Progress().Start(ctx =>
            {
                var task = ctx.AddTask("agents", maxValue: n);
                r = AgentBenchmark.Run(db, n, parse.GetValue(calls), new SyncProgress<int>(d => task.Increment(d)));
            });
            var result = r!;
            Console.WriteLine($"""

                Warehouse {db.Options.DatabasePath}: {result.Subscribers:N0} current subscribers, {result.Tasks:N0} tasks
                {result.Agents} concurrent agents × {result.CallsPerAgent} calls: {result.Calls:N0} calls recorded, {result.Conflicts} conflicts, {result.Wall.TotalSeconds:N1} s wall

                | operation | n | p50 (ms) | p95 (ms) | max (ms) | p95 × ref p95 |
                |---|---:|---:|---:|---:|---:|
                """);
            foreach (var f in result.Operations.Prepend(result.Reference))
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {f.Operation} | {f.Count:N0} | {f.P50.TotalMilliseconds:N1} | {f.P95.TotalMilliseconds:N1} | {f.Max.TotalMilliseconds:N1} | {f.P95 / result.Reference.P95:N1} |"));
            }
            Console.WriteLine($"\nmachine: {Environment.ProcessorCount} cores, {GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 1e9:N0} GB, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}");
            return 0;
        });
        return command;
    }
}
