using Radzen;
using RetentionAnalytics.Portal.Components;

namespace RetentionAnalytics.Portal.Features.Shared;

public static class PortalUi
{
    public const string DefaultUrl = "http://127.0.0.1:5080";

    /// <summary>
    /// Listens on the loopback address unless --urls or ASPNETCORE_URLS says otherwise: the demo holds customer
    /// data and signs in with documented demo passwords, so it is not reachable from the network by default.
    /// </summary>
    public static WebApplicationBuilder ListenOnLoopbackByDefault(this WebApplicationBuilder builder)
    {
        if (string.IsNullOrWhiteSpace(builder.Configuration["urls"]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }
        return builder;
    }

    /// <summary>
    /// Blazor Server with interactive server rendering, Radzen components. No internals reach a client in any
    /// environment: a circuit's errors are never detailed, a request that cannot be bound is a bare 400 (never an
    /// exception page), and the server does not name itself.
    /// </summary>
    public static WebApplicationBuilder AddPortalUi(this WebApplicationBuilder builder)
    {
        // Static assets (Radzen theme, blazor.web.js) from the build output in every environment, not only in
        // Development: the portal is run from its build folder by tests and demos. A published app ignores this.
        builder.WebHost.UseStaticWebAssets();
        builder.WebHost.ConfigureKestrel(o => o.AddServerHeader = false);
        builder.Services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = false);
        builder.Services.AddRazorComponents().AddInteractiveServerComponents(o => o.DetailedErrors = false);
        builder.Services.AddRadzenComponents();
        // German umlauts and Chinese as text, not as numeric entities: a third of the pages' words are not Latin
        builder.Services.AddWebEncoders(o => o.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));
        return builder;
    }

    /// <summary>
    /// No HTTPS redirection: the portal listens on http://127.0.0.1:5080 for the local demo (configure --urls or
    /// ASPNETCORE_URLS and a TLS-terminating proxy for anything else). The security headers on every response; an
    /// unhandled error shows the error page in every environment (never the developer exception page). Antiforgery
    /// runs after authentication (UsePortalAccess). A 403 or 404 without a body shows the status page.
    /// </summary>
    public static WebApplication UsePortalUi(this WebApplication app)
    {
        app.UseSecurityHeaders();
        app.UseExceptionHandler("/Error", createScopeForErrors: true);
        // the error page is a page: a failed data call or form post gets a bare 500 (re-executing its POST into the
        // page would be refused and answered as a misleading 400)
        app.Use(async (context, next) =>
        {
            try
            {
                await next(context);
            }
            catch (Exception ex) when (!context.Response.HasStarted && !IsPageRequest(context.Request))
            {
                context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(PortalUi))
                    .LogError(ex, "Unhandled error in {Method} {Route}", context.Request.Method,
                        (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "(no route)");
                context.Response.Clear();
                context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            }
        });
        app.UseStatusCodePagesWithReExecute("/status/{0}", createScopeForStatusCodePages: true);
        // data endpoints, machine callbacks and every unsafe request keep their bare status: re-executing a refused
        // POST would land on a page that refuses the method, and the caller would see 400 instead of 401 or 403
        app.Use((context, next) =>
        {
            if ((RetentionAnalytics.Portal.Features.Access.AccessSetup.IsApi(context.Request)
                    || !(HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method)))
                && context.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodePagesFeature>() is { } statusPages)
            {
                statusPages.Enabled = false;
            }
            return next(context);
        });
        app.UseRequestLocalization();
        return app;
    }

    private static bool IsPageRequest(HttpRequest request) =>
        (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
        && !RetentionAnalytics.Portal.Features.Access.AccessSetup.IsApi(request);

    public static WebApplication MapPortalPages(this WebApplication app)
    {
        // the sign-in page needs the theme and scripts before anyone is signed in
        app.MapStaticAssets().AllowAnonymous();
        // frame-ancestors is part of the portal's own policy (SecurityHeaders): no second policy header
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode(o => o.ContentSecurityFrameAncestorsPolicy = null);
        return app;
    }
}
