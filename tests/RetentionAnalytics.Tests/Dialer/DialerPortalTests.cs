using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Playwright;
using RetentionAnalytics.Tests.Support;

namespace RetentionAnalytics.Tests.Dialer;

/// <summary>
/// The real portal on 127.0.0.1:5321 with the sample province: calling hours around the time the tests run (on
/// Hangzhou's clock, the portal on UTC), a dialer integration key, and the demo's dialer simulator every second.
/// </summary>
public sealed class DialerPortal : IAsyncLifetime
{
    public static readonly string Key = Convert.ToHexString(Guid.NewGuid().ToByteArray()) + "dialer";

    private static readonly DateTime HangzhouNow =
        TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai")).DateTime;

    public PortalHost Host { get; } = new()
    {
        Port = 5321,
        Environment =
        {
            ["TZ"] = "UTC",
            ["Region__TimeZone"] = "Asia/Shanghai",
            ["Workbench__CallingFrom"] = TimeOnly.FromDateTime(HangzhouNow.AddHours(-2)).ToString("HH:mm:ss", CultureInfo.InvariantCulture),
            ["Workbench__CallingUntil"] = TimeOnly.FromDateTime(HangzhouNow.AddHours(3)).ToString("HH:mm:ss", CultureInfo.InvariantCulture),
            ["Telephony__Integrations__dialer"] = Key,
            ["Dialer__Simulator__IntervalSeconds"] = "1",
        },
    };

    /// <summary>The sample's campaigns with Hangzhou tasks (id and title), from the agents' queues, by id.</summary>
    public List<(long Id, string Name)> Campaigns { get; } = [];

    public async Task InitializeAsync()
    {
        await Host.InitializeAsync();
        foreach (var agent in new[] { "agent.hz1", "agent.hz2" })
        {
            using var client = await PortalSignIn.SignedInAsync(Host.BaseAddress, agent);
            using var queue = JsonDocument.Parse(await client.GetStringAsync("api/my-tasks?limit=500"));
            Campaigns.AddRange(queue.RootElement.EnumerateArray().Select(t => (t.GetProperty("campaignId").GetInt64(), t.GetProperty("campaignName").GetString() ?? "")));
        }
        var distinct = Campaigns.DistinctBy(c => c.Id).OrderBy(c => c.Id).ToList();
        Campaigns.Clear();
        Campaigns.AddRange(distinct);
    }

    public Task DisposeAsync() => Host.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class DialerPortalCollection : ICollectionFixture<DialerPortal>
{
    public const string Name = "dialer-portal";
}

/// <summary>
/// The dialer over real HTTP: 8 dialer clients in parallel never get the same task; dispositions become outcomes on
/// the task; errors are 4xx <c>{ error }</c>; the dialer list and a results file round-trip; in Debian's chromium the
/// supervisor hands a campaign to the dialer on /call-lists and sees the simulator's progress.
/// </summary>
[Collection(DialerPortalCollection.Name)]
public sealed class DialerPortalTests(DialerPortal fixture)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private PortalHost Portal => fixture.Host;

    private HttpClient Dialer(string key = "")
    {
        var client = new HttpClient { BaseAddress = Portal.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Add("X-Integration-Key", key.Length > 0 ? key : DialerPortal.Key);
        return client;
    }

    private static async Task<JsonElement> JsonOf(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"{(int)response.StatusCode}: {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    [Fact]
    public async Task Eight_parallel_dialer_clients_never_get_the_same_task_and_dispositions_become_outcomes()
    {
        Assert.True(fixture.Campaigns.Count >= 3, "the sample should have three campaigns with Hangzhou tasks");
        var campaign = fixture.Campaigns[0].Id;
        using var supervisor = await PortalSignIn.SignedInAsync(Portal.BaseAddress, "supervisor.hz");
        await JsonOf(await supervisor.PostAsJsonAsync($"api/dialer/campaigns/{campaign}/handover", new { mode = "preview" }), HttpStatusCode.OK);

        var served = await Task.WhenAll(Enumerable.Range(0, 8).Select(async i =>
        {
            using var client = Dialer();
            var mine = new List<(long Lease, long Task, string Agent)>();
            while (true)
            {
                var agent = i % 2 == 0 ? "agent.hz1" : "agent.hz2";
                var batch = await JsonOf(await client.PostAsJsonAsync($"api/dialer/campaigns/{campaign}/next", new { agent }), HttpStatusCode.OK);
                var records = batch.GetProperty("records").EnumerateArray().ToList();
                if (records.Count == 0)
                {
                    return mine;
                }
                mine.AddRange(records.Select(r => (r.GetProperty("leaseId").GetInt64(), r.GetProperty("taskId").GetInt64(), r.GetProperty("agent").GetString()!)));
            }
        }));
        var all = served.SelectMany(s => s).ToList();
        Assert.True(all.Count >= 5, $"only {all.Count} records were served");
        Assert.Equal(all.Count, all.Select(r => r.Task).Distinct().Count());
        Console.WriteLine($"8 parallel dialer clients: {all.Count} records served, {all.Select(r => r.Task).Distinct().Count()} distinct tasks");

        // dispositions: answered with a result, busy (a retry), voicemail; a repeated report is not applied twice
        using var dialer = Dialer();
        async Task<JsonElement> Report(int i, object body, HttpStatusCode expected = HttpStatusCode.OK) =>
            await JsonOf(await dialer.PostAsJsonAsync($"api/dialer/campaigns/{campaign}/leases/{all[i].Lease}/disposition", body, Json), expected);
        var answered = await Report(0, new { disposition = "answered", agent = all[0].Agent, result = "retained", callId = "p-1" });
        Assert.Equal("done", answered.GetProperty("status").GetString());
        await Report(1, new { disposition = "busy", callId = "p-2" });
        await Report(2, new { disposition = "voicemail", callId = "p-3" });
        var again = await Report(0, new { disposition = "busy", callId = "p-9" });
        Assert.True(again.GetProperty("repeated").GetBoolean());
        Assert.Equal(answered.GetProperty("attemptId").GetInt64(), again.GetProperty("attemptId").GetInt64());

        // the tasks as the workbench reads them
        async Task<(string Status, int Attempts, string? AssignedTo)> Head(long task)
        {
            var head = await JsonOf(await supervisor.GetAsync($"api/my-tasks/{task}/head"), HttpStatusCode.OK);
            return (head.GetProperty("status").GetString()!, head.GetProperty("attempts").GetInt32(), head.GetProperty("assignedTo").GetString());
        }
        Assert.Equal(("done", 1, all[0].Agent), await Head(all[0].Task));
        Assert.Equal(("assigned", 1, all[1].Agent), await Head(all[1].Task));
        var progress = (await JsonOf(await supervisor.GetAsync("api/dialer/campaigns"), HttpStatusCode.OK)).EnumerateArray()
            .Single(p => p.GetProperty("campaignId").GetInt64() == campaign);
        Assert.Equal((3, 2, 1), (progress.GetProperty("dialled").GetInt32(), progress.GetProperty("connected").GetInt32(), progress.GetProperty("reached").GetInt32()));

        // refusals are 4xx { error }, never 500
        Assert.Equal("bad_integration_key", (await JsonOf(await Dialer("wrong-key-wrong-key-wrong-key").PostAsJsonAsync(
            $"api/dialer/campaigns/{campaign}/next", new { agent = "agent.hz1" }), HttpStatusCode.Unauthorized)).GetProperty("error").GetString());
        Assert.Equal("invalid_body", (await JsonOf(await dialer.PostAsync($"api/dialer/campaigns/{campaign}/next",
            new StringContent("{\"agent\": [", Encoding.UTF8, "application/json")), HttpStatusCode.BadRequest)).GetProperty("error").GetString());
        Assert.Equal("unknown_lease", (await JsonOf(await dialer.PostAsJsonAsync($"api/dialer/campaigns/{campaign}/leases/99999999/disposition",
            new { disposition = "busy" }), HttpStatusCode.NotFound)).GetProperty("error").GetString());
        Assert.Equal("result_required", (await Report(3, new { disposition = "answered" }, HttpStatusCode.UnprocessableEntity)).GetProperty("error").GetString());
        Assert.Equal("not_handed_over", (await JsonOf(await dialer.PostAsJsonAsync($"api/dialer/campaigns/{fixture.Campaigns[1].Id}/next",
            new { agent = "agent.hz1" }), HttpStatusCode.NotFound)).GetProperty("error").GetString());
        Assert.Equal("unknown_campaign", (await JsonOf(await supervisor.PostAsJsonAsync("api/dialer/campaigns/99999999/handover",
            new { mode = "preview" }), HttpStatusCode.NotFound)).GetProperty("error").GetString());
        using var agentClient = await PortalSignIn.SignedInAsync(Portal.BaseAddress, "agent.hz1");
        using var forbidden = await agentClient.GetAsync("api/dialer/campaigns");
        Assert.True(forbidden.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Redirect or HttpStatusCode.NotFound, $"{forbidden.StatusCode}");
    }

    [Fact]
    public async Task The_dialer_list_downloads_as_csv_and_its_results_import_once()
    {
        var campaign = fixture.Campaigns[1].Id;
        using var supervisor = await PortalSignIn.SignedInAsync(Portal.BaseAddress, "supervisor.hz");
        using var download = await supervisor.GetAsync($"api/dialer/campaigns/{campaign}/list");
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("text/csv", download.Content.Headers.ContentType?.MediaType);
        var lines = (await download.Content.ReadAsStringAsync()).TrimStart('\uFEFF').Split(["\r\n", "\n"], StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("\"task_id\",\"subscriber_id\",\"phone\",\"customer_name\",\"city_code\"", lines[0]);
        Assert.True(lines.Length >= 3, "the list should hold records");
        Assert.All(lines.Skip(1), l => Assert.Contains(",\"571\",", l));

        var tasks = lines.Skip(1).Take(2).Select(l => long.Parse(l.Split(',')[0], CultureInfo.InvariantCulture)).ToList();
        var results = $"task_id,call_id,disposition,agent,result\n{tasks[0]},f-1,answered,agent.hz1,will_consider\n{tasks[1]},f-2,no_answer,agent.hz2,\n0,f-3,busy,agent.hz1,\n";
        async Task<JsonElement> Import() => await JsonOf(await supervisor.PostAsync($"api/dialer/campaigns/{campaign}/results",
            new StringContent(results, Encoding.UTF8, "text/csv")), HttpStatusCode.OK);
        var first = await Import();
        Assert.Equal((3, 2, 1), (first.GetProperty("rowsIn").GetInt32(), first.GetProperty("accepted").GetInt32(), first.GetProperty("rejected").GetInt32()));
        var second = await Import();
        Assert.Equal((3, 0, 3), (second.GetProperty("rowsIn").GetInt32(), second.GetProperty("accepted").GetInt32(), second.GetProperty("rejected").GetInt32()));
        var head = await JsonOf(await supervisor.GetAsync($"api/my-tasks/{tasks[0]}/head"), HttpStatusCode.OK);
        Assert.Equal(("done", 1), (head.GetProperty("status").GetString(), head.GetProperty("attempts").GetInt32()));
        // a file without the required columns imports nothing and says why
        Assert.Equal("invalid_file", (await JsonOf(await supervisor.PostAsync($"api/dialer/campaigns/{campaign}/results",
            new StringContent("task_id\n1\n", Encoding.UTF8, "text/csv")), HttpStatusCode.BadRequest)).GetProperty("error").GetString());
    }

    [Fact]
    public async Task The_supervisor_hands_a_campaign_to_the_dialer_and_sees_the_simulator_work_it()
    {
        var (campaign, name) = fixture.Campaigns[2];
        var (playwright, browser) = await Browser.LaunchAsync();
        try
        {
            var page = await (await browser.NewContextAsync(new() { ViewportSize = new() { Width = 1366, Height = 768 } })).NewPageAsync();
            page.SetDefaultTimeout(20_000);
            await PortalSignIn.SignInAsync(page, Portal.BaseAddress, "supervisor.hz");
            await page.GotoAsync(new Uri(Portal.BaseAddress, "culture/set?culture=en&redirectUri=%2Fcall-lists").ToString());
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);

            await page.Locator("#campaigns td").GetByText(name, new() { Exact = true }).First.ClickAsync();
            await Assertions.Expect(page.Locator("#dialer-actions")).ToContainTextAsync(name);
            await page.Locator("#dialer-handover").ClickAsync();
            await Assertions.Expect(page.Locator("#dialer-message")).ToBeVisibleAsync();
            var row = page.Locator($"#dialer-progress tr[data-campaign='{campaign}']");
            await Assertions.Expect(row).ToBeVisibleAsync();
            var remainingAtStart = int.Parse(await row.Locator("[data-count=remaining]").InnerTextAsync(), NumberStyles.AllowThousands, CultureInfo.InvariantCulture);

            // the simulator dials every second; the card reads the counts every two: dialled rises without a reload
            await Assertions.Expect(row.Locator("[data-count=dialled]")).Not.ToHaveTextAsync("0", new() { Timeout = 30_000 });
            await page.WaitForTimeoutAsync(4_000);
            var dialled = int.Parse(await row.Locator("[data-count=dialled]").InnerTextAsync(), NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
            var remaining = int.Parse(await row.Locator("[data-count=remaining]").InnerTextAsync(), NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
            Assert.True(dialled > 0 && remaining <= remainingAtStart, $"dialled {dialled}, remaining {remainingAtStart} → {remaining}");

            await page.Locator("#dialer-stop").ClickAsync();
            await Assertions.Expect(row).ToContainTextAsync("stopped");

            if (Environment.GetEnvironmentVariable("RA_SCREENSHOTS") is { Length: > 0 } folder)
            {
                // the campaign's title is in the reader's language: the row is found by its place in English
                var rows = await page.Locator("#campaigns tbody tr").AllInnerTextsAsync();
                var rowIndex = rows.ToList().FindIndex(r => r.Contains(name, StringComparison.Ordinal));
                Directory.CreateDirectory(folder);
                foreach (var culture in new[] { "en", "de", "zh-Hans" })
                {
                    await page.GotoAsync(new Uri(Portal.BaseAddress, $"culture/set?culture={culture}&redirectUri=%2Fcall-lists").ToString());
                    await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
                    await page.Locator("#campaigns tbody tr").Nth(rowIndex).Locator("td").First.ClickAsync();
                    await Assertions.Expect(page.Locator("#dialer-actions")).ToBeVisibleAsync();
                    await page.Locator("#dialer-card").ScrollIntoViewIfNeededAsync();
                    await page.ScreenshotAsync(new() { Path = Path.Combine(folder, $"dialer-{culture}-1366.png") });
                }
                await page.GotoAsync(new Uri(Portal.BaseAddress, "culture/set?culture=en&redirectUri=%2Fcall-lists").ToString());
            }
        }
        finally
        {
            await browser.DisposeAsync();
            playwright.Dispose();
        }
    }
}
