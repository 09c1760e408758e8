using System.Net;
using System.Text.Json;
using RetentionAnalytics.Tests.Support;

namespace RetentionAnalytics.Tests.Portal;

/// <summary>The IP allow-list and forwarded headers on real portals answering on 127.0.0.1.</summary>
public sealed class NetworkTests
{
    private static async Task<PortalHost> Start(params (string Name, string Value)[] settings)
    {
        var host = new PortalHost { WaitForSeed = false, Environment = settings.ToDictionary(s => s.Name, s => s.Value) };
        await host.InitializeAsync();
        return host;
    }

    private static HttpRequestMessage Get(string path, string? forwardedFor = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (forwardedFor is not null)
        {
            request.Headers.Add("X-Forwarded-For", forwardedFor);
        }
        return request;
    }

    [Fact]
    public async Task An_allow_list_without_the_clients_range_refuses_everything_and_an_untrusted_forwarded_address_does_not_help()
    {
        var portal = await Start(("Network__AllowedNetworks__0", "198.51.100.0/24"), ("Network__AllowedNetworks__1", "2001:db8::/32"));
        try
        {
            using var http = PortalSignIn.NewClient(portal.BaseAddress);
            foreach (var path in new[] { "healthz", "account/signin", "overview", "_framework/blazor.web.js" })
            {
                using var response = await http.SendAsync(Get(path));
                Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            }
            using var forwarded = await http.SendAsync(Get("healthz", "198.51.100.7"));
            Assert.Equal(HttpStatusCode.Forbidden, forwarded.StatusCode);
        }
        finally
        {
            await portal.DisposeAsync();
        }
    }

    [Fact]
    public async Task Behind_a_trusted_proxy_the_forwarded_client_address_decides_and_a_refusal_is_audited()
    {
        var portal = await Start(("Network__AllowedNetworks__0", "198.51.100.0/24"), ("Network__TrustedProxies__0", "127.0.0.1"));
        try
        {
            using var http = PortalSignIn.NewClient(portal.BaseAddress);
            using (var direct = await http.SendAsync(Get("healthz")))
            {
                Assert.Equal(HttpStatusCode.Forbidden, direct.StatusCode);
            }
            using (var outside = await http.SendAsync(Get("healthz", "203.0.113.9")))
            {
                Assert.Equal(HttpStatusCode.Forbidden, outside.StatusCode);
            }
            using (var inside = await http.SendAsync(Get("healthz", "198.51.100.7")))
            {
                Assert.Equal(HttpStatusCode.OK, inside.StatusCode);
            }

            // an administrator from inside the range reads the refusals in the audit log, with the client's address
            var token = await FormToken(http);
            using var signIn = new HttpRequestMessage(HttpMethod.Post, "account/signin")
            {
                Content = new FormUrlEncodedContent(new Dictionary<string, string>
                {
                    ["__RequestVerificationToken"] = token, ["Username"] = "admin", ["Password"] = PortalSignIn.DemoPassword, ["ReturnUrl"] = "/",
                }),
            };
            signIn.Headers.Add("X-Forwarded-For", "198.51.100.7");
            using (var signedIn = await http.SendAsync(signIn))
            {
                Assert.DoesNotContain("error", signedIn.Headers.Location?.OriginalString);
            }
            using var audit = await http.SendAsync(Get("api/admin/audit?action=denied", "198.51.100.7"));
            var denials = JsonDocument.Parse(await audit.Content.ReadAsStringAsync()).RootElement.EnumerateArray()
                .Select(e => (e.GetProperty("detail").GetString(), e.GetProperty("clientIp").GetString())).ToList();

            Assert.Contains(("ip_not_allowed", "127.0.0.1"), denials);
            Assert.Contains(("ip_not_allowed", "203.0.113.9"), denials);
        }
        finally
        {
            await portal.DisposeAsync();
        }
    }

    private static async Task<string> FormToken(HttpClient http)
    {
        using var page = await http.SendAsync(Get("account/signin", "198.51.100.7"));
        var html = await page.Content.ReadAsStringAsync();
        var match = System.Text.RegularExpressions.Regex.Match(html, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"");
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }
}
