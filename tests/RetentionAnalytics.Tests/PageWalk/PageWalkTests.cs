using System.Diagnostics;
using System.Net;
using Microsoft.Playwright;
using RetentionAnalytics.Tests.Support;
using Xunit.Abstractions;
using Cookie = Microsoft.Playwright.Cookie;

namespace RetentionAnalytics.Tests.PageWalk;

/// <summary>
/// The portal as the README's first start makes it: the sample province seeded as a demo, with its past campaigns.
/// RA_PAGE_WALK_PORTAL=http://127.0.0.1:PORT/ walks a portal started by hand instead (seeded the same way).
/// </summary>
public sealed class PageWalkPortal : IAsyncLifetime
{
    private readonly PortalHost? _host = Environment.GetEnvironmentVariable("RA_PAGE_WALK_PORTAL") is { Length: > 0 } ? null : new() { DemoHistory = true };

    public Uri BaseAddress => _host?.BaseAddress ?? new Uri(Environment.GetEnvironmentVariable("RA_PAGE_WALK_PORTAL")!);

    public Task InitializeAsync() => _host?.InitializeAsync() ?? Task.CompletedTask;
    public Task DisposeAsync() => _host?.DisposeAsync() ?? Task.CompletedTask;
}

/// <summary>Runs alone after the parallel tests: the walk keeps both cores busy with several browser contexts.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class PageWalkCollection : ICollectionFixture<PageWalkPortal>
{
    public const string Name = "page-walk";
}

/// <summary>
/// Every page of every role's menu in English, German and Chinese at 1280 and 1440 px, with the interactions each page
/// offers, in Debian's chromium. Fails on the Blazor error bar, an HTTP 5xx, an uncaught browser or console error,
/// a page that scrolls sideways, numbers or headings cut off in a grid, a text left in English on a German or Chinese
/// page, and a page or interaction that cannot be reached. Full-page screenshots of every page state are kept under
/// the test's output folder, page-walk/&lt;role&gt;/&lt;lang&gt;-&lt;width&gt;/&lt;page&gt;.png, with findings.md beside them.
/// </summary>
/// <remarks>
/// RA_PAGE_WALK_OUT: another output folder. RA_PAGE_WALK_PARALLEL: browser contexts at once (3). RA_PAGE_WALK_FULL=1:
/// every report for every role (by default the analyst opens every report and the others their first).
/// RA_PAGE_WALK_DOCS=1: copies the README's screenshots to docs/screenshots/ after the walk. RA_PAGE_WALK_ROLES and
/// RA_PAGE_WALK_LANGUAGES (comma-separated) walk only some roles or languages.
/// </remarks>
[Collection(PageWalkCollection.Name)]
public sealed class PageWalkTests(PageWalkPortal fixture, ITestOutputHelper output)
{
    public static readonly string[] Languages = ["en", "de", "zh"];
    public static readonly int[] Widths = [1280, 1440];

    /// <summary>The screenshots a newcomer sees in the README: (account, page state, file name in docs/screenshots).</summary>
    public static readonly (string Role, string Shot, string Name)[] ReadmeShots =
    [
        ("leader", "en-1440/overview.png", "kpi-overview.png"),
        ("analyst", "en-1440/reports-churn_score_bands--show.png", "report-with-chart.png"),
        ("analyst", "en-1440/analysis-cubes--run.png", "cube.png"),
        ("agent", "en-1440/my-tasks-task.png", "agent-task.png"),
        ("supervisor", "en-1440/call-lists--campaign.png", "supervisor-desk.png"),
    ];

    private Uri Portal => fixture.BaseAddress;

    [Fact]
    public async Task Every_page_of_every_role_in_three_languages_at_two_widths_works_and_reads_in_its_language()
    {
        var clock = Stopwatch.StartNew();
        var folder = Environment.GetEnvironmentVariable("RA_PAGE_WALK_OUT") is { Length: > 0 } o ? o : Path.Combine(AppContext.BaseDirectory, "page-walk");
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
        // RA_PAGE_WALK_ROLES=analyst,agent and RA_PAGE_WALK_LANGUAGES=de walk a part (while fixing a page)
        var roles = PortalSignIn.AccountOfRole.Where(r => Only("RA_PAGE_WALK_ROLES", r.Key)).ToDictionary();
        var languages = Languages.Where(l => Only("RA_PAGE_WALK_LANGUAGES", l)).ToArray();
        var recorder = new WalkRecorder(folder, roles.ToDictionary(r => r.Value, r => r.Key));
        var options = new WalkOptions(Widths, Environment.GetEnvironmentVariable("RA_PAGE_WALK_FULL") == "1");
        var parallel = int.TryParse(Environment.GetEnvironmentVariable("RA_PAGE_WALK_PARALLEL"), out var p) && p > 0 ? p : 3;
        PageInteractions.HangzhouSubscriber = HangzhouSubscriber();
        LanguageCheck.DataNames = LanguageCheck.SampleDataNames(PortalHost.RepositoryRoot);

        var sessions = new Dictionary<string, IReadOnlyList<Cookie>>();
        foreach (var account in roles.Values)
        {
            sessions[account] = await SessionAsync(account);
        }
        var (playwright, browser) = await Browser.LaunchAsync();
        try
        {
            using var gate = new SemaphoreSlim(parallel);
            // the longest walks first, so the last context to start is a short one
            var walks = roles.OrderByDescending(r => r.Key is "analyst" or "administrator" ? 1 : 0)
                .SelectMany(r => languages.Select(language => (Role: r.Key, Account: r.Value, Language: language)))
                .Select(async w =>
                {
                    await gate.WaitAsync();
                    try
                    {
                        await new PageWalker(browser, Portal, w.Role, w.Account, w.Language, recorder, options).WalkAsync(sessions[w.Account]);
                    }
                    finally
                    {
                        gate.Release();
                    }
                });
            await Task.WhenAll(walks);
        }
        finally
        {
            await browser.DisposeAsync();
            playwright.Dispose();
        }
        recorder.CheckLanguages(at => File.Exists(recorder.ScreenshotPath(at)) ? recorder.ScreenshotPath(at) : null);

        var report = recorder.Report();
        var summary = string.Join('\n', recorder.Findings.GroupBy(f => f.Cause).OrderBy(g => g.Key).Select(g => $"  {g.Key}: {g.Count()} at {g.Select(f => f.At.Page).Distinct().Count()} page(s)"));
        await File.WriteAllLinesAsync(Path.Combine(folder, "trace.log"), recorder.TraceLines.Order(StringComparer.Ordinal));
        await File.WriteAllTextAsync(Path.Combine(folder, "findings.md"),
            $"# Page walk findings\n\n{recorder.Findings.Count} finding(s); screenshots under {folder}\n\n{summary}\n\n{report}");
        output.WriteLine($"page walk: {recorder.Screenshots.Count} screenshots in {folder}, {recorder.Findings.Count} finding(s) in {clock.Elapsed.TotalSeconds:N0} s ({parallel} contexts at once)");
        foreach (var c in recorder.Contexts.OrderByDescending(c => c.Took))
        {
            output.WriteLine($"  {c.Context}: {c.Checkpoints} looks in {c.Took.TotalSeconds:N0} s");
        }
        output.WriteLine($"findings: {Path.Combine(folder, "findings.md")}\n{summary}\n\n{report}");
        if (Environment.GetEnvironmentVariable("RA_PAGE_WALK_DOCS") == "1")
        {
            CopyReadmeShots(folder);
        }

        Assert.True(recorder.Findings.Count == 0,
            $"The page walk found {recorder.Findings.Count} problem(s) (screenshots and findings.md in {folder}):\n{summary}\n\n{WalkRecorder.Clip(report, 20_000)}");
    }

    private static bool Only(string variable, string value) =>
        Environment.GetEnvironmentVariable(variable) is not { Length: > 0 } list || list.Split(',').Contains(value);

    /// <summary>Signs the account in over HTTP once; its session cookie is shared by the account's three language contexts.</summary>
    private async Task<IReadOnlyList<Cookie>> SessionAsync(string account)
    {
        var cookies = new CookieContainer();
        using var http = PortalSignIn.NewClient(Portal, cookies: cookies);
        using var response = await PortalSignIn.PostSignInAsync(http, account, PortalSignIn.DemoPassword);
        Assert.True(response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location?.ToString().Contains("error=") != true,
            $"sign-in as {account} refused: {(int)response.StatusCode} {response.Headers.Location}");
        return cookies.GetCookies(Portal)
            .Where(c => c.Name != ".AspNetCore.Culture")
            .Select(c => new Cookie { Name = c.Name, Value = c.Value, Url = Portal.ToString() })
            .ToList();
    }

    /// <summary>An active Hangzhou (571) line of the newest subscription snapshot of the sample.</summary>
    private static string HangzhouSubscriber()
    {
        var file = Directory.GetFiles(Path.Combine(PortalHost.RepositoryRoot, "data-samples", "province"), "subscription_*.csv").Max()!;
        return File.ReadLines(file).Skip(1).Select(l => l.Split(',')).First(f => f[9] == "571" && f[6] == "A" && f[14].Length == 0)[0];
    }

    private void CopyReadmeShots(string folder)
    {
        var target = Path.Combine(PortalHost.RepositoryRoot, "docs", "screenshots");
        Directory.CreateDirectory(target);
        foreach (var (role, shot, name) in ReadmeShots)
        {
            var source = Path.Combine(folder, role, shot);
            if (File.Exists(source))
            {
                File.Copy(source, Path.Combine(target, name), overwrite: true);
                output.WriteLine($"README screenshot: {Path.Combine(target, name)}");
            }
            else
            {
                output.WriteLine($"README screenshot missing: {source}");
            }
        }
    }
}
