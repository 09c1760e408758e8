using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Quartz;
using Microsoft.Extensions.Localization;
using RetentionAnalytics.Core.Blacklist;
using RetentionAnalytics.Core.Exports;
using RetentionAnalytics.Core.Regions;
using RetentionAnalytics.Core.Materials;
using RetentionAnalytics.Core.Sms;
using RetentionAnalytics.Portal.Features.Access;
using RetentionAnalytics.Portal.Features.Blacklist;
using RetentionAnalytics.Portal.Features.Shared.Access;
using RetentionAnalytics.Portal.Features.Shared.Exports;

namespace RetentionAnalytics.Portal.Features.Sms;

public static class SmsSetup
{
    /// <summary>
    /// Bulk SMS (pages /sms), the blacklist (/blacklist), imports and the material library (/materials): the Core
    /// services, the HTTP gateway adapter and the Quartz job that dispatches the outbox every Sms:DispatchSeconds.
    /// </summary>
    public static WebApplicationBuilder AddSms(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection("Sms").Get<SmsOptions>() ?? new SmsOptions();
        builder.Services.AddSmsCore(options);
        builder.Services.AddSingleton<SmsQueries>();
        builder.Services.AddHttpClient<ISmsGateway, HttpSmsGateway>(http => http.Timeout = TimeSpan.FromSeconds(options.Gateway.TimeoutSeconds));
        builder.Services.AddQuartz(q =>
        {
            q.AddJob<SmsDispatchJob>(j => j.WithIdentity(SmsDispatchJob.Key));
            q.AddTrigger(t => t
                .ForJob(SmsDispatchJob.Key)
                .WithIdentity("sms-dispatch-trigger")
                .StartAt(DateTimeOffset.Now.AddSeconds(options.DispatchSeconds))
                .WithSimpleSchedule(s => s
                    .WithInterval(TimeSpan.FromSeconds(options.DispatchSeconds))
                    .RepeatForever()
                    .WithMisfireInstruction(SimpleTriggerMisfireInstruction.NextWithRemainingCount)));
        });
        return builder;
    }

    /// <summary>The signed-in user as the SMS services see them: requester (supervisor) or approver (supervisor, administrator).</summary>
    public static SmsActor ToSmsActor(this ICurrentUser user) =>
        new(user.Username ?? "", user.Scope, user.IsInRole(PortalRoles.Supervisor), user.IsInRole(PortalRoles.Administrator));

    /// <summary>
    /// The gateway's callbacks (receipts, inbound replies; header X-Gateway-Token), the history as JSON and its download,
    /// the blacklist download, material downloads, and the simulator under /sms-gateway when Sms:Gateway:Simulator is
    /// true and the portal runs in demo mode (outside it the simulator is not there at all).
    /// </summary>
    public static WebApplication MapSms(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<SmsOptions>();
        if (options.Gateway.Simulator && app.Services.GetRequiredService<AuthOptions>().DemoMode)
        {
            app.MapSmsGatewaySimulator();
            if (string.IsNullOrWhiteSpace(options.Gateway.BaseUrl))
            {
                // the simulator lives in this process: its address is known once the server listens, and only this
                // process knows the credentials it is called with
                if (options.Gateway.Username.Length == 0)
                {
                    options.Gateway.Username = "portal";
                    options.Gateway.Password = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
                }
                app.Lifetime.ApplicationStarted.Register(() => options.Gateway.BaseUrl = OwnAddress(app) + "sms-gateway/");
            }
        }
        else if (options.Gateway.Simulator)
        {
            app.Logger.LogWarning("The SMS gateway simulator answers only in demo mode: set Sms:Gateway:BaseUrl to the gateway");
        }
        app.MapSmsCallbacks();

        app.MapGet("/api/sms/sends", (SmsHistory history, ICurrentUser user) => Results.Ok(history.Sends(user.Scope)))
            .RequireAuthorization(PortalPolicies.Sms);
        app.MapGet("/api/blacklist/export", (string? search, bool? expired, string? format, BlacklistService blacklist, IExporter exporter,
                RegionClock clock, IStringLocalizer<SmsResource> t, ICurrentUser user) =>
            {
                var readAt = ExportDownload.ReadAt(clock);
                var entries = blacklist.Search(search, user.Scope, expired == true);
                return ExportDownload.File(exporter, BlacklistExport.Table(entries, search, expired == true, t).ReadLive(readAt), format, user, "blacklist");
            })
            .RequireAuthorization(PortalPolicies.Blacklist);
        app.MapGet("/api/sms/sends/export", (string? format, SmsHistory history, IExporter exporter, RegionClock clock, IStringLocalizer<SmsResource> t,
                ICurrentUser user) =>
            {
                var readAt = ExportDownload.ReadAt(clock);
                return ExportDownload.File(exporter, SmsHistoryExport.Table(history.Sends(user.Scope), t).ReadLive(readAt), format, user, "sms-history");
            })
            .RequireAuthorization(PortalPolicies.Sms);

        app.MapGet("/materials/{materialId:long}/{version:int}/download", (long materialId, int version, MaterialLibrary library, ICurrentUser user) =>
            user.Username is { } name && library.Download(materialId, version, name, user.Roles) is { } file
                ? Results.File(file.Content, file.Material.ContentType, file.Material.FileName)
                : Results.NotFound())
            .RequireAuthorization(PortalPolicies.Materials);
        return app;
    }

    /// <summary>
    /// Receipts pushed by a gateway and inbound replies; both need the shared callback token (none configured: every
    /// call is refused). An inbound reply is answered 202 with an empty body whether or not the number is a customer's.
    /// </summary>
    public static IEndpointRouteBuilder MapSmsCallbacks(this IEndpointRouteBuilder app)
    {
        app.MapPost("/sms/receipts", (ReceiptsBody body, HttpRequest request, SmsOptions options, SmsDispatcher dispatcher) =>
            TokenOk(request, options) ? Results.Ok(new { applied = dispatcher.Apply(body.Receipts ?? []) }) : Results.Unauthorized())
            .AllowAnonymous().AsMachineCallback();
        app.MapPost("/sms/inbound", (InboundBody body, HttpRequest request, SmsOptions options, SmsInbound inbound) =>
        {
            if (!TokenOk(request, options))
            {
                return Results.Unauthorized();
            }
            if (string.IsNullOrWhiteSpace(body.From))
            {
                return Results.BadRequest();
            }
            inbound.Receive(body.From, body.Text, body.MessageId);
            return Results.Accepted();
        }).AllowAnonymous().AsMachineCallback();
        return app;
    }

    public sealed record ReceiptsBody(List<GatewayReceipt>? Receipts);
    public sealed record InboundBody(string? From, string? Text, string? MessageId);

    private static bool TokenOk(HttpRequest request, SmsOptions options) =>
        options.Gateway.CallbackToken.Length > 0
        && request.Headers.TryGetValue("X-Gateway-Token", out var token)
        && System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
            System.Text.Encoding.UTF8.GetBytes(token.ToString()), System.Text.Encoding.UTF8.GetBytes(options.Gateway.CallbackToken));

    private static string OwnAddress(WebApplication app)
    {
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? "http://127.0.0.1:5000";
        var uri = new UriBuilder(address.Replace("://+", "://127.0.0.1").Replace("://*", "://127.0.0.1").Replace("://[::]", "://127.0.0.1").Replace("://0.0.0.0", "://127.0.0.1"));
        return uri.Uri.ToString().TrimEnd('/') + "/";
    }
}

/// <summary>Dispatches due outbox messages; one run at a time (a run claims each message conditionally anyway).</summary>
[DisallowConcurrentExecution]
public sealed class SmsDispatchJob(SmsDispatcher dispatcher) : IJob
{
    public static readonly JobKey Key = new("sms-dispatch");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) =>
        await dispatcher.RunAsync(cancellationToken);
}
