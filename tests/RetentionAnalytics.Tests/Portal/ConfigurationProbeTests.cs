using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using RetentionAnalytics.Tests.Support;

namespace RetentionAnalytics.Tests.Portal;

/// <summary>
/// Issue 13 items 1 and 6: a published default secret was live outside demo mode, and the README's <c>dotnet run</c>
/// started the Development environment (stack traces, developer exception page) on a port the launch profile fixed.
/// </summary>
public sealed class ConfigurationProbeTests
{
    [Theory]
    [InlineData("demo-gateway-token", "published demo value")]
    [InlineData("too-short-secret", "too short to be a secret")]
    public async Task Outside_demo_mode_the_portal_does_not_start_with_a_published_or_weak_gateway_token(string token, string says)
    {
        var host = new PortalHost
        {
            WaitForSeed = false,
            Environment = { ["Auth__DemoMode"] = "false", ["Sms__Gateway__CallbackToken"] = token },
        };
        try
        {
            var refused = await Assert.ThrowsAsync<InvalidOperationException>(host.InitializeAsync);
            Assert.Contains("exited", refused.Message);
            Assert.Contains("Sms:Gateway:CallbackToken", refused.Message);
            Assert.Contains(says, refused.Message);
        }
        finally
        {
            await host.DisposeAsync();
        }
    }

    [Theory]
    [InlineData("held", "is in use by another process")]
    [InlineData("not a warehouse", "The warehouse cannot be opened")]
    public async Task A_warehouse_file_held_by_another_process_or_not_a_warehouse_stops_the_portal_with_a_sentence(string file, string says)
    {
        var host = new PortalHost { WaitForSeed = false };
        RetentionAnalytics.Core.Warehouse.Db? holder = null;
        if (file == "held")
        {
            // this process holds the file, as a running ra load or a second portal would
            holder = RetentionAnalytics.Core.Warehouse.Db.Open(new RetentionAnalytics.Core.Warehouse.WarehouseOptions { DatabasePath = host.DatabasePath });
        }
        else
        {
            File.WriteAllText(host.DatabasePath, "customer_id,name\n1,Li\n");
        }
        try
        {
            var refused = await Assert.ThrowsAsync<InvalidOperationException>(host.InitializeAsync);
            Assert.Contains("exited", refused.Message);
            Assert.Contains(says, refused.Message);
            Assert.Contains(host.DatabasePath, refused.Message);
            Assert.DoesNotContain("Unhandled exception", refused.Message);
            Assert.DoesNotContain("   at ", refused.Message);
        }
        finally
        {
            holder?.Dispose();
            await host.DisposeAsync();
        }
    }

    [Fact]
    public void The_launch_profile_runs_the_demo_in_production_and_leaves_the_address_to_urls()
    {
        var file = Path.Combine(PortalHost.RepositoryRoot, "src", "RetentionAnalytics.Portal", "Properties", "launchSettings.json");
        using var settings = JsonDocument.Parse(File.ReadAllText(file));

        var profiles = settings.RootElement.GetProperty("profiles").EnumerateObject().ToList();
        Assert.NotEmpty(profiles);
        Assert.All(profiles, p =>
        {
            Assert.Equal("Production", p.Value.GetProperty("environmentVariables").GetProperty("ASPNETCORE_ENVIRONMENT").GetString());
            Assert.False(p.Value.TryGetProperty("applicationUrl", out _), "a fixed applicationUrl would override ASPNETCORE_URLS");
        });
    }

    /// <summary>The README's command exactly (built once by the test run), on a port chosen by ASPNETCORE_URLS.</summary>
    [Fact]
    public async Task The_readme_command_runs_in_production_on_the_port_ASPNETCORE_URLS_names()
    {
        var folder = Directory.CreateTempSubdirectory("ra-readme-").FullName;
        var port = FreePort();
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            WorkingDirectory = PortalHost.RepositoryRoot,
        };
        foreach (var arg in new[] { "run", "--project", "src/RetentionAnalytics.Portal", "--no-build", "-c", configuration })
        {
            info.ArgumentList.Add(arg);
        }
        info.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        info.Environment["RA_DB"] = Path.Combine(folder, "w.duckdb");
        info.Environment["Etl__SeedFolder"] = Path.Combine(folder, "no-seed");
        info.Environment["Etl__Inbox"] = Path.Combine(folder, "inbox");
        info.Environment["Logs__Folder"] = Path.Combine(folder, "logs");
        info.Environment.Remove("ASPNETCORE_ENVIRONMENT");
        info.Environment.Remove("DOTNET_ENVIRONMENT");
        var output = new List<string>();
        using var process = Process.Start(info)!;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (output) { output.Add(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (output) { output.Add(e.Data); } } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(10) };
            var clock = Stopwatch.StartNew();
            HttpResponseMessage? health = null;
            while (health is null && clock.Elapsed < TimeSpan.FromMinutes(2) && !process.HasExited)
            {
                try
                {
                    health = await http.GetAsync("healthz");
                }
                catch (HttpRequestException)
                {
                    await Task.Delay(500);
                }
            }
            string Log() { lock (output) { return string.Join('\n', output); } }
            Assert.True(health is { StatusCode: HttpStatusCode.OK }, Log());
            Assert.Contains("Hosting environment: Production", Log());

            // an unbindable request is a bare 400 and an error shows no exception text, as in any environment
            using var bad = await http.GetAsync("culture/set?culture=%00&redirectUri=//evil.example");
            Assert.DoesNotContain("Exception", await bad.Content.ReadAsStringAsync());
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
