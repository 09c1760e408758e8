using System.Net;
using Microsoft.Playwright;
using RetentionAnalytics.Tests.Support;

namespace RetentionAnalytics.Tests.Portal;

/// <summary>A portal without sample data, outside demo mode, reachable from 127.0.0.1 only, trusting no proxy.</summary>
public sealed class BarePortal : IAsyncLifetime
{
    public PortalHost Host { get; } = new()
    {
        WaitForSeed = false,
        Environment =
        {
            ["Auth__DemoMode"] = "false",
            ["Network__AllowedNetworks__0"] = "127.0.0.1/32",
            ["Auth__CircuitRevalidateSeconds"] = "2",
            ["Sms__Gateway__CallbackToken"] = GatewayToken,
        },
    };

    public const string GatewayToken = "bare-portal-gateway-secret-2026";

    public Task InitializeAsync() => Host.InitializeAsync();

    public Task DisposeAsync() => Host.DisposeAsync();
}

public sealed class BarePortalTests(BarePortal bare) : IClassFixture<BarePortal>
{
    private PortalHost Portal => bare.Host;

    [Fact]
    public async Task An_sms_reply_before_the_first_load_is_accepted_as_from_an_unknown_number()
    {
        using var http = PortalSignIn.NewClient(Portal.BaseAddress);
        using var request = new HttpRequestMessage(HttpMethod.Post, "sms/inbound")
        {
            Content = System.Net.Http.Json.JsonContent.Create(new { from = "13800000000", text = "STOP", messageId = "bare-1" }),
        };
        request.Headers.Add("X-Gateway-Token", BarePortal.GatewayToken);

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Fact]
    public async Task Outside_demo_mode_a_demo_account_must_change_its_password_before_anything_else()
    {
        using var http = await PortalSignIn.SignedInAsync(Portal.BaseAddress, "analyst");

        using var overview = await http.GetAsync("overview");
        Assert.Equal(HttpStatusCode.Redirect, overview.StatusCode);
        Assert.Equal("/account/password", overview.Headers.Location?.OriginalString);
        using var api = await http.GetAsync("api/overview/kpis");
        Assert.Equal(HttpStatusCode.Forbidden, api.StatusCode);

        var token = await PortalSignIn.FormTokenAsync(http, "account/password");
        using var changed = await http.PostAsync("account/password", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["CurrentPassword"] = PortalSignIn.DemoPassword,
            ["NewPassword"] = "a-fresh-secret-2026",
            ["ConfirmPassword"] = "a-fresh-secret-2026",
        }));
        Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);
        Assert.DoesNotContain("error", changed.Headers.Location?.OriginalString);

        using var after = await http.GetAsync("overview");
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        // the documented password no longer works for this account
        using var again = PortalSignIn.NewClient(Portal.BaseAddress);
        using var refused = await PortalSignIn.PostSignInAsync(again, "analyst", PortalSignIn.DemoPassword);
        Assert.Contains("error=SignInInvalid", refused.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task A_page_left_open_ends_when_its_session_is_signed_out_elsewhere()
    {
        const string password = "manager-secret-2026";
        using (var http = await PortalSignIn.SignedInAsync(Portal.BaseAddress, "manager.hz"))
        {
            var token = await PortalSignIn.FormTokenAsync(http, "account/password");
            using var changed = await http.PostAsync("account/password", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = token, ["CurrentPassword"] = PortalSignIn.DemoPassword,
                ["NewPassword"] = password, ["ConfirmPassword"] = password,
            }));
        }
        var (playwright, browser) = await Browser.LaunchAsync();
        try
        {
            var context = await browser.NewContextAsync();
            var open = await context.NewPageAsync();
            open.SetDefaultTimeout(20_000);
            await PortalSignIn.SignInAsync(open, Portal.BaseAddress, "manager.hz", password);
            Assert.Equal("/overview", new Uri(open.Url).AbsolutePath);
            await Assertions.Expect(open.Locator("#sign-out")).ToBeEnabledAsync();

            // a second tab of the same browser signs the session out; the first keeps its live circuit
            var other = await context.NewPageAsync();
            await other.GotoAsync(new Uri(Portal.BaseAddress, "overview").ToString());
            await other.Locator("#sign-out").ClickAsync();

            // the sign-out ends the session's circuits on this node at once: the open page gives up its data and goes
            // to the sign-in page that says it was signed out (the circuit's 30 s check would send it there asking for
            // a sign-in back to /overview). polled, not awaited as one navigation: the circuit's forced reload may
            // abort a first navigation on a busy machine
            var deadline = DateTime.UtcNow.AddSeconds(90);
            while (!open.Url.Contains("/account/signin", StringComparison.Ordinal) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(250);
            }
            Assert.Contains("/account/signin?signedOut=true", open.Url, StringComparison.Ordinal);
            await Assertions.Expect(open.Locator("#signed-out")).ToBeVisibleAsync();
        }
        finally
        {
            await browser.DisposeAsync();
            playwright.Dispose();
        }
    }

    [Fact]
    public async Task A_post_without_the_antiforgery_token_is_refused()
    {
        using var http = PortalSignIn.NewClient(Portal.BaseAddress);

        using var response = await http.PostAsync("account/signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Username"] = "admin",
            ["Password"] = PortalSignIn.DemoPassword,
        }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
    }

    [Fact]
    public async Task An_x_forwarded_for_header_from_an_untrusted_peer_is_ignored()
    {
        using var http = PortalSignIn.NewClient(Portal.BaseAddress);
        using var request = new HttpRequestMessage(HttpMethod.Get, "healthz");
        // outside the allow-list: were it believed, the request would be refused
        request.Headers.Add("X-Forwarded-For", "203.0.113.9");

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Five_wrong_passwords_lock_the_name_for_a_new_browser_even_against_the_right_one()
    {
        var (playwright, browser) = await Browser.LaunchAsync();
        try
        {
            var page = await browser.NewPageAsync();
            page.SetDefaultTimeout(20_000);
            for (var attempt = 1; attempt <= 5; attempt++)
            {
                await PortalSignIn.SignInAsync(page, Portal.BaseAddress, "leader", $"wrong-{attempt}");
                await Assertions.Expect(page.Locator("#signin-error")).ToContainTextAsync("wrong");
            }

            await PortalSignIn.SignInAsync(page, Portal.BaseAddress, "leader", PortalSignIn.DemoPassword);

            Assert.Equal("/account/signin", new Uri(page.Url).AbsolutePath);
            await Assertions.Expect(page.Locator("#signin-error")).ToContainTextAsync("locked");
        }
        finally
        {
            await browser.DisposeAsync();
            playwright.Dispose();
        }
    }

    /// <summary>Issue 13 item 1: the simulator's control answered anyone; outside demo mode it is not there at all.</summary>
    [Fact]
    public async Task Outside_demo_mode_the_gateway_simulator_is_not_there_even_for_an_administrator()
    {
        const string password = "gateway-off-outside-demo-2026";
        using (var first = await PortalSignIn.SignedInAsync(Portal.BaseAddress, "admin"))
        {
            var token = await PortalSignIn.FormTokenAsync(first, "account/password");
            using var changed = await first.PostAsync("account/password", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = token, ["CurrentPassword"] = PortalSignIn.DemoPassword,
                ["NewPassword"] = password, ["ConfirmPassword"] = password,
            }));
            Assert.DoesNotContain("error", changed.Headers.Location?.OriginalString);
        }
        using var admin = await PortalSignIn.SignedInAsync(Portal.BaseAddress, "admin", password);

        using var stats = await admin.GetAsync("sms-gateway/stats");
        using var control = await admin.PostAsync("sms-gateway/control", System.Net.Http.Json.JsonContent.Create(new { failNextRequests = 1 }));

        Assert.Equal(HttpStatusCode.NotFound, stats.StatusCode);
        // no endpoint takes the POST (the pages' catch-all answers GET only)
        Assert.True(control.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed, control.StatusCode.ToString());
    }
}
