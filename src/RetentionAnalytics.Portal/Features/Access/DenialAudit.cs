using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using RetentionAnalytics.Core.Audit;

namespace RetentionAnalytics.Portal.Features.Access;

/// <summary>
/// Audits every request the authorization middleware forbids (a signed-in user without the role), naming the route
/// by its pattern (<c>/admin/users</c>, <c>/customers/{id}</c>), never by the typed URL.
/// </summary>
public sealed class DenialAudit(AuditLog audit) : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Forbidden)
        {
            audit.Write(context.User.Identity?.Name, "denied", RouteOf(context), "denied", "forbidden",
                context.Connection.RemoteIpAddress?.ToString());
        }
        await _default.HandleAsync(next, context, policy, authorizeResult);
    }

    public static string? RouteOf(HttpContext context) =>
        context.GetEndpoint() is RouteEndpoint route ? "/" + route.RoutePattern.RawText?.TrimStart('/') : null;
}
