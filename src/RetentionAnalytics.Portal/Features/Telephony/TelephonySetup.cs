using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using RetentionAnalytics.Core.Audit;
using RetentionAnalytics.Core.Telephony;
using RetentionAnalytics.Portal.Features.Access;
using RetentionAnalytics.Portal.Features.Shared.Access;

namespace RetentionAnalytics.Portal.Features.Telephony;

/// <summary>The telephony integrations (section <c>Telephony</c>): name → key, as a deployment configures them.</summary>
public sealed class TelephonyOptions
{
    /// <summary>Integration name → its key (at least 24 characters; no key is ever configured by default).</summary>
    public Dictionary<string, string> Integrations { get; init; } = [];

    /// <summary>The name the demo's simulator calls under; its key is made at start and known to this process only.</summary>
    public const string Simulator = "simulator";

    public const int MinKeyLength = 24;

    /// <summary>The integration whose key this is, compared in constant time over every configured key; null when none.</summary>
    public string? IntegrationOf(string? presented)
    {
        var given = SHA256.HashData(Encoding.UTF8.GetBytes(presented ?? ""));
        string? found = null;
        foreach (var (name, key) in Integrations)
        {
            // every key is compared (no early exit), each as a fixed-length hash
            if (CryptographicOperations.FixedTimeEquals(given, SHA256.HashData(Encoding.UTF8.GetBytes(key))) && presented is { Length: > 0 })
            {
                found = name;
            }
        }
        return found;
    }
}

/// <summary>
/// Inbound calls from a telephony integration (CTI): <c>POST /api/cti/calls</c> with the integration's key in
/// <c>X-Integration-Key</c> and <c>{ agent, number, callId }</c>; the agent's open portal shows the screen pop
/// (<see cref="ScreenPopPanel"/>). In demo mode a simulator rings agents: <c>POST /cti-simulator/ring</c>
/// <c>{ agent, number }</c>, signed-in administrators only, through the same endpoint over HTTP.
/// </summary>
public static class TelephonySetup
{
    public const string KeyHeader = "X-Integration-Key";

    public sealed record CallBody(string? Agent, string? Number, string? CallId);
    public sealed record RingBody(string? Agent, string? Number);

    public static WebApplicationBuilder AddTelephony(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection("Telephony").Get<TelephonyOptions>() ?? new TelephonyOptions();
        var demo = builder.Configuration.GetValue("Auth:DemoMode", false);
        foreach (var (name, key) in options.Integrations)
        {
            if (key.Length < TelephonyOptions.MinKeyLength || DemoSecrets.Known.Contains(key, StringComparer.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException(
                    $"Telephony:Integrations:{name} is shorter than {TelephonyOptions.MinKeyLength} characters or a published value: set a secret key of your own.");
            }
        }
        if (demo)
        {
            options.Integrations[TelephonyOptions.Simulator] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        }
        builder.Services.AddSingleton(options);
        Core.Telephony.TelephonyServices.AddTelephony(builder.Services);
        return builder;
    }

    public static WebApplication MapTelephony(this WebApplication app)
    {
        app.MapPost("/api/cti/calls", (CallBody body, HttpRequest request, TelephonyOptions options, InboundCalls calls, AuditLog audit) =>
        {
            if (options.IntegrationOf(request.Headers[KeyHeader].ToString()) is not { } integration)
            {
                audit.Write(null, InboundCalls.AnnounceAction, null, "denied", "bad_integration_key", request.HttpContext.Connection.RemoteIpAddress?.ToString());
                return Results.Unauthorized();
            }
            if (string.IsNullOrWhiteSpace(body.Agent) || string.IsNullOrWhiteSpace(body.Number))
            {
                return Results.BadRequest(new { error = "agent_and_number_required" });
            }
            try
            {
                return Results.Ok(new { callId = calls.Announce(integration, body.Agent.Trim().ToLowerInvariant(), body.Number, body.CallId) });
            }
            catch (InboundCallException ex)
            {
                return ex.Code == "unknown_agent" ? Results.NotFound(new { error = ex.Code }) : Results.BadRequest(new { error = ex.Code });
            }
        }).AllowAnonymous().AsMachineCallback();

        if (app.Services.GetRequiredService<AuthOptions>().DemoMode)
        {
            app.MapPost("/cti-simulator/ring", async (RingBody body, TelephonyOptions options, IHttpClientFactory http) =>
            {
                // the simulator plays the switch: it calls the portal's own CTI endpoint over HTTP with its key
                using var client = http.CreateClient();
                using var request = new HttpRequestMessage(HttpMethod.Post, OwnAddress(app) + "api/cti/calls")
                {
                    Content = JsonContent.Create(new CallBody(body.Agent, body.Number, $"sim-{Guid.NewGuid():N}")),
                };
                request.Headers.Add(KeyHeader, options.Integrations[TelephonyOptions.Simulator]);
                using var response = await client.SendAsync(request);
                return Results.Content(await response.Content.ReadAsStringAsync(), "application/json", statusCode: (int)response.StatusCode);
            }).RequireAuthorization(PortalPolicies.Administration);
        }
        return app;
    }

    private static string OwnAddress(WebApplication app)
    {
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? "http://127.0.0.1:5000";
        var uri = new UriBuilder(address.Replace("://+", "://127.0.0.1").Replace("://*", "://127.0.0.1").Replace("://[::]", "://127.0.0.1").Replace("://0.0.0.0", "://127.0.0.1"));
        return uri.Uri.ToString().TrimEnd('/') + "/";
    }
}
