using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using Dapper;
using RetentionAnalytics.Core.Accounts;
using RetentionAnalytics.Core.Audit;
using RetentionAnalytics.Core.Warehouse;
using RetentionAnalytics.Core.Workbench;
using Spectre.Console;

namespace RetentionAnalytics.Cli;

internal static class AgentBenchmarkCommand
{
    /// <summary>
    /// <c>ra benchmark agents</c>: simulated agents, p50/p95 per operation against a reference -- in process on the
    /// workbench services, or with <c>--portal URL</c> over HTTP through a running portal, signed in as the benchmark agents.
    /// </summary>
    public static Command Create()
    {
        var agents = new Option<int>("--agents") { Description = "Concurrent simulated agents", DefaultValueFactory = _ => 50 };
        var calls = new Option<int>("--calls") { Description = "Calls each agent works (queue, open with 360, outcome)", DefaultValueFactory = _ => 20 };
        var setup = new Option<bool>("--setup") { Description = "First add a benchmark campaign, agents and assigned tasks (ONLY on a copy of a warehouse)" };
        var every = new Option<int>("--every") { Description = "With --setup: a task for every n-th current subscriber", DefaultValueFactory = _ => 10 };
        var portal = new Option<string?>("--portal") { Description = "Work the queues over HTTP through this running portal (its warehouse set up with --setup before it started)" };
        var passwordFile = new Option<FileInfo?>("--password-file")
        {
            Description = "The benchmark agents' portal password: with --setup, accounts are created with the password in this file (a random one is written when it does not exist); with --portal, they sign in with it",
        };
        var pace = new Option<double>("--pace")
        {
            Description = "With --portal: seconds each agent spends with a customer between calls, on average (0: back to back)",
            DefaultValueFactory = _ => 0,
        };
        var command = new Command("agents", "Time the agent workbench (queue, open task with the customer 360, record outcome) under concurrent agents")
        {
            agents, calls, setup, every, portal, passwordFile, pace,
        };
        command.SetAction(async (parse, cancel) =>
        {
            var n = parse.GetValue(agents);
            if (parse.GetValue(portal) is { } address)
            {
                if (!Uri.TryCreate(address, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
                {
                    Console.Error.WriteLine($"--portal: '{address}' is not an http(s) address such as http://127.0.0.1:5080");
                    return 2;
                }
                return await OverHttpAsync(url, n, parse.GetValue(calls), parse.GetValue(passwordFile), TimeSpan.FromSeconds(Math.Max(0, parse.GetValue(pace))));
            }
            if (parse.GetValue(pace) != 0)
            {
                Console.Error.WriteLine("--pace applies to agents working through a portal: give --portal too");
                return 2;
            }
            using var db = CliOptions.OpenOrExplain(parse);
            if (db is null)
            {
                return CliOptions.ExitLocked;
            }
            if (parse.GetValue(setup))
            {
                var added = AgentBenchmark.Setup(db, parse.GetValue(every), agentsPerCity: (n + 10) / 11);
                Console.WriteLine($"set-up: {added:N0} benchmark tasks added");
                if (parse.GetValue(passwordFile) is { } file)
                {
                    Console.WriteLine($"set-up: {AddAccounts(db, file):N0} benchmark agent accounts added (password and agents in {file.FullName})");
                }
            }
            if (parse.GetValue(calls) == 0)
            {
                return 0;
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
                """);
            PrintTable(result.Reference, result.Operations);
            return 0;
        });
        return command;
    }

    private static async Task<int> OverHttpAsync(Uri url, int agents, int calls, FileInfo? passwordFile, TimeSpan pace)
    {
        if (passwordFile is null)
        {
            Console.Error.WriteLine("--portal needs --password-file: the benchmark agents' password, as written by --setup --password-file.");
            return 2;
        }
        var portal = url.AbsoluteUri.EndsWith('/') ? url : new Uri(url.AbsoluteUri + "/");
        if (!passwordFile.Exists)
        {
            Console.Error.WriteLine($"No benchmark agents at {passwordFile.FullName}: run the set-up with --password-file first (on the copy the portal serves).");
            return 2;
        }
        // line 1 the password, then the agents the set-up made, the cities taken in turn
        var lines = File.ReadAllLines(passwordFile.FullName).Where(l => l.Length > 0).ToList();
        var names = lines.Skip(1).Take(agents).ToList();
        if (names.Count < agents)
        {
            Console.Error.WriteLine($"Only {names.Count} benchmark agents in {passwordFile.FullName}: run the set-up with --agents {agents}.");
            return 2;
        }
        PortalBenchmarkResult? r = null;
        try
        {
            await AnsiConsole.Progress().StartAsync(async ctx =>
            {
                var task = ctx.AddTask("agents", maxValue: agents);
                r = await PortalAgentBenchmark.RunAsync(portal, names, lines[0], calls,
                    new SyncProgress<int>(d => task.Increment(d)), pace);
            });
        }
        catch (HttpRequestException ex)
        {
            // the portal is not there, went away during the run, or failed a request: say so, no figures
            Console.Error.WriteLine(ex.StatusCode is { } status
                ? $"The portal at {portal} answered {(int)status} ({status}); no figures."
                : $"The portal at {portal} did not answer ({ex.HttpRequestError}: {ex.Message}); no figures.");
            return 1;
        }
        catch (TaskCanceledException)
        {
            Console.Error.WriteLine($"The portal at {portal} did not answer within the request timeout; no figures.");
            return 1;
        }
        catch (InvalidOperationException ex)
        {
            // a refused sign-in, or an agent with no task to open
            Console.Error.WriteLine($"The benchmark cannot run against {portal}: {ex.Message}");
            return 1;
        }
        var result = r!;
        Console.WriteLine($"""

            Portal {portal}: {result.Agents} agents signed in, × {result.CallsPerAgent} calls over HTTP{(pace > TimeSpan.Zero ? $", {pace.TotalSeconds:0.#} s with each customer on average" : ", back to back")}: {result.Calls:N0} outcomes saved, {result.Wall.TotalSeconds:N1} s wall ({result.Calls / result.Wall.TotalSeconds:N1} calls/s)
            double claims: {result.DoubleClaims}, lost outcomes: {result.LostOutcomes}, conflicts: {result.Conflicts}, failed requests: {result.Failures}
            """);
        PrintTable(result.Reference, result.Operations);
        return result.DoubleClaims == 0 && result.LostOutcomes == 0 && result.Failures == 0 ? 0 : 1;
    }

    private static void PrintTable(LatencyFigures reference, IReadOnlyList<LatencyFigures> operations)
    {
        Console.WriteLine("""
            | operation | n | p50 (ms) | p95 (ms) | max (ms) | p95 × ref p95 |
            |---|---:|---:|---:|---:|---:|
            """);
        foreach (var f in operations.Prepend(reference))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {f.Operation} | {f.Count:N0} | {f.P50.TotalMilliseconds:N1} | {f.P95.TotalMilliseconds:N1} | {f.Max.TotalMilliseconds:N1} | {f.P95 / reference.P95:N1} |"));
        }
        Console.WriteLine($"\nmachine: {Environment.ProcessorCount} cores, {GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 1e9:N0} GB, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}");
    }

    /// <summary>
    /// A portal account (agent of the agent's city and team) for every benchmark agent that has none yet, with the
    /// password in the file (a random one when the file does not exist); the file then lists the password and the agents,
    /// readable by its owner only.
    /// </summary>
    private static int AddAccounts(Db db, FileInfo file)
    {
        var password = file.Exists
            ? File.ReadLines(file.FullName).First().Trim()
            : Convert.ToBase64String(RandomNumberGenerator.GetBytes(18));
        var accounts = new AccountStore(db, new AuditLog(db), CliConfiguration.PasswordPolicy);
        List<(string Username, string City, string Team)> missing;
        List<string> all;
        using (var c = db.Connect())
        {
            missing = c.Query<(string, string, string)>(db.Sql.Get("workbench/bench_agent_accounts.sql")).ToList();
            all = c.Query<(string Username, string City)>(db.Sql.Get("workbench/bench_agents_list.sql")).Select(a => a.Username).ToList();
        }
        foreach (var (username, city, team) in missing)
        {
            accounts.Create("benchmark", username, new AccountProfile("Benchmark agent", [AccountRoles.Agent], false, [city], team, "en"),
                password, mustChange: false);
        }
        File.WriteAllLines(file.FullName, all.Prepend(password));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(file.FullName, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        return missing.Count;
    }
}
