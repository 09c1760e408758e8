using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Playwright;

namespace RetentionAnalytics.Tests.PageWalk;

/// <summary>What one look at a page state finds, read in the browser in a single script.</summary>
public sealed record ProbeResult(
    [property: JsonPropertyName("errorUi")] bool ErrorUi,
    [property: JsonPropertyName("overflow")] string[] Overflow,
    [property: JsonPropertyName("truncated")] string[] Truncated,
    [property: JsonPropertyName("texts")] string[] Texts,
    [property: JsonPropertyName("path")] string Path);

/// <summary>The browser-side checks of the page walk, and waiting for a page to be ready without fixed sleeps.</summary>
public static class PageProbe
{
    /// <summary>
    /// The Blazor error bar shown; the page scrolling sideways (the document or the layout's body); grid cells and
    /// headers whose number, date or heading is cut off (ellipsis) — text that is shortened on purpose (names, notes)
    /// is left alone; and every visible text, one string per text node, for the language check (without what the page
    /// marks translate="no": names of people and other data shown as entered).
    /// </summary>
    private const string Script = """
        () => {
            const visible = el => !!el && !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length)
                && getComputedStyle(el).visibility !== 'hidden';
            const errorUi = document.getElementById('blazor-error-ui');
            const result = { errorUi: !!errorUi && getComputedStyle(errorUi).display !== 'none', overflow: [], truncated: [], texts: [],
                path: location.pathname + location.search };
            const doc = document.documentElement;
            if (doc.scrollWidth > doc.clientWidth + 1) {
                result.overflow.push(`document ${doc.scrollWidth} px wide in a ${doc.clientWidth} px window`);
            }
            const body = document.querySelector('.rz-body');
            if (body && body.scrollWidth > body.clientWidth + 1) {
                // name what sticks out furthest to the right
                let widest = null, right = 0;
                for (const el of body.querySelectorAll('*')) {
                    const r = el.getBoundingClientRect();
                    if (r.right > right && visible(el) && !el.closest('.rz-data-grid-data, .rz-datatable-scrollable-body, [style*="overflow"]')) { right = r.right; widest = el; }
                }
                const name = widest ? (widest.id ? '#' + widest.id : widest.tagName.toLowerCase() + (widest.className && typeof widest.className === 'string' ? '.' + widest.className.trim().split(/\s+/).slice(0, 2).join('.') : '')) : '?';
                result.overflow.push(`page body ${body.scrollWidth} px wide in ${body.clientWidth} px (widest: ${name})`);
            }
            // a number, amount, rate, date, month or id: short and with a digit (free text with figures may be shortened)
            const looksLikeValue = t => /\d/.test(t) && t.split(/\s+/).length <= 3 && t.length <= 32;
            for (const cell of document.querySelectorAll('table th, table td')) {
                if (!visible(cell)) continue;
                for (const el of [cell, ...cell.querySelectorAll('span, a, div')]) {
                    const text = (el.innerText || '').trim();
                    if (!text || el.clientWidth === 0) continue;
                    if (el.scrollWidth > el.clientWidth + 1 && (cell.tagName === 'TH' || looksLikeValue(text))) {
                        result.truncated.push(`${cell.tagName === 'TH' ? 'header' : 'cell'} "${text.slice(0, 40)}" needs ${el.scrollWidth} px, has ${el.clientWidth}`);
                        break;
                    }
                }
            }
            const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
            while (walker.nextNode()) {
                const node = walker.currentNode, text = node.textContent.replace(/\s+/g, ' ').trim();
                const el = node.parentElement;
                if (!text || !el || el.closest('script, style, #blazor-error-ui, #language-switch, #signed-in-user, [translate=no]')) continue;
                if (visible(el)) result.texts.push(text);
            }
            for (const el of document.querySelectorAll('input[placeholder], textarea[placeholder]')) {
                if (visible(el)) result.texts.push(el.placeholder.trim());
            }
            result.truncated = [...new Set(result.truncated)];
            return result;
        }
        """;

    public static async Task<ProbeResult> LookAsync(IPage page) =>
        (await page.EvaluateAsync<System.Text.Json.JsonElement>(Script)).Deserialize<ProbeResult>()!;

    /// <summary>
    /// Ready: the circuit renders (the layout's data-interactive), no Radzen busy indicator is shown, and the page has
    /// not changed for <paramref name="quietMs"/> (its data arrived). Gives up after <paramref name="timeoutMs"/>.
    /// </summary>
    public static async Task<bool> SettleAsync(IPage page, int quietMs = 350, int timeoutMs = 15_000)
    {
        try
        {
            await page.WaitForSelectorAsync("[data-interactive=true]", new() { Timeout = timeoutMs, State = WaitForSelectorState.Attached });
        }
        catch (TimeoutException)
        {
            return false;
        }
        return await page.EvaluateAsync<bool>("""
            ([quietMs, timeoutMs]) => new Promise(resolve => {
                const started = Date.now();
                let last = Date.now();
                const observer = new MutationObserver(() => { last = Date.now(); });
                observer.observe(document.body, { subtree: true, childList: true, characterData: true });
                const busy = () => [...document.querySelectorAll('.rz-progressbar-circular, .rz-progressbar, .rz-busy, [aria-busy=true]')]
                    .some(el => el.offsetWidth || el.offsetHeight);
                const tick = () => {
                    const now = Date.now();
                    if (now - last >= quietMs && !busy()) { observer.disconnect(); resolve(true); return; }
                    if (now - started > timeoutMs) { observer.disconnect(); resolve(false); return; }
                    setTimeout(tick, 50);
                };
                tick();
            })
            """, new[] { quietMs, timeoutMs });
    }

    /// <summary>
    /// A full-page screenshot of a Radzen layout, whose body (not the document) scrolls: the layout is let grow to its
    /// content's height for the picture (not its width: min-width 0 keeps grids scrolling inside as on screen), then put
    /// back.
    /// </summary>
    public static async Task ScreenshotAsync(IPage page, string path)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        await page.EvaluateAsync("""
            () => {
                const style = document.createElement('style');
                style.id = 'walk-full-page';
                style.textContent = '.rz-layout, .rz-body { height: auto !important; max-height: none !important; overflow: visible !important; min-width: 0 !important; }';
                document.head.appendChild(style);
            }
            """);
        try
        {
            await page.ScreenshotAsync(new() { Path = path, FullPage = true, Animations = ScreenshotAnimations.Disabled });
        }
        finally
        {
            await page.EvaluateAsync("() => document.getElementById('walk-full-page')?.remove()");
        }
    }
}
