using Microsoft.Playwright;
using RetentionAnalytics.Tests.Support;

namespace RetentionAnalytics.Tests.Refusals;

/// <summary>The portal on 127.0.0.1:5651 with its demo accounts (no sample data: refusing needs none).</summary>
public sealed class RefusalPortal : IAsyncLifetime
{
    public PortalHost Host { get; } = new() { Port = 5651, WaitForSeed = false };

    public Task InitializeAsync() => Host.InitializeAsync();

    public Task DisposeAsync() => Host.DisposeAsync();
}

/// <summary>
/// In the browser: a supervisor's upload that the material library refuses, and an analyst's rule that the custom rules
/// refuse, read in the language the portal is set to, not in the services' English. With RA_SCREENSHOTS set, each
/// language's refusal of the upload is kept as a screenshot.
/// </summary>
public sealed class RefusalBrowserTests(RefusalPortal portal) : IClassFixture<RefusalPortal>
{
    [Fact]
    public async Task A_refused_file_type_reads_in_german_and_in_chinese()
    {
        var (playwright, browser) = await Browser.LaunchAsync();
        try
        {
            var page = await (await browser.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } })).NewPageAsync();
            page.SetDefaultTimeout(30_000);
            await PortalSignIn.SignInAsync(page, portal.Host.BaseAddress, "supervisor.hz");
            foreach (var (culture, refusal, notEnglish) in new[]
                     {
                         ("de", "Dateien vom Typ .exe können nicht hochgeladen werden. Erlaubte Typen: .pdf .docx", true),
                         ("zh-Hans", "不能上传 .exe 类型的文件。允许的类型：.pdf .docx", true),
                         ("en", "Files of type .exe cannot be uploaded. Allowed types: .pdf .docx", false),
                     })
            {
                await page.GotoAsync(new Uri(portal.Host.BaseAddress, $"culture/set?culture={culture}&redirectUri=%2Fmaterials").ToString());
                await Assertions.Expect(page.Locator("#material-file")).ToBeEnabledAsync(new() { Timeout = 30_000 });
                await page.Locator("#material-file").SetInputFilesAsync(new FilePayload
                {
                    Name = "offer-tool.exe", MimeType = "application/octet-stream", Buffer = [0x4d, 0x5a, 0x90, 0x00],
                });

                var message = page.Locator("#materials-message");
                // the file goes to the server over the page's circuit: on a busy machine that takes more than the 5 s default
                await Assertions.Expect(message).ToContainTextAsync(refusal, new() { Timeout = 30_000 });
                if (notEnglish)
                {
                    await Assertions.Expect(message).Not.ToContainTextAsync("not allowed");
                }
                if (Environment.GetEnvironmentVariable("RA_SCREENSHOTS") is { Length: > 0 } folder)
                {
                    Directory.CreateDirectory(folder);
                    await page.ScreenshotAsync(new() { Path = Path.Combine(folder, $"materials-refusal-{culture}.png"), FullPage = true });
                }
            }
        }
        finally
        {
            await browser.DisposeAsync();
            playwright.Dispose();
        }
    }

    [Fact]
    public async Task A_refused_rule_names_the_field_as_the_editor_shows_it_in_chinese()
    {
        var (playwright, browser) = await Browser.LaunchAsync();
        try
        {
            var page = await (await browser.NewContextAsync()).NewPageAsync();
            page.SetDefaultTimeout(30_000);
            await PortalSignIn.SignInAsync(page, portal.Host.BaseAddress, "analyst");
            await page.GotoAsync(new Uri(portal.Host.BaseAddress, "culture/set?culture=zh-Hans&redirectUri=%2Fanalysis%2Frules").ToString());
            await Assertions.Expect(page.Locator("#rule-new")).ToBeEnabledAsync(new() { Timeout = 30_000 });
            await page.Locator("#rule-new").ClickAsync();
            await page.Locator("#rule-name").FillAsync("在网月数检查");
            await page.Locator("#rule-name").PressAsync("Tab");
            await Choose(page, "rule-field-0-0", "在网月数");
            await Choose(page, "rule-operator-0-0", ">");
            await page.Locator("#rule-value-0-0").FillAsync("十二");
            await page.Locator("#rule-value-0-0").PressAsync("Tab");

            await page.Locator("#rule-save").ClickAsync();

            await Assertions.Expect(page.Locator("#rule-problem")).ToContainTextAsync("规则未保存：在网月数 需要整数，而不是 \"十二\"。", new() { Timeout = 30_000 });
        }
        finally
        {
            await browser.DisposeAsync();
            playwright.Dispose();
        }
    }

    private static Task Choose(IPage page, string dropdownId, string item) => RadzenDropDowns.ChooseAsync(page, dropdownId, item);
}
