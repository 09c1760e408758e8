using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using RetentionAnalytics.Tests.Support;

namespace RetentionAnalytics.Tests.Portal;

/// <summary>
/// The probes of issue 13 against the shared portal (sample province, demo mode, plain HTTP on 127.0.0.1, no trusted
/// proxy), each a request that used to succeed where it must not: error detail, health internals, body-less state
/// changes without a token, an open gateway simulator, a published callback token, late subscription checks, headers.
/// </summary>
[Collection(PortalCollection.Name)]
public sealed class SecurityProbeTests(PortalHost portal)
{
    private HttpClient Anonymous() => PortalSignIn.NewClient(portal.BaseAddress);

    [Theory]
    [InlineData("account/signin")]
    [InlineData("healthz")]
    [InlineData("favicon.svg")]
    [InlineData("api/overview/kpis")]
    [InlineData("status/404")]
    public async Task Every_response_carries_the_security_headers_and_no_server_name(string path)
    {
        using var http = Anonymous();
        using var response = await http.GetAsync(path);

        var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        foreach (var directive in new[] { "default-src 'self'", "object-src 'none'", "base-uri 'self'", "frame-ancestors 'self'", "form-action 'self'" })
        {
            Assert.Contains(directive, csp);
        }
        Assert.Matches("script-src 'self' 'nonce-[A-Za-z0-9+/=]{20,}'", csp);
        Assert.DoesNotContain("unsafe-eval", csp);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("same-origin", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
        Assert.Contains("camera=()", Assert.Single(response.Headers.GetValues("Permissions-Policy")));
        // plain HTTP, and a forwarded proto from a proxy nobody configured is not believed: no HSTS
        Assert.False(response.Headers.Contains("Strict-Transport-Security"));
        Assert.False(response.Headers.Contains("Server"));
    }

    [Fact]
    public async Task A_forwarded_https_from_an_untrusted_proxy_gets_neither_hsts_nor_secure_cookies()
    {
        using var http = Anonymous();
        using var request = new HttpRequestMessage(HttpMethod.Get, "account/signin");
        request.Headers.Add("X-Forwarded-Proto", "https");
        using var response = await http.SendAsync(request);

        Assert.False(response.Headers.Contains("Strict-Transport-Security"));
        Assert.All(response.Headers.GetValues("Set-Cookie"), c => Assert.DoesNotContain("secure", c, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Health_tells_anonymous_callers_states_ids_and_times_only_and_administrators_the_details()
    {
        using var http = Anonymous();
        var text = await http.GetStringAsync("healthz");
        using var doc = JsonDocument.Parse(text);

        Assert.Equal(["status", "role", "node", "latestLoad", "latestRun"], doc.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal("ok", doc.RootElement.GetProperty("status").GetString());
        // one process: always the writer, and no node name (that is the machine's name)
        Assert.Equal("writer", doc.RootElement.GetProperty("role").GetString());
        Assert.Equal(JsonValueKind.Null, doc.RootElement.GetProperty("node").ValueKind);
        Assert.Equal(["runId", "jobName", "triggerKind", "status", "startedAt", "finishedAt", "progressPct", "stage"],
            doc.RootElement.GetProperty("latestRun").EnumerateObject().Select(p => p.Name));
        Assert.DoesNotContain(portal.DatabasePath, text);
        Assert.DoesNotContain(Environment.MachineName, text);
        Assert.DoesNotContain(".csv", text);

        var admin = await AccessMatrixTests.ClientFor(portal, "admin");
        using var detailed = JsonDocument.Parse(await admin.GetStringAsync("healthz"));
        Assert.Equal(portal.DatabasePath, detailed.RootElement.GetProperty("detail").GetProperty("database").GetString());
    }

    [Fact]
    public async Task A_request_that_cannot_be_bound_is_a_bare_400_without_a_stack_trace()
    {
        var supervisor = await AccessMatrixTests.ClientFor(portal, "supervisor.hz");
        using var response = await supervisor.GetAsync("api/blacklist/export?expired=not-a-boolean");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain("Exception", body);
        Assert.DoesNotContain("   at ", body);
        Assert.DoesNotContain("expired", body);
    }

    [Theory]
    [InlineData("POST", "api/inbox/subscriptions/999999/pause")]
    [InlineData("POST", "api/inbox/subscriptions/999999/resume")]
    [InlineData("DELETE", "api/inbox/subscriptions/999999")]
    public async Task A_body_less_state_change_needs_the_sessions_antiforgery_token(string method, string path)
    {
        // a page on another site can make the browser send the session cookie, never the token
        using var http = await PortalSignIn.SignedInAsync(portal.BaseAddress, "analyst");
        var token = http.DefaultRequestHeaders.GetValues("RequestVerificationToken").Single();
        http.DefaultRequestHeaders.Remove("RequestVerificationToken");

        using var forged = await http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);

        using var withToken = new HttpRequestMessage(new HttpMethod(method), path);
        withToken.Headers.Add("RequestVerificationToken", token);
        using var accepted = await http.SendAsync(withToken);
        Assert.Equal(HttpStatusCode.NotFound, accepted.StatusCode);

        // another user's token does not do either
        var other = await AccessMatrixTests.ClientFor(portal, "leader");
        using var foreign = new HttpRequestMessage(new HttpMethod(method), path);
        foreign.Headers.Add("RequestVerificationToken", other.DefaultRequestHeaders.GetValues("RequestVerificationToken").Single());
        using var refused = await http.SendAsync(foreign);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
    }

    [Fact]
    public async Task The_gateway_simulator_is_controlled_only_by_a_signed_in_administrator()
    {
        using var anonymous = Anonymous();
        using (var open = await anonymous.PostAsJsonAsync("sms-gateway/control", new { failNextRequests = 1_000_000 }))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, open.StatusCode);
        }
        using (var stats = await anonymous.GetAsync("sms-gateway/stats"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, stats.StatusCode);
        }
        var supervisor = await AccessMatrixTests.ClientFor(portal, "supervisor.hz");
        using (var refused = await supervisor.PostAsJsonAsync("sms-gateway/control", new { failNextRequests = 1_000_000 }))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }
        var admin = await AccessMatrixTests.ClientFor(portal, "admin");
        using var allowed = await admin.PostAsJsonAsync("sms-gateway/control", new { failNextRequests = 0 });
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        // the gateway's own protocol needs the credentials only this portal process holds
        using var send = new HttpRequestMessage(HttpMethod.Post, "sms-gateway/messages") { Content = JsonContent.Create(new { to = "13800000001", text = "x" }) };
        send.Headers.Add("Idempotency-Key", "probe");
        using var sent = await anonymous.SendAsync(send);
        Assert.Equal(HttpStatusCode.Unauthorized, sent.StatusCode);
    }

    [Fact]
    public async Task The_published_demo_gateway_token_opens_nothing()
    {
        using var http = Anonymous();
        foreach (var path in new[] { "sms/inbound", "sms/receipts" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, path)
            {
                Content = JsonContent.Create(new { from = "13800000001", text = "STOP", messageId = "probe", receipts = Array.Empty<object>() }),
            };
            request.Headers.Add("X-Gateway-Token", "demo-gateway-token");
            using var response = await http.SendAsync(request);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }
    }

    [Fact]
    public async Task A_subscription_for_a_city_outside_the_managers_scope_is_refused_when_made()
    {
        var manager = await AccessMatrixTests.ClientFor(portal, "manager.hz");
        var before = JsonDocument.Parse(await manager.GetStringAsync("api/inbox/subscriptions")).RootElement.GetArrayLength();

        using var response = await manager.PostAsJsonAsync("api/inbox/subscriptions", new
        {
            reportId = "kpi_overview", parameters = new Dictionary<string, string> { ["city"] = "574" },
            kind = RetentionAnalytics.Core.Delivery.ScheduleKind.Daily, time = "06:00", day = 1,
            fileType = RetentionAnalytics.Core.Exports.ExportFileType.Csv, skipIfEmpty = false,
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("ParameterRefused", body.RootElement.GetProperty("reason").GetString());
        Assert.Equal("city", body.RootElement.GetProperty("parameter").GetString());
        Assert.Equal(before, JsonDocument.Parse(await manager.GetStringAsync("api/inbox/subscriptions")).RootElement.GetArrayLength());
    }

    [Fact]
    public async Task The_antiforgery_token_is_handed_out_to_a_session_only()
    {
        using var http = Anonymous();
        using var response = await http.GetAsync("api/antiforgery");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
