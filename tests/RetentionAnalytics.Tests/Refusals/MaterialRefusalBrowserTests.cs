using Microsoft.Playwright;
using RetentionAnalytics.Tests.Support;

namespace RetentionAnalytics.Tests.Refusals;

/// <summary>The portal on 127.0.0.1:5651 with its demo accounts (no sample data: the material library needs none).</summary>
public sealed class RefusalPortal : IAsyncLifetime
{
    public PortalHost Host { get; } = new() { Port = 5651, WaitForSeed = false };

    public Task InitializeAsync() => Host.InitializeAsync();

    public Task DisposeAsync() => Host.DisposeAsync();
}

/// <summary>
/// In the browser: a supervisor's upload that the material library refuses reads in the language the portal is set
/// to, not in the library's English. With RA_SCREENSHOTS set, each language's refusal is kept as a screenshot.
/// </summary>
public sealed class MaterialRefusalBrowserTests(RefusalPortal portal) : IClassFixture<RefusalPortal>
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
                await Assertions.Expect(page.Locator("#material-file")).ToBeEnabledAsync();
                await page.Locator("#material-file").SetInputFilesAsync(new FilePayload
                {
                    Name = "offer-tool.exe", MimeType = "application/octet-stream", Buffer = [0x4d, 0x5a, 0x90, 0x00],
                });

                var message = page.Locator("#materials-message");
                await Assertions.Expect(message).ToContainTextAsync(refusal);
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
}
