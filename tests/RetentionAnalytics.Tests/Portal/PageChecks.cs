using Microsoft.Playwright;
using RetentionAnalytics.Tests.Support;

namespace RetentionAnalytics.Tests.Portal;

/// <summary>
/// What every page must never show a user: Blazor's "An unhandled error has occurred" bar, an uncaught browser error, a
/// console error, or a page wider than the window. Collects the browser's errors from the moment it is attached.
/// </summary>
public sealed class PageChecks
{
    private readonly List<string> _errors = [];

    public PageChecks(IPage page)
    {
        Page = page;
        page.Console += (_, message) =>
        {
            // the portal has no favicon yet (the sign-in pages' item of issue 12); the browser asks for it once
            if (message.Type == "error" && !message.Location.Contains("favicon", StringComparison.Ordinal))
            {
                lock (_errors) { _errors.Add($"console: {message.Text}"); }
            }
        };
        page.PageError += (_, error) => { lock (_errors) { _errors.Add($"page error: {error}"); } };
    }

    public IPage Page { get; }

    /// <summary>Fails with the errors seen since the last call, or when the Blazor error bar is visible.</summary>
    public async Task AssertHealthy(string where)
    {
        var errorBar = await Page.Locator("#blazor-error-ui").IsVisibleAsync();
        string[] errors;
        lock (_errors)
        {
            errors = [.. _errors];
            _errors.Clear();
        }
        Assert.False(errorBar, $"{where}: the Blazor error bar is visible");
        Assert.True(errors.Length == 0, $"{where}:\n{string.Join('\n', errors)}");
    }

    /// <summary>The page scrolls up and down only: grids and pivots scroll sideways inside themselves.</summary>
    public async Task AssertNoSidewaysOverflow(string where)
    {
        var overflow = await Page.EvaluateAsync<int>("""
            () => {
                const body = document.querySelector('.rz-body') ?? document.scrollingElement;
                return Math.max(body.scrollWidth - body.clientWidth, document.scrollingElement.scrollWidth - document.scrollingElement.clientWidth);
            }
            """);
        Assert.True(overflow <= 1, $"{where}: the page is {overflow} px wider than the window");
    }

    /// <summary>
    /// A screenshot of the whole page: the layout scrolls inside its body, so the window grows to the content first.
    /// Kept under <c>RA_SCREENSHOTS</c> or <c>artifacts/screenshots</c> of the repository.
    /// </summary>
    public async Task<string> Screenshot(string folder, string name)
    {
        var root = Environment.GetEnvironmentVariable("RA_SCREENSHOTS") is { Length: > 0 } configured
            ? configured
            : Path.Combine(PortalHost.RepositoryRoot, "artifacts", "screenshots");
        var path = Path.Combine(root, folder, name + ".png");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var size = Page.ViewportSize!;
        var height = await Page.EvaluateAsync<int>("""
            () => {
                const body = document.querySelector('.rz-body');
                const header = document.querySelector('.rz-header');
                return body ? body.scrollHeight + (header ? header.offsetHeight : 0) + 16 : document.scrollingElement.scrollHeight;
            }
            """);
        await Page.SetViewportSizeAsync(size.Width, Math.Clamp(height, size.Height, 16000));
        await Page.WaitForTimeoutAsync(600);
        await Page.ScreenshotAsync(new() { Path = path, FullPage = true });
        await Page.SetViewportSizeAsync(size.Width, size.Height);
        return path;
    }
}
