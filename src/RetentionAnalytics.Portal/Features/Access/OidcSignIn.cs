using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using RetentionAnalytics.Core.Audit;
using RetentionAnalytics.Portal.Features.Shared.Localization;

namespace RetentionAnalytics.Portal.Features.Access;

/// <summary>
/// OpenID Connect sign-in: the identity provider vouches for the user, the configured group mappings give roles and
/// scope, and from there on it is an ordinary portal session (same claims, same server-side session row).
/// </summary>
public static class OidcSignIn
{
    public static void Configure(OpenIdConnectOptions o, OidcOptions oidc)
    {
        o.Authority = oidc.Authority;
        o.ClientId = oidc.ClientId;
        o.ClientSecret = oidc.ClientSecret;
        o.CallbackPath = oidc.CallbackPath;
        o.ResponseType = "code";
        o.UsePkce = true;
        o.SaveTokens = false;
        o.MapInboundClaims = false;
        o.GetClaimsFromUserInfoEndpoint = true;
        o.RequireHttpsMetadata = oidc.RequireHttpsMetadata;
        o.SignInScheme = CookieAuthenticationDefaults.AuthenticationScheme;
        o.Scope.Clear();
        foreach (var scope in oidc.Scopes)
        {
            o.Scope.Add(scope);
        }
        o.Events.OnTokenValidated = context =>
        {
            var services = context.HttpContext.RequestServices;
            var audit = services.GetRequiredService<AuditLog>();
            var ip = context.HttpContext.Connection.RemoteIpAddress?.ToString();
            var principal = context.Principal ?? new ClaimsPrincipal();
            var username = AccountStore.Normalize(principal.FindFirst(oidc.UsernameClaim)?.Value);
            if (!AccountStore.IsValidUsername(username))
            {
                audit.Write(SignInService.Unknown, "sign_in_failed", null, "failed", "oidc_username_unusable", ip);
                context.Fail("The identity provider's username cannot be used.");
                return Task.CompletedTask;
            }
            var accounts = services.GetRequiredService<AccountStore>();
            var existing = accounts.Find(username);
            if (existing is { Disabled: true } || existing is { Source: AccountSources.Local })
            {
                audit.Write(username, "sign_in_failed", null, "failed", existing.Disabled ? "disabled" : "local_account", ip);
                context.Fail("This account cannot sign in with single sign-on.");
                return Task.CompletedTask;
            }
            var groups = principal.FindAll(oidc.GroupsClaim).Select(c => c.Value);
            var displayName = principal.FindFirst("name")?.Value ?? username;
            var profile = services.GetRequiredService<GroupRoleMapper>().Map(groups, displayName, existing?.PreferredLanguage ?? "en");
            if (profile.Roles.Count == 0)
            {
                audit.Write(username, "sign_in_failed", null, "failed", "no_mapped_role", ip);
                context.Fail("No portal role for this user.");
                return Task.CompletedTask;
            }
            var user = accounts.UpsertDirectoryAccount(username, AccountSources.Oidc, displayName, profile, ip);
            accounts.RecordSuccess(user.Username);
            var sessionId = services.GetRequiredService<SessionStore>().Create(user.Username, ip);
            context.Principal = PortalClaims.Build(user, sessionId, mustChangePassword: false, ip);
            context.Properties!.IsPersistent = false;
            LocalizationSetup.WriteCultureCookie(context.Response, user.PreferredLanguage);
            audit.Write(user.Username, "sign_in", null, detail: "oidc", clientIp: ip);
            return Task.CompletedTask;
        };
        o.Events.OnRemoteFailure = context =>
        {
            context.Response.Redirect("/account/signin?error=SignInInvalid");
            context.HandleResponse();
            return Task.CompletedTask;
        };
    }
}
