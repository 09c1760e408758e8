using Microsoft.AspNetCore.Antiforgery;

namespace RetentionAnalytics.Portal.Features.Access;

/// <summary>An endpoint a machine calls with its own secret (a gateway's callback), never a browser with the portal's cookies.</summary>
public sealed class MachineCallbackMetadata;

/// <summary>
/// Cross-site request forgery, one rule for every state change: a POST, PUT, PATCH or DELETE runs only with a valid
/// antiforgery token — the form field of the portal's forms, or the <c>RequestVerificationToken</c> header for scripts
/// (the token from <c>GET /api/antiforgery</c> in the same session) — body-less ones included. The exceptions are
/// Blazor's own circuit connection under <c>/_blazor</c> and endpoints marked <see cref="AsMachineCallback"/>. Runs
/// after authorization, so an anonymous caller of a protected endpoint still gets 401; a refused token is a 400 and a
/// warning in the log naming the route.
/// </summary>
public static class AntiforgeryGuard
{
    public const string HeaderName = "RequestVerificationToken";

    public static TBuilder AsMachineCallback<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new MachineCallbackMetadata()).DisableAntiforgery();

    public static WebApplication UseAntiforgeryGuard(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            if (NeedsToken(context) && !await IsValid(context))
            {
                context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(AntiforgeryGuard))
                    .LogWarning("Refused {Method} {Route} without a valid antiforgery token", context.Request.Method,
                        (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "(no route)");
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                return;
            }
            await next(context);
        });
        return app;
    }

    /// <summary>The token for scripts (signed in, same session): <c>{headerName, token}</c>.</summary>
    public static WebApplication MapAntiforgeryToken(this WebApplication app)
    {
        app.MapGet("/api/antiforgery", (HttpContext http, IAntiforgery antiforgery) =>
        {
            var tokens = antiforgery.GetAndStoreTokens(http);
            http.Response.Headers.CacheControl = "no-store";
            return Results.Ok(new { headerName = HeaderName, token = tokens.RequestToken });
        });
        return app;
    }

    /// <summary>The framework's verdict when its middleware already judged the request (a form endpoint), else ours.</summary>
    private static async Task<bool> IsValid(HttpContext context) =>
        context.Features.Get<IAntiforgeryValidationFeature>() is { } judged
            ? judged.IsValid
            : await context.RequestServices.GetRequiredService<IAntiforgery>().IsRequestValidAsync(context);

    private static bool NeedsToken(HttpContext context)
    {
        var method = context.Request.Method;
        if (HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method) || HttpMethods.IsTrace(method))
        {
            return false;
        }
        return !context.Request.Path.StartsWithSegments("/_blazor")
            && context.GetEndpoint()?.Metadata.GetMetadata<MachineCallbackMetadata>() is null;
    }

    /// <summary>The framework's antiforgery cookie and header, with the same Secure rule as the session cookie.</summary>
    public static void Configure(AntiforgeryOptions options)
    {
        options.HeaderName = HeaderName;
        options.Cookie.Name = "ra.antiforgery";
        options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        options.Cookie.SameSite = SameSiteMode.Strict;
    }
}
