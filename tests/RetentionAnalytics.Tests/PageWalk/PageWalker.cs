using System.Diagnostics;
using Microsoft.Playwright;

namespace RetentionAnalytics.Tests.PageWalk;

/// <summary>How much the walk opens beyond the menu.</summary>
public sealed record WalkOptions(int[] Widths, bool EveryReportForEveryRole);

/// <summary>
/// One role in one language, in its own browser context signed in with the role's session: every page of the role's
/// menu, as rendered by the real menu, at each width, with the interactions the page offers; sub-pages reached from
/// them (each report of the catalogue, the agent's task, the customer 360). Moves inside the Blazor circuit by
/// clicking, as a user does, so a page is not reloaded for every look.
/// </summary>
public sealed class PageWalker(IBrowser browser, Uri portal, string role, string account, string language, WalkRecorder recorder, WalkOptions options)
{
    private IPage _page = null!;
    private WalkPoint _at = new(role, account, language, options.Widths[0], "start", "");
    private int _checkpoints;

    // the circuit died (the error bar): what follows on the page are its echoes; the next page starts a new circuit
    private volatile bool _broken;

    private bool WalksEveryReport => options.EveryReportForEveryRole || role == "analyst";

    public async Task WalkAsync(IReadOnlyList<Cookie> session)
    {
        var clock = Stopwatch.StartNew();
        var context = await browser.NewContextAsync(new()
        {
            ViewportSize = new() { Width = options.Widths[0], Height = 900 },
            BaseURL = portal.ToString(),
        });
        try
        {
            await context.AddCookiesAsync(session.Append(CultureCookie()));
            _page = await context.NewPageAsync();
            _page.SetDefaultTimeout(10_000);
            _page.PageError += (_, error) =>
            {
                if (!_broken)
                {
                    recorder.Add(_at, WalkRecorder.PageError, WalkRecorder.Clip(error, 300));
                }
                _broken |= error.Contains("connection is not in the 'Connected' State", StringComparison.Ordinal);
            };
            _page.Console += (_, message) =>
            {
                // "Failed to load resource" names no address: the response handler reports it with the address
                if (message.Type == "error" && !_broken && !message.Text.StartsWith("Failed to load resource", StringComparison.Ordinal))
                {
                    recorder.Add(_at, WalkRecorder.ConsoleError, WalkRecorder.Clip(message.Text, 300));
                }
                _broken |= message.Text.Contains("unhandled exception on the current circuit", StringComparison.Ordinal);
            };
            _page.Response += (_, response) =>
            {
                if (response.Status >= 500)
                {
                    recorder.Add(_at, WalkRecorder.ServerError, $"{response.Status} {response.Request.Method} {new Uri(response.Url).PathAndQuery}");
                }
                else if (response.Status >= 400 && response.Request.ResourceType is not ("document" or "fetch" or "xhr"))
                {
                    recorder.Add(_at, WalkRecorder.ConsoleError, $"failed to load {new Uri(response.Url).AbsolutePath}: {response.Status}");
                }
            };

            await _page.GotoAsync("");
            await PageProbe.SettleAsync(_page);
            var menu = await _page.EvalOnSelectorAllAsync<string[]>("#main-nav a[href]", "links => links.map(a => a.getAttribute('href'))");
            if (menu.Length == 0)
            {
                recorder.Add(_at, WalkRecorder.Unreachable, $"no menu after sign-in (at {_page.Url})");
            }
            foreach (var href in menu.Select(Route).Distinct())
            {
                await VisitMenuPageAsync(href);
            }
        }
        finally
        {
            await context.CloseAsync();
            recorder.Context($"{account} {language}", clock.Elapsed, _checkpoints);
        }
    }

    private async Task VisitMenuPageAsync(string route)
    {
        await VisitAsync(route, () => OpenFromMenuAsync(route), PageInteractions.For(route));
        switch (route)
        {
            case "reports":
                var reports = await _page.EvalOnSelectorAllAsync<string[]>("#report-catalogue a[href^='reports/']", "links => links.map(a => a.getAttribute('href'))");
                foreach (var report in WalksEveryReport ? reports : reports.Take(1))
                {
                    await VisitAsync(report, async () =>
                    {
                        await OpenFromMenuAsync("reports");
                        await OpenLinkAsync($"#report-catalogue a[href='{report}']");
                    }, PageInteractions.For(report));
                }
                break;
            case "my-tasks":
                await VisitAsync("my-tasks/task", async () =>
                {
                    await OpenFromMenuAsync("my-tasks");
                    await OpenLinkAsync("#my-tasks a.task-link, #my-tasks a[href^='my-tasks/']:not([href$='callbacks'])");
                }, []);
                await VisitAsync("my-tasks/callbacks", async () =>
                {
                    await OpenFromMenuAsync("my-tasks");
                    await OpenLinkAsync("#callbacks-link");
                }, []);
                break;
            case "customers" when PageInteractions.HangzhouSubscriber.Length > 0:
                await VisitAsync("customers/360", async () =>
                {
                    await OpenFromMenuAsync("customers");
                    await _page.GotoAsync($"customers/{PageInteractions.HangzhouSubscriber}");
                }, []);
                break;
        }
    }

    /// <summary>
    /// Opens a page and looks at it at every width; runs its interactions (and opens its tabs) at the widest, then
    /// narrows the window again, where charts and grids must survive the resize.
    /// </summary>
    private async Task VisitAsync(string page, Func<Task> open, IReadOnlyList<Interaction> interactions)
    {
        _at = new WalkPoint(role, account, language, options.Widths[0], page, "");
        var clock = Stopwatch.StartNew();
        try
        {
            await ResizeAsync(options.Widths[0]);
            await open();
            recorder.Trace(_at, "open", clock.Elapsed);
        }
        catch (Exception ex) when (ex is PlaywrightException or TimeoutException)
        {
            recorder.Add(_at, WalkRecorder.Unreachable, $"could not open: {WalkRecorder.Clip(ex.Message.Split('\n')[0], 200)}");
            return;
        }
        foreach (var width in options.Widths)
        {
            await ResizeAsync(width);
            await CheckpointAsync(page, "", width, screenshot: true);
        }
        var widest = options.Widths[^1];
        var ran = 0;
        foreach (var interaction in interactions.Concat(await PageInteractions.TabsAsync(_page)))
        {
            if (_broken)
            {
                break;
            }
            _at = _at with { Width = widest, Step = interaction.Name };
            try
            {
                if (!await interaction.Run(_page))
                {
                    continue;
                }
            }
            catch (Exception ex) when (ex is PlaywrightException or TimeoutException)
            {
                recorder.Add(_at, WalkRecorder.Unreachable, $"{interaction.Name} failed: {WalkRecorder.Clip(ex.Message.Split('\n')[0], 200)}",
                    await ShotAsync(_at));
                continue;
            }
            ran++;
            await PageProbe.SettleAsync(_page);
            await CheckpointAsync(page, interaction.Name, widest, screenshot: true);
        }
        if (ran > 0 && !_broken && options.Widths.Length > 1)
        {
            // the state the interactions left, narrowed: a resize must not break what is shown
            await ResizeAsync(options.Widths[0]);
            await CheckpointAsync(page, "resized", options.Widths[0], screenshot: false);
        }
        recorder.Trace(_at with { Step = "" }, $"page with {ran} interaction(s)", clock.Elapsed);
    }

    private async Task CheckpointAsync(string page, string step, int width, bool screenshot)
    {
        _at = new WalkPoint(role, account, language, width, page, step);
        _checkpoints++;
        var clock = Stopwatch.StartNew();
        if (!await PageProbe.SettleAsync(_page))
        {
            recorder.Trace(_at, "did not settle", clock.Elapsed);
        }
        var look = await PageProbe.LookAsync(_page);
        var shot = screenshot ? await ShotAsync(_at) : null;
        recorder.Trace(_at, "look" + (screenshot ? " and screenshot" : ""), clock.Elapsed);
        if (look.ErrorUi)
        {
            recorder.Add(_at, WalkRecorder.BlazorError, $"the error bar is shown (at {look.Path})", shot ?? await ShotAsync(_at));
            _broken = true;
        }
        foreach (var overflow in look.Overflow)
        {
            recorder.Add(_at, WalkRecorder.Overflow, overflow, shot ?? await ShotAsync(_at));
        }
        if (look.Truncated.Length > 0)
        {
            recorder.Add(_at, WalkRecorder.Truncated, $"{look.Truncated.Length} cut off, e.g. {string.Join("; ", look.Truncated.Take(4))}",
                shot ?? await ShotAsync(_at));
        }
        recorder.Text(_at, look.Texts);
    }

    private async Task<string> ShotAsync(WalkPoint at)
    {
        var path = recorder.ScreenshotPath(at);
        if (!File.Exists(path))
        {
            await PageProbe.ScreenshotAsync(_page, path);
            recorder.Screenshot(path);
        }
        return path;
    }

    private async Task ResizeAsync(int width)
    {
        if (_page.ViewportSize?.Width != width)
        {
            await _page.SetViewportSizeAsync(width, 900);
            await PageProbe.SettleAsync(_page, quietMs: 200);
        }
    }

    /// <summary>
    /// Clicks the menu entry (a navigation inside the circuit); a page without the menu, or after the circuit died, is
    /// loaded instead.
    /// </summary>
    private async Task OpenFromMenuAsync(string route)
    {
        var link = _page.Locator($"#main-nav a[href='{route}']");
        if (!_broken && await link.CountAsync() > 0)
        {
            await link.First.ClickAsync();
            await _page.WaitForURLAsync(url => new Uri(url).AbsolutePath.TrimStart('/') == route);
        }
        else
        {
            _broken = false;
            await _page.GotoAsync(route);
        }
        await PageProbe.SettleAsync(_page);
    }

    private async Task OpenLinkAsync(string selector)
    {
        var before = _page.Url;
        await _page.Locator(selector).First.ClickAsync();
        await _page.WaitForURLAsync(url => url != before);
        await PageProbe.SettleAsync(_page);
    }

    private static string Route(string href) => href.TrimStart('/').Split('?')[0];

    private Cookie CultureCookie()
    {
        var culture = language switch { "de" => "de", "zh" => "zh-Hans", _ => "en" };
        return new Cookie
        {
            Name = ".AspNetCore.Culture",
            Value = Uri.EscapeDataString($"c={culture}|uic={culture}"),
            Url = portal.ToString(),
        };
    }
}
