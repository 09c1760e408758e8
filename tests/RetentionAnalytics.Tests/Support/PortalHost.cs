using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using RetentionAnalytics.Core.Warehouse;

namespace RetentionAnalytics.Tests.Support;

/// <summary>
/// The real portal as a separate process on 127.0.0.1, on its own temporary warehouse seeded with the sample
/// province at first start, exactly as the README's command does it.
/// </summary>
public sealed class PortalHost : IAsyncLifetime
{
    private Process? _process;
    private readonly List<string> _output = [];

    public string Folder { get; } = Directory.CreateTempSubdirectory("ra-portal-").FullName;
    public string DatabasePath => Path.Combine(Folder, "warehouse.duckdb");
    public string Inbox => Path.Combine(Folder, "inbox");
    public string LogFolder => Path.Combine(Folder, "logs");
    public Uri BaseAddress { get; private set; } = new("http://127.0.0.1/");
    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(30) };
    public string Output { get { lock (_output) { return string.Join('\n', _output); } } }

    public static string RepositoryRoot => WarehouseOptions.FindRepositoryRoot()!;

    /// <summary>Extra configuration for this portal (environment variables, e.g. <c>Network__AllowedNetworks__0</c>).</summary>
    public Dictionary<string, string> Environment { get; init; } = [];

    /// <summary>
    /// False: no sample seed (the seed folder does not exist) and ready as soon as the portal answers at all (an
    /// allow-list may refuse the test's own address) — for portals that test sign-in or the network, not data.
    /// </summary>
    public bool WaitForSeed { get; init; } = true;

    /// <summary>
    /// True: the seed also makes the demo's past campaigns worked by simulated agents (docs/demo.md), as the README's
    /// first start does. False (the default) keeps the seed short for tests that do not read them.
    /// </summary>
    public bool DemoHistory { get; init; }

    /// <summary>The portal's own build output (same configuration as the tests), with its static web assets.</summary>
    private static string PortalDll
    {
        get
        {
            var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
            return Path.Combine(RepositoryRoot, "src", "RetentionAnalytics.Portal", "bin", configuration, "net10.0", "RetentionAnalytics.Portal.dll");
        }
    }

    /// <summary>A fixed loopback port for this portal (null: any free one).</summary>
    public int? Port { get; init; }

    public async Task InitializeAsync()
    {
        var port = Port ?? FreePort();
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(PortalDll)!,
        };
        info.ArgumentList.Add(PortalDll);
        info.ArgumentList.Add("--urls");
        info.ArgumentList.Add(BaseAddress.ToString().TrimEnd('/'));
        info.Environment["RA_DB"] = DatabasePath;
        info.Environment["Etl__Inbox"] = Inbox;
        info.Environment["Etl__SeedFolder"] = WaitForSeed ? Path.Combine(RepositoryRoot, "data-samples", "province") : Path.Combine(Folder, "no-seed");
        info.Environment["Etl__InboxPollSeconds"] = "2";
        info.Environment["Logs__Folder"] = LogFolder;
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        if (!DemoHistory)
        {
            info.Environment["Demo__HistoryMonths"] = "0";
        }
        foreach (var (name, value) in Environment)
        {
            info.Environment[name] = value;
        }
        _process = Process.Start(info)!;
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (_output) { _output.Add(e.Data); } } };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (_output) { _output.Add(e.Data); } } };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        if (!WaitForSeed)
        {
            await WaitFor(async () => { await Http.GetAsync(new Uri(BaseAddress, "healthz")); return true; }, TimeSpan.FromSeconds(60), "portal to answer");
            return;
        }
        // the portal answers at once; the first start's seed load runs in the background
        await WaitFor(async () => (await Http.GetAsync(new Uri(BaseAddress, "healthz"))).IsSuccessStatusCode, TimeSpan.FromSeconds(60), "portal to answer /healthz");
        await WaitFor(async () => await SeedFinished(), TimeSpan.FromMinutes(DemoHistory ? 8 : 4), "sample province to be loaded");
    }

    private async Task<bool> SeedFinished()
    {
        var run = await LatestRun();
        return run is { TriggerKind: "startup", Status: "succeeded" } || run is { Status: "failed" }
            ? run.Status == "succeeded" ? true : throw new InvalidOperationException($"the seed run failed:\n{Output}")
            : false;
    }

    public sealed record Run(long RunId, string JobName, string TriggerKind, string Status, double ProgressPct);

    public async Task<Run?> LatestRun()
    {
        using var doc = JsonDocument.Parse(await Http.GetStringAsync(new Uri(BaseAddress, "healthz")));
        return doc.RootElement.GetProperty("latestRun").Deserialize<Run>(new JsonSerializerOptions(JsonSerializerDefaults.Web));
    }

    public async Task WaitFor(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (_process is { HasExited: true })
            {
                // an exited process's last lines may still be on their way from its pipes: WaitForExit waits for them
                _process.WaitForExit();
                throw new InvalidOperationException($"the portal exited while waiting for {what}:\n{Output}");
            }
            try
            {
                if (await condition())
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(250);
        }
        throw new TimeoutException($"waited {timeout} for {what}:\n{Output}");
    }

    public async Task DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process?.Dispose();
        Http.Dispose();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
