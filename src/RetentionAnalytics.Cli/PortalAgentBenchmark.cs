using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using RetentionAnalytics.Core.Workbench;

namespace RetentionAnalytics.Cli;

public sealed record PortalBenchmarkResult(
    int Agents, int CallsPerAgent, int Calls, int Conflicts, int DoubleClaims, int LostOutcomes, int Failures, TimeSpan Wall,
    LatencyFigures Reference, IReadOnlyList<LatencyFigures> Operations);

/// <summary>
/// Simulated agents working their queues through a running portal over HTTP, as the pages do: each signs in through the
/// sign-in form (antiforgery token and cookie, like a browser), then loops queue (<c>GET /api/my-tasks</c>) → open the
/// first task (<c>POST /api/my-tasks/{id}/open</c>: claim, 360, reasons, contacts) → save the outcome (every fourth call
/// schedules a callback instead). Reference: one read by key over the same HTTP stack (<c>GET /api/my-tasks/{id}/head</c>),
/// before and after. Afterwards every task worked is read back: a task claimed twice in one version is a double claim,
/// a saved outcome missing from the task's attempts a lost one. With a pace, each agent spends a random time with the
/// customer between calls (exponential, the pace on average; the first call after a uniform share of it), as agents
/// on the phone do; without one they click through their queues back to back (a stress test, not a call centre).
/// </summary>
public static partial class PortalAgentBenchmark
{
    private const string Queue = "queue (top 50)";
    private const string Open = "open task";
    private const string Save = "save outcome";
    private const string Callback = "schedule callback";
    private static readonly string[] Order = [Queue, Open, Save, Callback];

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task<PortalBenchmarkResult> RunAsync(
        Uri portal, IReadOnlyList<string> agents, string password, int callsPerAgent, IProgress<int>? progress = null,
        TimeSpan pace = default)
    {
        var clients = new List<HttpClient>();
        foreach (var agent in agents)
        {
            clients.Add(await SignInAsync(portal, agent, password));
        }
        var samples = new ConcurrentBag<(string Operation, TimeSpan Elapsed)>();
        var claims = new ConcurrentDictionary<(long Task, int Version), int>();
        var saved = new ConcurrentDictionary<long, int>();
        var firstAttempts = new ConcurrentDictionary<long, (HttpClient Client, int Attempts)>();
        int calls = 0, conflicts = 0, failures = 0;

        var referenceTask = await FirstTaskAsync(clients[0]);
        var reference = await MeasureReferenceAsync(clients[0], referenceTask, 20);
        var wall = Stopwatch.StartNew();
        await Task.WhenAll(clients.Select((client, agent) => Task.Run(async () =>
        {
            var talk = new Random(agent + 1);
            if (pace > TimeSpan.Zero)
            {
                await Task.Delay(pace * talk.NextDouble());
            }
            for (var i = 0; i < callsPerAgent; i++)
            {
                if (i > 0 && pace > TimeSpan.Zero)
                {
                    await Task.Delay(pace * -Math.Log(1 - talk.NextDouble()));
                }
                var queue = await TimedAsync(samples, Queue, () => client.GetFromJsonAsync<List<QueueRow>>("api/my-tasks?limit=50", Json));
                var next = queue?.FirstOrDefault(q => q.Status is "assigned" or "in_progress");
                if (next is null)
                {
                    break;
                }
                using var opened = await TimedAsync(samples, Open, () => client.PostAsync($"api/my-tasks/{next.TaskId}/open", null));
                if (opened.StatusCode == HttpStatusCode.Conflict)
                {
                    Interlocked.Increment(ref conflicts);
                    continue;
                }
                if (!opened.IsSuccessStatusCode)
                {
                    Interlocked.Increment(ref failures);
                    continue;
                }
                var view = (await opened.Content.ReadFromJsonAsync<OpenedRow>(Json))!;
                if (view.Claimed)
                {
                    claims.AddOrUpdate((view.Task.TaskId, view.Task.Version), 1, (_, n) => n + 1);
                }
                firstAttempts.TryAdd(view.Task.TaskId, (client, view.Task.Attempts));
                var callback = i % 4 == 3;
                var body = callback
                    // with the customer, a callback: any time the day after tomorrow lies in the future in every zone
                    ? new AgentOutcome("reached", null, null, DateTime.UtcNow.Date.AddDays(2).AddHours(12), view.Task.Version)
                    : new AgentOutcome("reached", "retained", "price", null, view.Task.Version);
                using var outcome = await TimedAsync(samples, callback ? Callback : Save,
                    () => client.PostAsJsonAsync($"api/my-tasks/{view.Task.TaskId}/outcome", body, Json));
                if (outcome.IsSuccessStatusCode)
                {
                    saved.AddOrUpdate(view.Task.TaskId, 1, (_, n) => n + 1);
                    Interlocked.Increment(ref calls);
                }
                else if (outcome.StatusCode == HttpStatusCode.Conflict)
                {
                    Interlocked.Increment(ref conflicts);
                }
                else
                {
                    Interlocked.Increment(ref failures);
                }
            }
            progress?.Report(1);
        })));
        wall.Stop();
        var after = await MeasureReferenceAsync(clients[0], referenceTask, 20);

        // read every task back: its attempts grew by exactly the outcomes saved on it
        var lost = 0;
        foreach (var (taskId, (client, attempts)) in firstAttempts)
        {
            var head = (await client.GetFromJsonAsync<HeadRow>($"api/my-tasks/{taskId}/head", Json))!;
            lost += Math.Abs(saved.GetValueOrDefault(taskId) - (head.Attempts - attempts));
        }
        foreach (var client in clients)
        {
            client.Dispose();
        }
        var operations = samples.GroupBy(s => s.Operation)
            .Select(g => Figures(g.Key, g.Select(s => s.Elapsed)))
            .OrderBy(f => Array.IndexOf(Order, f.Operation))
            .ToList();
        return new PortalBenchmarkResult(agents.Count, callsPerAgent, calls, conflicts, claims.Values.Count(n => n > 1), lost, failures,
            wall.Elapsed, Figures("reference: task by key (GET /api/my-tasks/{id}/head)", reference.Concat(after)), operations);
    }

    /// <summary>Signs in through the form as a browser does, then takes the session's antiforgery token for POSTs.</summary>
    internal static async Task<HttpClient> SignInAsync(Uri portal, string username, string password)
    {
        var client = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false, UseCookies = true })
        {
            BaseAddress = portal,
            Timeout = TimeSpan.FromMinutes(2),
        };
        var form = await client.GetStringAsync("account/signin");
        var token = TokenPattern().Match(form) is { Success: true } m
            ? WebUtility.HtmlDecode(m.Groups[1].Value)
            : throw new InvalidOperationException("The portal's sign-in form has no antiforgery token.");
        using var response = await client.PostAsync("account/signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["Username"] = username,
            ["Password"] = password,
            ["ReturnUrl"] = "/",
        }));
        if (response.StatusCode != HttpStatusCode.Redirect || response.Headers.Location?.ToString().Contains("error=", StringComparison.Ordinal) != false)
        {
            throw new InvalidOperationException($"Sign-in as {username} was refused ({(int)response.StatusCode}).");
        }
        using var antiforgery = JsonDocument.Parse(await client.GetStringAsync("api/antiforgery"));
        client.DefaultRequestHeaders.Add(antiforgery.RootElement.GetProperty("headerName").GetString()!,
            antiforgery.RootElement.GetProperty("token").GetString());
        return client;
    }

    private static async Task<long> FirstTaskAsync(HttpClient client) =>
        (await client.GetFromJsonAsync<List<QueueRow>>("api/my-tasks?limit=1", Json))?.FirstOrDefault()?.TaskId
        ?? throw new InvalidOperationException("The first agent has no task: run the set-up first (on a copy).");

    private static async Task<List<TimeSpan>> MeasureReferenceAsync(HttpClient client, long taskId, int repeats)
    {
        var list = new List<TimeSpan>();
        for (var i = 0; i < repeats; i++)
        {
            var clock = Stopwatch.StartNew();
            using var response = await client.GetAsync($"api/my-tasks/{taskId}/head");
            await response.Content.ReadAsByteArrayAsync();
            response.EnsureSuccessStatusCode();
            list.Add(clock.Elapsed);
        }
        return list;
    }

    private static async Task<T> TimedAsync<T>(ConcurrentBag<(string, TimeSpan)> samples, string operation, Func<Task<T>> work)
    {
        var clock = Stopwatch.StartNew();
        var result = await work();
        if (result is HttpResponseMessage response)
        {
            // the body is part of the answer the page waits for
            await response.Content.LoadIntoBufferAsync();
        }
        samples.Add((operation, clock.Elapsed));
        return result;
    }

    private static LatencyFigures Figures(string operation, IEnumerable<TimeSpan> values)
    {
        var sorted = values.Order().ToList();
        TimeSpan At(double q) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(q * sorted.Count) - 1)];
        return new LatencyFigures(operation, sorted.Count, At(0.50), At(0.95), sorted[^1]);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();

    private sealed record QueueRow(long TaskId, string Status);
    private sealed record TaskRow(long TaskId, int Version, int Attempts);
    private sealed record OpenedRow(TaskRow Task, bool Claimed);
    private sealed record HeadRow(long TaskId, int Version, int Attempts);
    private sealed record AgentOutcome(string Outcome, string? Result, string? ChurnReasonId, DateTime? CallbackAt, int Version);
}
