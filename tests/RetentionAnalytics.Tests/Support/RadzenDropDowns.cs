using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace RetentionAnalytics.Tests.Support;

/// <summary>Choosing in a Radzen dropdown as a person does: open it, click the item.</summary>
public static class RadzenDropDowns
{
    /// <summary>Opens the dropdown and picks the visible item whose text starts with <paramref name="item"/> as a word.</summary>
    public static async Task ChooseAsync(IPage page, string dropdownId, string item)
    {
        await page.Locator($"div#{dropdownId}").ClickAsync();
        await page.Locator(".rz-dropdown-item")
            .Filter(new() { Visible = true, HasTextRegex = new Regex($@"^\s*{Regex.Escape(item)}(\s|$)") })
            .First.ClickAsync();
    }
}
