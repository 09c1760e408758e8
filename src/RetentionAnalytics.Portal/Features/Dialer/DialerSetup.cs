using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using RetentionAnalytics.Core.Audit;
using RetentionAnalytics.Core.Dialer;
using RetentionAnalytics.Core.Exports;
using RetentionAnalytics.Core.Imports;
using RetentionAnalytics.Portal.Features.Access;
using RetentionAnalytics.Portal.Features.Shared.Access;
using RetentionAnalytics.Portal.Features.Shared.Exports;
using RetentionAnalytics.Portal.Features.Telephony;
using RetentionAnalytics.Portal.Features.Workbench;

namespace RetentionAnalytics.Portal.Features.Dialer;

/// <summary>
/// The outbound dialer (docs/workbench.md, Outbound dialer). The dialer, a telephony integration with its key in
/// <c>X-Integration-Key</c> (<c>Telephony:Integrations:&lt;name&gt;</c>), asks for the next records of a campaign and
/// reports each attempt; supervisors hand campaigns over on /call-lists (<see cref="DialerCard"/>) or through the same
/// endpoints as JSON, export the dialer list and import a dialer's results file. Every refusal is 4xx <c>{ error }</c>.
/// </summary>
public static class DialerSetup
{
    public sealed record NextBody(string? Agent, string[]? Agents);
    public sealed record HandoverBody(string? Mode);

    public static WebApplicationBuilder AddDialer(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection("Dialer").Get<DialerOptions>() ?? new DialerOptions();
        builder.Services.AddDialer(options);
        if (builder.Configuration.GetValue("Auth:DemoMode", false) && options.Simulator.Enabled)
        {
            builder.Services.AddHostedService<DialerSimulator>();
        }
        return builder;
    }

    public static WebApplication MapDialer(this WebApplication app)
    {
        var dialer = app.MapGroup("/api/dialer/campaigns/{campaignId:long}");
        dialer.MapPost("/next", async (long campaignId, HttpRequest request, TelephonyOptions keys, OutboundDialer service, AuditLog audit) =>
            await AsDialer(request, keys, audit, async integration =>
            {
                var body = await ReadAsync<NextBody>(request);
                var agents = body.Agents ?? (body.Agent is { } one ? [one] : []);
                return Results.Ok(service.Next(integration, campaignId, agents));
            })).AllowAnonymous().AsMachineCallback();
        dialer.MapPost("/leases/{leaseId:long}/disposition", async (long campaignId, long leaseId, HttpRequest request, TelephonyOptions keys,
                OutboundDialer service, AuditLog audit) =>
            await AsDialer(request, keys, audit, async integration =>
                Results.Ok(service.Report(integration, campaignId, leaseId, await ReadAsync<DispositionInput>(request)))))
            .AllowAnonymous().AsMachineCallback();

        var desk = app.MapGroup("/api/dialer").RequireAuthorization(PortalPolicies.CallLists);
        desk.MapGet("/campaigns", (DialerDesk service, ICurrentUser user) => Results.Ok(service.Progress(user.ToActor())));
        desk.MapPost("/campaigns/{campaignId:long}/handover", async (long campaignId, HttpRequest request, DialerDesk service, ICurrentUser user) =>
            await Refusals(async () => Results.Ok(service.Handover(user.ToActor(), campaignId, (await ReadAsync<HandoverBody>(request)).Mode))));
        desk.MapPost("/campaigns/{campaignId:long}/stop", (long campaignId, DialerDesk service, ICurrentUser user) =>
            Refusals(() =>
            {
                service.Stop(user.ToActor(), campaignId);
                return Task.FromResult(Results.NoContent());
            }));
        desk.MapGet("/campaigns/{campaignId:long}/list", (long campaignId, DialerDesk service, IExporter exporter, ICurrentUser user) =>
            Refusals(() => Task.FromResult(ExportDownload.File(exporter, DialerList.Table(service.List(user.ToActor(), campaignId)),
                ExportFileType.Csv, new ExportAudit(user.Username, $"dialer-list:{campaignId}", user.ClientIp), $"dialer-list-{campaignId}"))));
        desk.MapPost("/campaigns/{campaignId:long}/results", async (long campaignId, HttpRequest request, DialerResultsImport import, ICurrentUser user) =>
            await Refusals(async () =>
            {
                // the importer reads synchronously: the upload is buffered first (at most 20 MB)
                using var buffer = new MemoryStream();
                await request.Body.CopyToAsync(buffer);
                if (buffer.Length > MaxResultsBytes)
                {
                    return Results.Json(new { error = "file_too_large" }, statusCode: StatusCodes.Status413PayloadTooLarge);
                }
                buffer.Position = 0;
                return Results.Ok(import.Import(user.ToActor(), campaignId, buffer, $"dialer-results-{campaignId}.csv"));
            }));
        return app;
    }

    public const long MaxResultsBytes = 20 * 1024 * 1024;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The body as JSON; an empty, malformed or mistyped body is a 400 <c>{ error: "invalid_body" }</c>.</summary>
    private static async Task<T> ReadAsync<T>(HttpRequest request) where T : class
    {
        try
        {
            return await JsonSerializer.DeserializeAsync<T>(request.Body, Json) ?? throw new DialerException(400, "invalid_body", "The body is empty.");
        }
        catch (JsonException)
        {
            throw new DialerException(400, "invalid_body", "The body is not the expected JSON.");
        }
    }

    /// <summary>Runs a dialer request for the integration whose key came with it; a missing or wrong key is 401 and audited.</summary>
    private static async Task<IResult> AsDialer(HttpRequest request, TelephonyOptions keys, AuditLog audit, Func<string, Task<IResult>> work)
    {
        if (keys.IntegrationOf(request.Headers[TelephonySetup.KeyHeader].ToString()) is not { } integration)
        {
            audit.Write(null, OutboundDialer.ServeAction, null, "denied", "bad_integration_key", request.HttpContext.Connection.RemoteIpAddress?.ToString());
            return Results.Json(new { error = "bad_integration_key" }, statusCode: StatusCodes.Status401Unauthorized);
        }
        return await Refusals(() => work(integration));
    }

    private static async Task<IResult> Refusals(Func<Task<IResult>> work)
    {
        try
        {
            return await work();
        }
        catch (DialerException ex)
        {
            return Results.Json(new { error = ex.Code }, statusCode: ex.Status);
        }
        catch (ImportFileException ex)
        {
            return Results.Json(new { error = "invalid_file", detail = ex.Message }, statusCode: StatusCodes.Status400BadRequest);
        }
    }

    /// <summary>The portal's own address on loopback, for the simulator's HTTP calls.</summary>
    public static string OwnAddress(IServer server)
    {
        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "http://127.0.0.1:5000";
        foreach (var any in new[] { "://+", "://*", "://[::]", "://0.0.0.0", "://localhost" })
        {
            address = address.Replace(any, "://127.0.0.1", StringComparison.Ordinal);
        }
        return address.TrimEnd('/') + "/";
    }
}

/// <summary>The dialer list as a file (the documented layout of docs/workbench.md): one row per record, times on the customer's clock.</summary>
public static class DialerList
{
    public static readonly string[] Headers =
        ["task_id", "subscriber_id", "phone", "customer_name", "city_code", "time_zone", "calling_from", "calling_until", "agent", "callback_at", "attempts", "max_attempts"];

    public static ExportTable Table(IReadOnlyList<DialerListRow> rows) => new(
        "", [], null,
        Headers.Select((h, i) => new ExportColumn(h, i is 0 or 10 or 11 ? ColumnFormat.Integer : ColumnFormat.Text)).ToList(),
        rows.Select(r => new ExportRow([
            r.TaskId, r.SubscriberId, r.Number, r.CustomerName, r.CityCode, r.TimeZone, r.CallingFrom, r.CallingUntil, r.Agent,
            r.CallbackAt?.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture), r.Attempts, r.MaxAttempts,
        ])),
        rows.Count);
}
