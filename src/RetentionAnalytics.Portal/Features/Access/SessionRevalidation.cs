using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;

namespace RetentionAnalytics.Portal.Features.Access;

/// <summary>
/// Every request: the cookie's session must still be valid in ops.app_session (not signed out, not idle too long,
/// not past its absolute end, account not disabled). A changed account (roles, scope) gets fresh claims.
/// </summary>
public static class SessionValidation
{
    public static async Task ValidatePrincipalAsync(CookieValidatePrincipalContext context)
    {
        var services = context.HttpContext.RequestServices;
        var sessions = services.GetRequiredService<SessionStore>();
        var sessionId = context.Principal is { } p ? PortalClaims.SessionOf(p) : null;
        var state = sessionId is null ? null : sessions.Check(sessionId);
        if (state is not { IsValid: true })
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return;
        }
        sessions.Touch(state.SessionId);
        if (context.Principal!.FindFirst(PortalClaims.Stamp)?.Value != PortalClaims.StampOf(state.UserUpdatedAt)
            && services.GetRequiredService<AccountStore>().Find(state.Username) is { } user)
        {
            var signIn = services.GetRequiredService<SignInService>();
            var mustChange = PortalClaims.MustChange(context.Principal) && signIn.MustChange(user);
            context.ReplacePrincipal(PortalClaims.Build(user, state.SessionId, mustChange,
                context.Principal.FindFirst(PortalClaims.SignInIp)?.Value));
            context.ShouldRenew = true;
        }
    }
}

/// <summary>
/// Blazor circuits outlive the request that opened them: every <see cref="AuthOptions.CircuitRevalidateSeconds"/>
/// the circuit's session is checked again, and a signed-out, expired or changed session ends the circuit's user
/// (the page then sends the browser to the sign-in page, which takes a still valid cookie straight back). A sign-out
/// on this node ends the session's circuits here at once.
/// </summary>
public sealed class SessionRevalidatingStateProvider : RevalidatingServerAuthenticationStateProvider
{
    private readonly IServiceScopeFactory _scopes;
    private readonly AuthOptions _options;
    private readonly SessionStore _sessions;
    private string? _sessionId;

    /// <summary>
    /// The claim of the nobody a circuit's user becomes when the session was signed out: the page goes to the sign-in
    /// page that says so, as the tab that signed out does.
    /// </summary>
    public const string SignedOutClaim = "ra:signed_out";

    public SessionRevalidatingStateProvider(ILoggerFactory loggerFactory, IServiceScopeFactory scopes, AuthOptions options, SessionStore sessions)
        : base(loggerFactory)
    {
        _scopes = scopes;
        _options = options;
        _sessions = sessions;
        AuthenticationStateChanged += Remember;
        sessions.Revoked += EndIfMine;
    }

    protected override TimeSpan RevalidationInterval => TimeSpan.FromSeconds(_options.CircuitRevalidateSeconds);

    protected override Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        var principal = authenticationState.User;
        if (PortalClaims.SessionOf(principal) is not { } sessionId)
        {
            return Task.FromResult(false);
        }
        using var scope = _scopes.CreateScope();
        var state = scope.ServiceProvider.GetRequiredService<SessionStore>().Check(sessionId);
        return Task.FromResult(state is { IsValid: true }
                               && principal.FindFirst(PortalClaims.Stamp)?.Value == PortalClaims.StampOf(state.UserUpdatedAt));
    }

    private void Remember(Task<AuthenticationState> state) =>
        _ = state.ContinueWith(t => _sessionId = t.IsCompletedSuccessfully ? PortalClaims.SessionOf(t.Result.User) : null,
            TaskScheduler.Default);

    private void EndIfMine(string sessionId)
    {
        if (sessionId == _sessionId)
        {
            _sessionId = null;
            SetAuthenticationState(Task.FromResult(new AuthenticationState(
                new ClaimsPrincipal(new ClaimsIdentity([new Claim(SignedOutClaim, "true")])))));
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _sessions.Revoked -= EndIfMine;
            AuthenticationStateChanged -= Remember;
        }
        base.Dispose(disposing);
    }
}
