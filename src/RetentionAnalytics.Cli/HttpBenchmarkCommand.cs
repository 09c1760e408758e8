using System.CommandLine;
using System.Diagnostics;

namespace RetentionAnalytics.Cli;

/// <summary>
/// <c>ra benchmark http</c>: one read endpoint under concurrent signed-in clients, through several addresses in the same
/// run (e.g. nginx in front of two nodes and the same nginx in front of one, docs/deploy.md). The addresses take turns
/// round by round, so the machine's other load falls on each alike; the first address is the reference of the ratios.
/// Each client signs in through the form with its own cookies, so a load balancer keeps it on one node as a browser.
/// </summary>
internal static class HttpBenchmarkCommand
{
    public static Command Create()
    {
        var urls = new Option<string[]>("--url") { Description = "Portal addresses, the first the reference (repeat the option)", Required = true, AllowMultipleArgumentsPerToken = true };
        var path = new Option<string>("--path") { Description = "The read endpoint", DefaultValueFactory = _ => "api/reports/alerts_by_scenario" };
        var user = new Option<string>("--user") { Description = "Account the clients sign in as", DefaultValueFactory = _ => "leader" };
        var passwordFile = new Option<FileInfo>("--password-file") { Description = "File holding the account's password", Required = true };
        var clients = new Option<int>("--clients") { Description = "Concurrent clients per address", DefaultValueFactory = _ => 8 };
        var seconds = new Option<int>("--seconds") { Description = "Seconds per address and round", DefaultValueFactory = _ => 10 };
        var rounds = new Option<int>("--rounds") { Description = "Rounds (every address once per round)", DefaultValueFactory = _ => 3 };
        var command = new Command("http", "Requests per second and latency of one read endpoint through several portal addresses in the same run")
        {
            urls, path, user, passwordFile, clients, seconds, rounds,
        };
        command.SetAction(async (parse, cancel) =>
        {
            var addresses = new List<Uri>();
            foreach (var text in parse.GetValue(urls)!)
            {
                if (!Uri.TryCreate(text.EndsWith('/') ? text : text + "/", UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
                {
                    Console.Error.WriteLine($"--url: '{text}' is not an http(s) address such as http://127.0.0.1:5340");
                    return 2;
                }
                addresses.Add(url);
            }
            var file = parse.GetValue(passwordFile)!;
            if (!file.Exists)
            {
                Console.Error.WriteLine($"--password-file: {file.FullName} does not exist");
                return 2;
            }
            var password = File.ReadAllText(file.FullName).Trim();
            var n = parse.GetValue(clients);
            var signedIn = new Dictionary<Uri, List<HttpClient>>();
            foreach (var address in addresses)
            {
                signedIn[address] = [];
                for (var i = 0; i < n; i++)
                {
                    signedIn[address].Add(await PortalAgentBenchmark.SignInAsync(address, parse.GetValue(user)!, password));
                }
            }
            var samples = addresses.ToDictionary(a => a, _ => new List<TimeSpan>());
            var failures = addresses.ToDictionary(a => a, _ => 0);
            var busy = addresses.ToDictionary(a => a, _ => TimeSpan.Zero);
            for (var round = 0; round < parse.GetValue(rounds); round++)
            {
                foreach (var address in addresses)
                {
                    var (taken, failed, wall) = await LoadAsync(signedIn[address], parse.GetValue(path)!, TimeSpan.FromSeconds(parse.GetValue(seconds)), cancel);
                    samples[address].AddRange(taken);
                    failures[address] += failed;
                    busy[address] += wall;
                }
            }
            Console.WriteLine($"GET /{parse.GetValue(path)} as {parse.GetValue(user)}, {n} clients per address, {parse.GetValue(rounds)} rounds × {parse.GetValue(seconds)} s");
            Console.WriteLine("| address | requests | failed | req/s | ratio | p50 ms | p95 ms | p99 ms |");
            Console.WriteLine("|---|---|---|---|---|---|---|---|");
            var reference = samples[addresses[0]].Count / busy[addresses[0]].TotalSeconds;
            foreach (var address in addresses)
            {
                var sorted = samples[address].Order().ToList();
                double At(double q) => sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(q * sorted.Count) - 1)].TotalMilliseconds;
                var rate = sorted.Count / busy[address].TotalSeconds;
                Console.WriteLine($"| {address} | {sorted.Count:N0} | {failures[address]} | {rate:N1} | {rate / reference:N2} | {At(0.5):N0} | {At(0.95):N0} | {At(0.99):N0} |");
            }
            foreach (var client in signedIn.Values.SelectMany(c => c))
            {
                client.Dispose();
            }
            return failures.Values.Sum() == 0 ? 0 : 1;
        });
        return command;
    }

    /// <summary>Every client asks again as soon as it has its answer (closed loop), for the given time.</summary>
    private static async Task<(List<TimeSpan> Samples, int Failed, TimeSpan Wall)> LoadAsync(
        IReadOnlyList<HttpClient> clients, string path, TimeSpan duration, CancellationToken ct)
    {
        var samples = new List<TimeSpan>();
        var failed = 0;
        var wall = Stopwatch.StartNew();
        await Task.WhenAll(clients.Select(client => Task.Run(async () =>
        {
            var mine = new List<TimeSpan>();
            var myFailures = 0;
            while (wall.Elapsed < duration && !ct.IsCancellationRequested)
            {
                var clock = Stopwatch.StartNew();
                try
                {
                    using var response = await client.GetAsync(path, ct);
                    await response.Content.LoadIntoBufferAsync(ct);
                    if (response.IsSuccessStatusCode)
                    {
                        mine.Add(clock.Elapsed);
                    }
                    else
                    {
                        myFailures++;
                    }
                }
                catch (HttpRequestException)
                {
                    myFailures++;
                }
            }
            lock (samples)
            {
                samples.AddRange(mine);
                failed += myFailures;
            }
        }, ct)));
        return (samples, failed, wall.Elapsed);
    }
}
