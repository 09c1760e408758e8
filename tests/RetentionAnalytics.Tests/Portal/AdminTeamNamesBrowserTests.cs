using Microsoft.Playwright;
using RetentionAnalytics.Tests.Support;

namespace RetentionAnalytics.Tests.Portal;

/// <summary>
/// An administrator reads teams by their names in each language, on the teams page and in the user form: a team's id
/// (T571-RET) is at most a small hint beside its name, with its city's name where the page speaks of cities.
/// </summary>
[Collection(PortalCollection.Name)]
public sealed class AdminTeamNamesBrowserTests(PortalHost portal)
{
    private string Url(string path) => new Uri(portal.BaseAddress, path).ToString();

    [Theory]
    [InlineData("en", "Hangzhou", "Quzhou", "Portal")]
    [InlineData("de", "Hangzhou", "Quzhou", "Portal")]
    [InlineData("zh-Hans", "杭州", "衢州", "门户")]
    public async Task Teams_read_by_their_names_with_their_city_and_id_as_a_hint(string culture, string hangzhou, string quzhou, string localSource)
    {
        var (playwright, browser) = await Browser.LaunchAsync();
        try
        {
            var page = await (await browser.NewContextAsync()).NewPageAsync();
            page.SetDefaultTimeout(30_000);
            await PortalSignIn.SignInAsync(page, portal.BaseAddress, "admin");

            try
            {
                await page.GotoAsync(Url($"culture/set?culture={culture}&redirectUri=%2Fadmin%2Fteams"));
                var teams = page.Locator("#teams-grid");
                var team = teams.Locator("tbody tr").Filter(new() { HasText = "Hangzhou retention" });
                await Assertions.Expect(team).ToHaveCountAsync(1);
                // no cell of the teams holds an id alone: the id is the hint beside the name
                await Assertions.Expect(teams.Locator("td", new() { HasTextRegex = new System.Text.RegularExpressions.Regex(@"^\s*T\d{3}-(RET|AM)\s*$") })).ToHaveCountAsync(0);
                await Assertions.Expect(team.Locator(".ra-team")).ToHaveTextAsync("Hangzhou retention");
                await Assertions.Expect(team.Locator(".ra-team-hint")).ToHaveTextAsync("T571-RET");
                // an agent's team with its city, named in the reader's language (the first agents: Quzhou's account managers)
                var agent = page.Locator("#agents-grid tbody tr").First;
                await Assertions.Expect(agent.Locator(".ra-team")).ToHaveTextAsync("Quzhou account managers");
                await Assertions.Expect(agent.Locator(".ra-team-hint")).ToHaveTextAsync(quzhou);

                await page.GotoAsync(Url("admin/users"));
                var user = page.Locator("#users-grid tbody tr").Filter(new() { HasText = "agent.hz1" });
                await Assertions.Expect(user).ToContainTextAsync("Hangzhou retention");
                // where an account comes from, in words: "local" is the store's code
                await Assertions.Expect(user).ToContainTextAsync(localSource);
                await Assertions.Expect(user.Locator("td", new() { HasTextRegex = new System.Text.RegularExpressions.Regex(@"^\s*local\s*$") })).ToHaveCountAsync(0);
                await Assertions.Expect(user).Not.ToContainTextAsync("T571-RET");
                // a row opens the form once the page is interactive
                await Assertions.Expect(page.Locator("#new-user")).ToBeEnabledAsync();
                await user.ClickAsync();
                await Assertions.Expect(page.Locator("#user-form")).ToBeVisibleAsync();
                await Assertions.Expect(page.Locator("div#user-team")).ToContainTextAsync("Hangzhou retention");
                await page.Locator("div#user-team").ClickAsync();
                var choice = page.Locator(".rz-dropdown-item").Filter(new() { HasText = "Hangzhou retention" });
                await Assertions.Expect(choice).ToHaveCountAsync(1);
                await Assertions.Expect(choice.Locator(".ra-team-hint")).ToHaveTextAsync($"{hangzhou} · T571-RET");
            }
            finally
            {
                // the language chosen is the administrator's stored preference: back to English for other tests' sign-ins
                await page.GotoAsync(Url("culture/set?culture=en&redirectUri=%2F"));
            }
        }
        finally
        {
            await browser.DisposeAsync();
            playwright.Dispose();
        }
    }
}
