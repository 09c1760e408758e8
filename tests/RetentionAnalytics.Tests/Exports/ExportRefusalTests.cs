using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using RetentionAnalytics.Core.Cubes;
using RetentionAnalytics.Portal.Features.Cubes;
using RetentionAnalytics.Tests.Portal;
using RetentionAnalytics.Tests.Support;

namespace RetentionAnalytics.Tests.Exports;

/// <summary>
/// A download link the export refuses, over real HTTP: a browser (Accept: text/html) gets a small page in the reader's
/// language (the culture cookie) with a link back to the screen, an API client the problem details; 400 either way,
/// never a 500.
/// </summary>
[Collection(PortalCollection.Name)]
public sealed class ExportRefusalTests(PortalHost portal)
{
    private const string Browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

    /// <summary>The account signed in, reading <paramref name="culture"/> (its own client: the shared ones keep English).</summary>
    private async Task<HttpClient> Reader(string account, string culture)
    {
        var cookies = new CookieContainer();
        using (var signIn = PortalSignIn.NewClient(portal.BaseAddress, cookies: cookies))
        {
            using var response = await PortalSignIn.PostSignInAsync(signIn, account, PortalSignIn.DemoPassword);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        }
        cookies.Add(portal.BaseAddress, new Cookie(".AspNetCore.Culture", $"c={culture}|uic={culture}"));
        return PortalSignIn.NewClient(portal.BaseAddress, cookies: cookies);
    }

    private static async Task<(HttpStatusCode Status, string? Type, string Body)> Get(HttpClient http, string path, string? accept)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (accept is not null)
        {
            request.Headers.Accept.ParseAdd(accept);
        }
        using var response = await http.SendAsync(request);
        return (response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsStringAsync());
    }

    private static string State(string json) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    [Fact]
    public async Task A_report_link_with_a_reversed_period_shows_a_browser_the_reason_in_german_and_gives_an_api_client_problem_details()
    {
        using var german = await Reader("leader", "de");
        const string path = "api/reports/kpi_overview/export?from_month=latest&to_month=latest-2&format=xlsx";

        var page = await Get(german, path, Browser);
        Assert.Equal((HttpStatusCode.BadRequest, "text/html"), (page.Status, page.Type));
        Assert.Contains("<html lang=\"de\">", page.Body);
        Assert.Contains("Die Datei kann nicht exportiert werden", page.Body);
        Assert.Contains("„Bis Monat“ darf nicht vor „Von Monat“ liegen.", WebUtility.HtmlDecode(page.Body));
        Assert.Contains("href=\"/reports/kpi_overview\"", page.Body);
        Assert.Contains("Zurück zum Bericht „Bindungskennzahlen nach Stadt und Monat“", WebUtility.HtmlDecode(page.Body));
        Assert.DoesNotContain("must not be before", page.Body);

        foreach (var accept in new[] { "application/json", null })
        {
            var api = await Get(german, path, accept);
            Assert.Equal((HttpStatusCode.BadRequest, "application/problem+json"), (api.Status, api.Type));
            using var problem = JsonDocument.Parse(api.Body);
            Assert.Contains("must not be before", problem.RootElement.GetProperty("detail").GetString());
        }
    }

    [Fact]
    public async Task A_report_link_with_a_decimal_the_report_cannot_read_names_the_parameter_in_the_readers_language()
    {
        using var chinese = await Reader("leader", "zh-Hans");
        var page = await Get(chinese, "api/reports/balance_risk/export?small_balance=7,5&format=csv", Browser);

        Assert.Equal((HttpStatusCode.BadRequest, "text/html"), (page.Status, page.Type));
        var text = WebUtility.HtmlDecode(page.Body);
        Assert.Contains("<html lang=\"zh-Hans\">", text);
        Assert.Contains("无法导出文件", text);
        Assert.Contains("“小余额阈值”：“7,5”不是", text);
        Assert.Contains("href=\"/reports/balance_risk\"", text);
    }

    public static TheoryData<string, string> DamagedStates => new()
    {
        { "cut off", State(CubeViews.Serialize(Valid))[..30] + "%%" },
        { "truncated base64", State(CubeViews.Serialize(Valid))[..41] },
        { "base64 of bytes that are no text", Convert.ToBase64String([0xFF, 0xFE, 0x00, 0x81, 0xC3, 0x28, 0x9F]) },
        { "base64 of garbage text", State("this is no request at all") },
        { "JSON null", State("null") },
        { "an empty object", State("{}") },
        { "a null among the measures", State("""{"cube":"subscriber_month","rows":[],"columns":[],"measures":[null]}""") },
        { "an unknown cube", State(CubeViews.Serialize(Valid with { Cube = "no_such_cube" })) },
        { "an unknown measure", State(CubeViews.Serialize(Valid with { Measures = ["nonsense"] })) },
        { "an unknown level", State(CubeViews.Serialize(Valid with { Rows = [new AxisLevel("region", "galaxy")] })) },
        { "JSON nested deeper than the reader allows", State(new string('[', 5000)) },
        { "a huge state", new string('A', 7000) },
    };

    private static readonly PivotRequest Valid = new("subscriber_month", [new AxisLevel("region", "city")], [], ["churned"]);

    [Theory]
    [MemberData(nameof(DamagedStates))]
    public async Task A_cube_link_with_a_damaged_state_says_so_to_a_browser_in_its_language_and_gives_an_api_client_problem_details(
        string damage, string state)
    {
        using var german = await Reader("analyst", "de");
        var path = $"api/cubes/export?format=xlsx&state={state}";

        var page = await Get(german, path, Browser);
        Assert.True(page.Status == HttpStatusCode.BadRequest && page.Type == "text/html", $"{damage}: {(int)page.Status} {page.Type} {page.Body}");
        var text = WebUtility.HtmlDecode(page.Body);
        Assert.Contains("Dieser Download-Link ist beschädigt oder veraltet. Bitte öffnen Sie die Analyseseite und exportieren Sie erneut.", text);
        Assert.Contains("href=\"/analysis/cubes\"", text);

        var api = await Get(german, path, "application/json");
        Assert.True(api.Status == HttpStatusCode.BadRequest && api.Type == "application/problem+json", $"{damage}: {(int)api.Status} {api.Type} {api.Body}");
    }

    [Fact]
    public async Task A_cube_link_naming_what_the_cube_lacks_also_says_what_in_english_and_a_sound_link_still_downloads()
    {
        using var english = await Reader("analyst", "en");
        var page = await Get(english, $"api/cubes/export?format=csv&state={State(CubeViews.Serialize(Valid with { Measures = ["nonsense"] }))}", Browser);
        Assert.Equal(HttpStatusCode.BadRequest, page.Status);
        var text = WebUtility.HtmlDecode(page.Body);
        Assert.Contains("This download link is damaged or out of date. Please open the analysis page and export again.", text);
        Assert.Contains("This cube has no measure “nonsense”", text);

        using var sound = new HttpRequestMessage(HttpMethod.Get, $"api/cubes/export?format=csv&state={CubeState.Encode(Valid)}");
        sound.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/html"));
        using var file = await english.SendAsync(sound);
        Assert.Equal(HttpStatusCode.OK, file.StatusCode);
        Assert.Equal("text/csv", file.Content.Headers.ContentType?.MediaType);
    }
}
