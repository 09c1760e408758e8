using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Localization;
using RetentionAnalytics.Portal.Features.Shared.Access;
using RetentionAnalytics.Portal.Features.Shared.Localization;

namespace RetentionAnalytics.Portal.Features.Cluster;

/// <summary>
/// Several nodes with <c>Cluster:HotStandby</c> (docs/deploy.md): a node that is not the writer answers every request
/// but <c>/healthz</c> with 503, <c>Retry-After</c> and a short text naming the writer, before it reads or writes
/// anything, so the load balancer passes the request on to the writer (nginx: <c>proxy_next_upstream … http_503
/// non_idempotent</c>) and whatever a user saves lands in the writer's file. With <c>Cluster:StandbyServesReading</c>
/// it still serves a signed-in user whose every role only reads (<see cref="PortalRoles.Reading"/>): they save nothing
/// to the file, and their reports and cubes no longer compete with the agents' calls on the writer. Every answer of a
/// clustered node names the node in <c>X-RA-Node</c>. With one process nothing changes.
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
            if (role.Serves || context.Request.Path.StartsWithSegments("/healthz")
                || (role.StandbyServesReading && OnlyReads((await context.AuthenticateAsync()).Principal)))
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

    /// <summary>Signed in, with at least one role, and every role one that only reads.</summary>
    private static bool OnlyReads(ClaimsPrincipal? user) =>
        user?.Identity?.IsAuthenticated == true
        && user.FindAll(ClaimTypes.Role).Select(c => c.Value).ToList() is { Count: > 0 } roles
        && roles.All(PortalRoles.Reading.Contains);
}
