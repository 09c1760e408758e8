using System.Net;
using System.Text.Json;
using Microsoft.Playwright;
using RetentionAnalytics.Tests.Support;

namespace RetentionAnalytics.Tests.Portal;

[Collection(PortalCollection.Name)]
public sealed class OperationsPortalTests(PortalHost portal)
{
    private static string Sample(string file) => Path.Combine(PortalHost.RepositoryRoot, "data-samples", "province", file);

    private Task<HttpClient> Admin() => AccessMatrixTests.ClientFor(portal, "admin");

    [Fact]
    public async Task The_first_start_loads_the_sample_province_and_the_system_page_counts_its_subscribers()
    {
        var run = await portal.LatestRun();
        Assert.NotNull(run);

        // independent of the warehouse: the delivered October snapshot, less the rows the sample documents as defective
        var delivered = File.ReadLines(Sample("subscription_20261031.csv")).Skip(1).Count(l => l.Length > 0);
        var defective = File.ReadLines(Sample("_truth/defects.csv")).Count(l => l.StartsWith("subscription_20261031.csv,", StringComparison.Ordinal));
        var html = await (await Admin()).GetStringAsync("admin");

        Assert.Contains((delivered - defective).ToString("N0", System.Globalization.CultureInfo.GetCultureInfo("en")), html);
        // the newest business date, written as the portal writes dates in English
        Assert.Contains(new DateOnly(2026, 10, 31).ToString("d", RetentionAnalytics.Portal.Features.Shared.Localization.LocalizationSetup.Culture("en")), html);
    }

    [Fact]
    public async Task The_operations_page_shows_loads_and_runs_the_pipeline_on_request()
    {
        var (playwright, browser) = await Browser.LaunchAsync();
        try
        {
            var page = await browser.NewPageAsync();
            await PortalSignIn.SignInAsync(page, portal.BaseAddress, "admin");
            await page.GotoAsync(new Uri(portal.BaseAddress, "operations").ToString());
            await Assertions.Expect(page.Locator("#load-history")).ToContainTextAsync("vas_order_20261031.csv");
            await Assertions.Expect(page.Locator("#job-runs")).ToContainTextAsync("startup");
            // another test's inbox delivery may still be running: the pipeline never runs twice at once
            await portal.WaitFor(async () => (await portal.LatestRun())?.Status != "running", TimeSpan.FromMinutes(2), "the portal to be idle");
            var before = (await portal.LatestRun())!.RunId;

            await page.Locator("#run-pipeline").ClickAsync();

            await portal.WaitFor(async () => await portal.LatestRun() is { } r && r.RunId > before && r.TriggerKind == "manual" && r.Status == "succeeded",
                TimeSpan.FromMinutes(2), "the manual run to succeed");
            await Assertions.Expect(page.Locator("#job-runs")).ToContainTextAsync("manual", new() { Timeout = 15_000 });
        }
        finally
        {
            await browser.DisposeAsync();
            playwright.Dispose();
        }
    }

    [Fact]
    public async Task A_corrected_delivery_dropped_in_the_inbox_is_loaded_and_archived()
    {
        Directory.CreateDirectory(portal.Inbox);
        // a correction of the October channel list: one more channel
        var lines = File.ReadAllLines(Sample("channel_20261031.csv")).Append("X999,Pop-up store,own_store").ToArray();
        var corrected = Path.Combine(portal.Inbox, "channel_20261031_2.csv");
        await File.WriteAllLinesAsync(corrected + ".tmp", lines);
        File.Move(corrected + ".tmp", corrected);

        await portal.WaitFor(async () =>
        {
            // file names are for administrators: anonymous monitoring gets states, ids and times only
            using var doc = JsonDocument.Parse(await (await Admin()).GetStringAsync("healthz"));
            return doc.RootElement.GetProperty("detail").GetProperty("latestFile").GetString() == "channel_20261031_2.csv" && !File.Exists(corrected);
        }, TimeSpan.FromMinutes(2), "the inbox delivery to be processed");

        Assert.Single(Directory.GetFiles(Path.Combine(portal.Inbox, "archive"), "channel_20261031_2.csv", SearchOption.AllDirectories));
        var operations = await (await Admin()).GetStringAsync("operations");
        Assert.Contains("channel_20261031_2.csv", operations);
    }

    [Fact]
    public async Task A_german_administrator_reads_the_loaders_message_in_german()
    {
        // the September channel list delivered again, byte for byte: the loader records it as a duplicate
        Directory.CreateDirectory(portal.Inbox);
        var again = Path.Combine(portal.Inbox, "channel_20260930.csv");
        File.Copy(Sample("channel_20260930.csv"), again + ".tmp");
        File.Move(again + ".tmp", again);
        await portal.WaitFor(async () =>
        {
            using var doc = JsonDocument.Parse(await (await Admin()).GetStringAsync("healthz"));
            return doc.RootElement.GetProperty("detail").GetProperty("latestFile").GetString() == "channel_20260930.csv" && !File.Exists(again);
        }, TimeSpan.FromMinutes(2), "the inbox delivery to be processed");

        var (playwright, browser) = await Browser.LaunchAsync();
        try
        {
            var page = await browser.NewPageAsync();
            await PortalSignIn.SignInAsync(page, portal.BaseAddress, "admin");
            await page.GotoAsync(new Uri(portal.BaseAddress, "culture/set?culture=de&redirectUri=%2Foperations").ToString());

            var history = page.Locator("#load-history");
            await Assertions.Expect(history).ToContainTextAsync("Duplikat von Lieferung", new() { Timeout = 15_000 });
            await Assertions.Expect(history).ToContainTextAsync("nichts hinzugefügt");
            await Assertions.Expect(history).Not.ToContainTextAsync("identical to load");
            await page.GotoAsync(new Uri(portal.BaseAddress, "culture/set?culture=en&redirectUri=%2Foperations").ToString());
        }
        finally
        {
            await browser.DisposeAsync();
            playwright.Dispose();
        }
    }

    [Theory]
    [InlineData("de", "Betrieb", "Teilnehmer im letzten Monat")]
    [InlineData("zh-Hans", "运维", "最新月份用户数")]
    [InlineData("en", "Operations", "Subscribers in the latest month")]
    public async Task The_portal_speaks_the_chosen_language(string culture, string navOperations, string subscribersLabel)
    {
        using var http = await PortalSignIn.SignedInAsync(portal.BaseAddress, "admin", followRedirects: true);

        var switched = await http.GetAsync($"culture/set?culture={culture}&redirectUri=/admin");
        var html = await switched.Content.ReadAsStringAsync();
        // the switch is also the admin's stored preference: back to English for the other tests' sign-ins
        await http.GetAsync("culture/set?culture=en&redirectUri=/admin");

        Assert.Equal(HttpStatusCode.OK, switched.StatusCode);
        Assert.Contains(navOperations, html);
        Assert.Contains(subscribersLabel, html);
    }

    [Theory]
    [InlineData("de", "Tageslauf", "Datei(en) geladen", "Qualität:")]
    [InlineData("zh-Hans", "每日流水线", "个文件", "质量检查：")]
    public async Task The_operations_page_words_what_each_run_did_in_the_readers_language(string culture, string job, string loaded, string quality)
    {
        await portal.WaitFor(async () => (await portal.LatestRun())?.Status != "running", TimeSpan.FromMinutes(2), "the portal to be idle");
        using var http = await PortalSignIn.SignedInAsync(portal.BaseAddress, "admin", followRedirects: true);

        var switched = await http.GetAsync($"culture/set?culture={culture}&redirectUri=/operations");
        var html = WebUtility.HtmlDecode(await switched.Content.ReadAsStringAsync());
        await http.GetAsync("culture/set?culture=en&redirectUri=/admin");

        Assert.Equal(HttpStatusCode.OK, switched.StatusCode);
        var runs = html[html.IndexOf("id=\"job-runs\"", StringComparison.Ordinal)..];
        Assert.Contains(job, runs);
        Assert.Contains(loaded, runs);
        Assert.Contains(quality, runs);
        // the stored English summary and job name are not what a German or Chinese reader gets
        Assert.DoesNotContain("file(s) loaded", runs);
        Assert.DoesNotContain("daily-pipeline", runs);
    }

    [Fact]
    public async Task No_personal_data_reaches_the_logs()
    {
        // names, numbers and ID numbers of the sample's customers and subscribers, as delivered
        var personal = File.ReadLines(Sample("subscription_20261031.csv")).Skip(1).Take(300)
            .Select(l => l.Split(',')).Where(f => f.Length > 3).SelectMany(f => new[] { f[2], f[3] })
            .Where(v => v.Length >= 11).ToList();
        Assert.NotEmpty(personal);
        var logs = portal.Output + string.Join('\n', Directory.Exists(portal.LogFolder)
            ? Directory.GetFiles(portal.LogFolder, "*", SearchOption.AllDirectories).Select(f =>
            {
                using var s = new FileStream(f, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
                return new StreamReader(s).ReadToEnd();
            })
            : []);

        Assert.True(logs.Length > 0, "the portal wrote no log at all");
        Assert.DoesNotContain(personal, v => logs.Contains(v, StringComparison.Ordinal));
    }
}
