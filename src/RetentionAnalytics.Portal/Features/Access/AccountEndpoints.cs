using System.Diagnostics;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using RetentionAnalytics.Core.Audit;
using RetentionAnalytics.Portal.Features.Shared.Localization;

namespace RetentionAnalytics.Portal.Features.Access;

/// <summary>The fields of the sign-in form (SignInPage.razor).</summary>
public sealed class SignInForm
{
    public string? Username { get; set; }
    public string? Password { get; set; }
    public string? ReturnUrl { get; set; }
}

/// <summary>The fields of the change-password form (ChangePasswordPage.razor).</summary>
public sealed class ChangePasswordForm
{
    public string? CurrentPassword { get; set; }
    public string? NewPassword { get; set; }
    public string? ConfirmPassword { get; set; }
}

/// <summary>
/// Sign-in, sign-out and password change as form posts: cookies can only be set on an HTTP response, never from an
/// interactive Blazor circuit. Their antiforgery token is checked before they run (<see cref="AntiforgeryGuard"/>).
/// Failures go back to the form with a reason key, never with what was typed; a failed sign-in is answered no sooner
/// than <see cref="AuthOptions.MinFailedSignInMilliseconds"/> after it came in.
/// </summary>
public static class AccountEndpoints
{
    public static WebApplication MapAccountEndpoints(this WebApplication app)
    {
        app.MapPost("/account/signin", async ([FromForm] SignInForm form, HttpContext http, SignInService signIn, SessionStore sessions,
            DeviceCookies devices, AuthOptions options) =>
        {
            var clock = Stopwatch.StartNew();
            var ip = http.Connection.RemoteIpAddress?.ToString();
            var returnUrl = LocalOrRoot(form.ReturnUrl);
            var device = devices.TrustedDevice(http.Request, AccountStore.Normalize(form.Username));
            // the password hash is CPU work: off the request thread, like any other blocking work
            var outcome = await Task.Run(() => signIn.Authenticate(form.Username, form.Password, ip, device));
            if (outcome is not SignInOutcome.Succeeded ok)
            {
                var reason = ((SignInOutcome.Failed)outcome).Reason;
                var wait = TimeSpan.FromMilliseconds(options.MinFailedSignInMilliseconds) - clock.Elapsed;
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, http.RequestAborted);
                }
                return Results.Redirect($"/account/signin?error={reason}&returnUrl={Uri.EscapeDataString(returnUrl)}");
            }
            devices.Issue(http.Response, ok.User.Username);
            var sessionId = sessions.Create(ok.User.Username, ip);
            await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme,
                PortalClaims.Build(ok.User, sessionId, ok.MustChangePassword, ip),
                new AuthenticationProperties { IsPersistent = false });
            LocalizationSetup.WriteCultureCookie(http.Response, ok.User.PreferredLanguage);
            return Results.Redirect(ok.MustChangePassword ? "/account/password" : returnUrl);
        // the token is checked by AntiforgeryGuard before any unsafe request runs; the framework's second check stays off
        }).AllowAnonymous().DisableAntiforgery();

        app.MapPost("/account/signout", async (HttpContext http, SessionStore sessions, AuditLog audit) =>
        {
            if (PortalClaims.SessionOf(http.User) is { } sessionId)
            {
                sessions.Revoke(sessionId, "sign_out");
            }
            audit.Write(http.User.Identity?.Name, "sign_out", null, clientIp: http.Connection.RemoteIpAddress?.ToString());
            await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return Results.Redirect("/account/signin?signedOut=true");
        }).DisableAntiforgery();

        app.MapPost("/account/password", async ([FromForm] ChangePasswordForm form, HttpContext http, AccountStore accounts, SignInService signIn) =>
        {
            var username = http.User.Identity!.Name!;
            var sessionId = PortalClaims.SessionOf(http.User);
            var ip = http.Connection.RemoteIpAddress?.ToString();
            if ((form.NewPassword ?? "") != (form.ConfirmPassword ?? ""))
            {
                return Results.Redirect("/account/password?error=PasswordMismatch");
            }
            try
            {
                accounts.ChangeOwnPassword(username, form.CurrentPassword ?? "", form.NewPassword ?? "", sessionId, ip);
            }
            catch (AccountException ex)
            {
                return Results.Redirect($"/account/password?error={ex.ReasonKey}");
            }
            // the same session goes on, with fresh claims (no forced change any more)
            var user = accounts.Find(username)!;
            await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme,
                PortalClaims.Build(user, sessionId!, signIn.MustChange(user), ip),
                new AuthenticationProperties { IsPersistent = false });
            return Results.Redirect("/?passwordChanged=true");
        }).DisableAntiforgery();

        app.MapAntiforgeryToken();

        if (app.Services.GetRequiredService<AuthOptions>().Oidc.Enabled)
        {
            app.MapGet("/account/signin/oidc", (string? returnUrl) =>
                Results.Challenge(new AuthenticationProperties { RedirectUri = LocalOrRoot(returnUrl) }, [AccessSetup.OidcScheme]))
                .AllowAnonymous();
        }
        return app;
    }

    /// <summary>Only local targets: the parameter comes from a form or the query string.</summary>
    public static string LocalOrRoot(string? url) =>
        url is { Length: > 0 } && url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal)
        && !url.StartsWith("/\\", StringComparison.Ordinal) && !url.StartsWith("/account/", StringComparison.Ordinal)
            ? url : "/";
}
