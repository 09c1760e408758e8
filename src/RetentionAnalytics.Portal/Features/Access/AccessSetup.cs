using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Net.Http.Headers;
using RetentionAnalytics.Core.Warehouse;
using RetentionAnalytics.Portal.Features.Accounts;
using RetentionAnalytics.Portal.Features.Shared.Access;

namespace RetentionAnalytics.Portal.Features.Access;

public static class AccessSetup
{
    public const string OidcScheme = OpenIdConnectDefaults.AuthenticationScheme;

    /// <summary>
    /// Cookie sessions backed by ops.app_session, optional LDAP and OpenID Connect sign-in, the role policies with
    /// a default-deny fallback, and <see cref="ICurrentUser"/> for requests and circuits.
    /// </summary>
    public static WebApplicationBuilder AddPortalAccess(this WebApplicationBuilder builder)
    {
        var auth = AuthOptions.From(builder.Configuration);
        DemoSecrets.Check(builder.Configuration, auth.DemoMode);
        var network = NetworkOptions.From(builder.Configuration);
        var services = builder.Services;

        services.AddSingleton(auth);
        services.AddSingleton(network);
        services.AddSingleton(new IpAllowList(network.AllowedNetworks));
        services.AddSingleton(new GroupRoleMapper(auth.GroupMappings));
        services.AddSingleton<SessionStore>();
        services.AddSharedKeyRing();
        services.AddAccounts(auth);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<SignInThrottle>();
        services.AddSingleton<DeviceCookies>();
        services.AddSingleton<LdapDirectory>();
        services.AddSingleton<SignInService>();
        services.AddHttpContextAccessor();

        services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // only the configured proxies are believed, not loopback (the default); with none configured the
            // middleware is not used at all (UsePortalNetwork)
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            foreach (var proxy in network.TrustedProxies)
            {
                o.KnownIPNetworks.Add(IpAllowList.ParseNetwork(proxy));
            }
        });

        var authentication = services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(o =>
            {
                o.Cookie.Name = "ra.session";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = Microsoft.AspNetCore.Http.SameSiteMode.Lax;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.LoginPath = "/account/signin";
                o.LogoutPath = "/account/signout";
                // the idle timeout is the server's (ops.app_session); the cookie itself lives no longer than the
                // absolute timeout and is a browser-session cookie
                o.ExpireTimeSpan = TimeSpan.FromHours(auth.AbsoluteTimeoutHours);
                o.SlidingExpiration = false;
                o.Events.OnValidatePrincipal = SessionValidation.ValidatePrincipalAsync;
                o.Events.OnRedirectToLogin = context =>
                {
                    if (IsApi(context.Request))
                    {
                        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                        return Task.CompletedTask;
                    }
                    context.Response.Redirect(context.RedirectUri);
                    return Task.CompletedTask;
                };
                // a plain 403: the status page explains it (no redirect, so a script and a test see the refusal)
                o.Events.OnRedirectToAccessDenied = context =>
                {
                    context.Response.StatusCode = StatusCodes.Status403Forbidden;
                    return Task.CompletedTask;
                };
            });
        if (auth.Oidc.Enabled)
        {
            authentication.AddOpenIdConnect(OidcScheme, o => OidcSignIn.Configure(o, auth.Oidc));
        }

        services.AddAntiforgery(AntiforgeryGuard.Configure);
        services.AddAuthorization(PortalPolicies.Add);
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, DenialAudit>();
        services.AddCascadingAuthenticationState();
        services.AddScoped<AuthenticationStateProvider, SessionRevalidatingStateProvider>();
        services.AddScoped<CurrentPrincipal>();
        services.AddScoped<ICurrentUser, CurrentUser>();
        services.AddScoped<CircuitHandler, CurrentUserCircuitHandler>();
        return builder;
    }

    /// <summary>Forwarded headers of trusted proxies, then the IP allow-list: before anything answers.</summary>
    public static WebApplication UsePortalNetwork(this WebApplication app)
    {
        // with no proxy configured the middleware stays out: its empty known-proxy lists would mean "trust anyone"
        if (app.Services.GetRequiredService<NetworkOptions>().TrustedProxies.Count > 0)
        {
            app.UseForwardedHeaders();
        }
        var allowList = app.Services.GetRequiredService<IpAllowList>();
        if (!allowList.AllowsEveryone)
        {
            app.Use(allowList.Middleware);
        }
        return app;
    }

    /// <summary>Authentication, the current user, the forced password change, authorization, antiforgery on every state change.</summary>
    public static WebApplication UsePortalAccess(this WebApplication app)
    {
        app.UseAuthentication();
        app.Use(async (context, next) =>
        {
            context.RequestServices.GetRequiredService<CurrentPrincipal>()
                .Set(context.User, context.Connection.RemoteIpAddress?.ToString());
            if (context.User.Identity?.IsAuthenticated == true)
            {
                if (PortalClaims.MustChange(context.User) && !MayPassWhileChangeIsDue(context))
                {
                    if (HttpMethods.IsGet(context.Request.Method) && !IsApi(context.Request))
                    {
                        context.Response.Redirect("/account/password");
                    }
                    else
                    {
                        context.Response.StatusCode = StatusCodes.Status403Forbidden;
                    }
                    return;
                }
                // signed-in pages are not kept by the browser: after sign-out, Back shows no data
                context.Response.OnStarting(() =>
                {
                    if (!context.Response.Headers.ContainsKey(HeaderNames.CacheControl))
                    {
                        context.Response.Headers.CacheControl = "no-store";
                    }
                    return Task.CompletedTask;
                });
            }
            await next(context);
        });
        app.UseAuthorization();
        app.UseAntiforgery();
        app.UseAntiforgeryGuard();
        return app;
    }

    private static bool MayPassWhileChangeIsDue(HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetMetadata<IAllowAnonymous>() is not null
        || context.Request.Path.StartsWithSegments("/account/password")
        || context.Request.Path.StartsWithSegments("/account/signout")
        || context.Request.Path.StartsWithSegments("/api/antiforgery");

    /// <summary>Data endpoints and machine callbacks: bare 401/403 instead of a redirect to the sign-in page or a status page.</summary>
    public static bool IsApi(HttpRequest request) =>
        request.Path.StartsWithSegments("/api") || request.Path.StartsWithSegments("/sms-gateway")
        || request.HttpContext.GetEndpoint()?.Metadata.GetMetadata<MachineCallbackMetadata>() is not null;
}
