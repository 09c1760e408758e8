using Microsoft.Playwright;
using RetentionAnalytics.Tests.Support;

namespace RetentionAnalytics.Tests.Etl;

/// <summary>
/// The portal's inbox uses the configured definitions folder: a contract added there is used after "Reload
/// definitions" on the system page (no rebuild, no restart); a broken one is listed as file:line and changes nothing;
/// a replacement that rejects most of its rows shows as held on the operations page, where the administrator
/// releases or discards it. Real portal process, real inbox, real browser.
/// </summary>
public sealed class EtlPortalTests : IAsyncLifetime
{
    private readonly string _definitions = Directory.CreateTempSubdirectory("ra-portal-defs-").FullName;
    private PortalHost _portal = null!;

    private const string PartnerContract = """
        extract: partner
        file_pattern: '^partner_(?<date>\d{8})(?:_(?<seq>\d+))?\.csv$'
        delimiter: ';'
        null_tokens: ['N/A']
        keys: [customer_id]
        columns:
          - { name: customer_id, source: Kundennr, required: true }
          - { name: contract_kind, source: Vertragsart, map: { Laufzeit: fixed_term, Prepaid: prepaid }, allowed: [fixed_term, prepaid] }
          - { name: revenue, source: Umsatz, type: 'decimal(10,2)', decimal_separator: ',' }
        """;

    private static string Partner(int rows, int bad) =>
        "Kundennr;Vertragsart;Umsatz\n" + string.Concat(Enumerable.Range(1, rows).Select(i => $"K-{i};{(i <= bad ? "Unbekannt" : "Laufzeit")};49,90\n"));

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Path.Combine(_definitions, "etl", "contracts"));
        File.WriteAllText(Path.Combine(_definitions, "etl", "contracts", "partner.yaml"), PartnerContract);
        _portal = new PortalHost
        {
            WaitForSeed = false,
            Environment = { ["Definitions__Folder"] = _definitions },
        };
        await _portal.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await _portal.DisposeAsync();
        Directory.Delete(_definitions, recursive: true);
    }

    private string Screenshots
    {
        get
        {
            var folder = Path.Combine(AppContext.BaseDirectory, "screenshots", "etl");
            Directory.CreateDirectory(folder);
            return folder;
        }
    }

    /// <summary>Drops a delivery the way an ODS does (written aside, then renamed) and waits until the inbox has moved it.</summary>
    private async Task<string> Deliver(string name, string content)
    {
        Directory.CreateDirectory(_portal.Inbox);
        var path = Path.Combine(_portal.Inbox, name);
        // the same name may already lie in rejected/ from an earlier delivery: only a new copy counts
        var earlier = Directory.GetFiles(_portal.Inbox, Path.GetFileNameWithoutExtension(name) + "*", SearchOption.AllDirectories).ToHashSet();
        await File.WriteAllTextAsync(path + ".part", content);
        File.Move(path + ".part", path);
        string? moved = null;
        await _portal.WaitFor(() =>
        {
            moved = Directory.Exists(_portal.Inbox) && !File.Exists(path)
                ? Directory.GetFiles(_portal.Inbox, Path.GetFileNameWithoutExtension(name) + "*.csv", SearchOption.AllDirectories)
                    .Where(f => !earlier.Contains(f)).Select(f => Path.GetRelativePath(_portal.Inbox, f)).FirstOrDefault()
                : null;
            return Task.FromResult(moved is not null);
        }, TimeSpan.FromMinutes(2), $"the inbox to process {name}");
        // the file moves before the run ends (rebuild and checks follow): wait for the run itself
        await _portal.WaitFor(async () => (await _portal.LatestRun())?.Status is not "running", TimeSpan.FromMinutes(2), "the inbox run to end");
        return moved!;
    }

    [Fact]
    public async Task Definitions_reload_from_the_system_page_and_held_replacements_are_decided_on_the_operations_page()
    {
        // the configured folder is read by the inbox from the start
        Assert.StartsWith("archive", await Deliver("partner_20261031.csv", Partner(10, 0)));

        // a contract added while the portal runs is not used until the definitions are reloaded
        File.WriteAllText(Path.Combine(_definitions, "etl", "contracts", "other.yaml"), """
            extract: other
            file_pattern: '^other_(?<date>\d{8})\.csv$'
            columns:
              - { name: id, source: ID, required: true }
            """);
        Assert.StartsWith("rejected", await Deliver("other_20261031.csv", "ID\n1\n2\n"));
        Assert.Contains("no extract contract matches", File.ReadAllText(Path.Combine(_portal.Inbox, "rejected", "other_20261031.csv.reason.txt")));
        // and an operator's report, with its own SQL in the definitions folder
        var shipped = Path.Combine(PortalHost.RepositoryRoot, "reports", "fixed", "agreement_expiry.yaml");
        Directory.CreateDirectory(Path.Combine(_definitions, "reports", "fixed"));
        Directory.CreateDirectory(Path.Combine(_definitions, "sql", "reports"));
        File.WriteAllText(Path.Combine(_definitions, "reports", "fixed", "partner_agreements.yaml"), File.ReadAllText(shipped)
            .Replace("id: agreement_expiry", "id: partner_agreements", StringComparison.Ordinal)
            .Replace("Policy-agreement expiry and renewal", "Partner agreements (operator's report)", StringComparison.Ordinal)
            .Replace("sql: reports/agreement_expiry.sql", "sql: reports/partner_agreements.sql", StringComparison.Ordinal));
        File.Copy(Path.Combine(PortalHost.RepositoryRoot, "sql", "reports", "agreement_expiry.sql"), Path.Combine(_definitions, "sql", "reports", "partner_agreements.sql"));
        using var leader = await PortalSignIn.SignedInAsync(_portal.BaseAddress, "leader", followRedirects: true);
        Assert.DoesNotContain("Partner agreements (operator", await leader.GetStringAsync("reports"));

        var (playwright, browser) = await Browser.LaunchAsync();
        try
        {
            var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
            await PortalSignIn.SignInAsync(page, _portal.BaseAddress, "admin");
            await page.GotoAsync(new Uri(_portal.BaseAddress, "admin").ToString());
            await Assertions.Expect(page.Locator("#definitions")).ToContainTextAsync(_definitions);
            await Assertions.Expect(page.Locator("#reload-definitions")).ToBeEnabledAsync();
            await page.Locator("#reload-definitions").ClickAsync();
            await Assertions.Expect(page.Locator("#definitions-message")).ToContainTextAsync("Definitions reloaded: 24 contracts, 15 reports");

            Assert.StartsWith("archive", await Deliver("other_20261031.csv", "ID\n1\n2\n"));
            Assert.Contains("Partner agreements (operator", await leader.GetStringAsync("reports"));

            // a broken definition: listed with its file and line, nothing changes
            File.WriteAllText(Path.Combine(_definitions, "etl", "contracts", "broken.yaml"), """
                extract: broken
                file_pattern: '^broken_(?<date>\d{8})\.csv$'
                columns:
                  - { name: id, source: ID }
                  - { name: score, expr: 'sum("ID")' }
                """);
            await page.Locator("#reload-definitions").ClickAsync();
            await Assertions.Expect(page.Locator("#definitions-message")).ToContainTextAsync("Nothing was changed: 1 problem(s)");
            await Assertions.Expect(page.Locator("#definition-problems")).ToContainTextAsync("etl/contracts/broken.yaml");
            await Assertions.Expect(page.Locator("#definition-problems")).ToContainTextAsync("column score: function sum is not allowed");
            await Assertions.Expect(page.Locator("#definition-problems td").Nth(1)).ToHaveTextAsync("5");
            await Shoot(page, "admin", "system-definitions-problem");
            File.Delete(Path.Combine(_definitions, "etl", "contracts", "broken.yaml"));

            // a replacement that rejects 8 of its 10 rows is held; the loaded rows stay until someone decides
            Assert.StartsWith("held", await Deliver("partner_20261031_2.csv", Partner(10, 8)));
            Assert.Contains("status: held", File.ReadAllText(Path.Combine(_portal.Inbox, "held", "partner_20261031_2.csv.reason.txt")));
            await page.GotoAsync(new Uri(_portal.BaseAddress, "operations").ToString());
            var held = page.Locator("#held-loads");
            await Assertions.Expect(held).ToContainTextAsync("partner_20261031_2.csv");
            await Assertions.Expect(held).ToContainTextAsync("8 of 10 rows rejected (80.0");
            await Assertions.Expect(page.Locator("#load-history")).ToContainTextAsync("held");
            foreach (var (culture, text) in new[] { ("de", "Zur Prüfung zurückgehaltene"), ("zh-Hans", "待审核的替换交付"), ("en", "Replacements held for review") })
            {
                await page.GotoAsync(new Uri(_portal.BaseAddress, $"culture/set?culture={culture}&redirectUri=/operations").ToString());
                await Assertions.Expect(page.Locator("#held-loads")).ToContainTextAsync(text);
                await Assertions.Expect(page.Locator(".held-release").First).ToBeEnabledAsync();
                await Shoot(page, culture, "operations-held");
                await page.GotoAsync(new Uri(_portal.BaseAddress, "admin").ToString());
                await Assertions.Expect(page.Locator("#reload-definitions")).ToBeEnabledAsync();
                await page.Locator("#reload-definitions").ClickAsync();
                await Assertions.Expect(page.Locator("#definitions-message")).ToBeVisibleAsync();
                await Shoot(page, culture, "system-definitions");
                await page.GotoAsync(new Uri(_portal.BaseAddress, "operations").ToString());
            }

            var before = (await _portal.LatestRun())!.RunId;
            await Assertions.Expect(page.Locator(".held-release").First).ToBeEnabledAsync();
            await page.Locator(".held-release").First.ClickAsync();
            await Assertions.Expect(page.Locator("#held-message")).ToContainTextAsync("released");
            await _portal.WaitFor(async () => await _portal.LatestRun() is { } r && r.RunId > before && r.JobName == "release-held-load" && r.Status == "succeeded",
                TimeSpan.FromMinutes(1), "the release to run");
            await page.ReloadAsync();
            await Assertions.Expect(page.Locator("#held-loads")).ToHaveCountAsync(0);

            // a good correction replaces the released one (80 % rejected: anything up to 85 % would pass); the
            // next broken one is held against the good one and discarded after a confirmation
            Assert.StartsWith("archive", await Deliver("partner_20261031_3.csv", Partner(10, 0)));
            Assert.StartsWith("held", await Deliver("partner_20261031_4.csv", Partner(10, 9)));
            await page.ReloadAsync();
            await Assertions.Expect(page.Locator(".held-discard").First).ToBeEnabledAsync();
            await page.Locator(".held-discard").First.ClickAsync();
            await page.Locator(".held-confirm-discard").ClickAsync();
            await Assertions.Expect(page.Locator("#held-message")).ToContainTextAsync("discarded");
            await page.Locator("#load-history").ScrollIntoViewIfNeededAsync();
            await Assertions.Expect(page.Locator("#load-history")).ToContainTextAsync("discarded");
            await Shoot(page, "en", "operations-after-decisions");
        }
        finally
        {
            await browser.DisposeAsync();
            playwright.Dispose();
        }
    }

    /// <summary>Full-page screenshots at the two widths people use; the files are kept as test output.</summary>
    private async Task Shoot(IPage page, string culture, string name)
    {
        foreach (var width in new[] { 1280, 1440 })
        {
            await page.SetViewportSizeAsync(width, 900);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Screenshots, $"{name}-{culture}-{width}.png"), FullPage = true });
        }
        await page.SetViewportSizeAsync(1280, 900);
    }
}
