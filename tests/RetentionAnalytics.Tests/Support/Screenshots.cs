using Microsoft.Playwright;

namespace RetentionAnalytics.Tests.Support;

/// <summary>
/// Full-page screenshots of a page in English, German and Chinese at 1280 and 1440 px, into the folder named by
/// RA_SCREENSHOTS (nothing when it is not set): for people to look at what a change did to a page.
/// </summary>
public static class Screenshots
{
    public static async Task TakeAsync(IPage page, PortalHost portal, string path, string name)
    {
        if (Environment.GetEnvironmentVariable("RA_SCREENSHOTS") is not { Length: > 0 } folder)
        {
            return;
        }
        Directory.CreateDirectory(folder);
        try
        {
            foreach (var culture in new[] { "en", "de", "zh-Hans" })
            {
                await page.GotoAsync(new Uri(portal.BaseAddress, $"culture/set?culture={culture}&redirectUri=/{path}").ToString());
                foreach (var width in new[] { 1280, 1440 })
                {
                    await page.SetViewportSizeAsync(width, 900);
                    await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
                    await page.ScreenshotAsync(new() { Path = Path.Combine(folder, $"{name}-{culture}-{width}.png"), FullPage = true });
                }
            }
        }
        finally
        {
            await page.GotoAsync(new Uri(portal.BaseAddress, $"culture/set?culture=en&redirectUri=/{path}").ToString());
        }
    }
}
