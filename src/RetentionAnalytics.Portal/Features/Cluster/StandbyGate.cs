using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Localization;
using RetentionAnalytics.Portal.Features.Shared.Access;
using RetentionAnalytics.Portal.Features.Shared.Localization;

namespace RetentionAnalytics.Portal.Features.Cluster;

/// <summary>
/// Several nodes with <c>Cluster:HotStandby</c> (docs/deploy.md): a node that is not the writer answers every request
/// but <c>/healthz</c> with 503, <c>Retry-After</c> and a short text naming the writer, before it does any work, so the
/// load balancer passes the request on to the writer (nginx: <c>proxy_next_upstream … http_503 non_idempotent</c>) and
/// whatever a user saves lands in the writer's file. With <c>Cluster:StandbyServesReading</c> a standby (not a new writer
/// still catching up) first checks a request's sign-in and serves a user whose every role only reads
/// (<see cref="PortalRoles.Reading"/>): they save nothing to the file, and their reports and cubes no longer compete
/// with the agents' calls on the writer. Every answer of a clustered node names the node in <c>X-RA-Node</c>. With one
/// process nothing changes.
/// </summary>
public static class StandbyGate
{
    public const string NodeHeader = "X-RA-Node";
    private const string RetryAfterSeconds = "5";

    public static WebApplication UseClusterStandby(this WebApplication app)
    {
        var role = app.Services.GetRequiredService<WriterRole>();
        if (!role.IsClustered)
        {
            return app;
        }
        app.Use(async (context, next) =>
        {
            context.Response.Headers[NodeHeader] = role.Node;
            // readers only on a standby: a new writer catching up must be able to swap its file in
            if (role.Serves || context.Request.Path.StartsWithSegments("/healthz")
                || (role.StandbyServesReading && !role.IsWriter && await ReaderAsync(context)))
            {
                await next(context);
                return;
            }
            var text = context.RequestServices.GetRequiredService<IStringLocalizer<SharedResource>>();
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            context.Response.Headers.RetryAfter = RetryAfterSeconds;
            context.Response.Headers.CacheControl = "no-store";
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync(text["NodeOnStandby", role.Node, role.LastKnownWriter ?? "–"]);
        });
        return app;
    }

    /// <summary>
    /// The request's sign-in (its session is checked in the operational data) only reads. Any failure to tell, the
    /// operational data out of reach included, sends the request on to the writer like any other.
    /// </summary>
    private static async Task<bool> ReaderAsync(HttpContext context)
    {
        try
        {
            return OnlyReads((await context.AuthenticateAsync()).Principal);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Signed in, with at least one role, and every role one that only reads.</summary>
    public static bool OnlyReads(ClaimsPrincipal? user) =>
        user?.Identity?.IsAuthenticated == true
        && user.FindAll(ClaimTypes.Role).Select(c => c.Value).ToList() is { Count: > 0 } roles
        && roles.All(PortalRoles.Reading.Contains);
}
