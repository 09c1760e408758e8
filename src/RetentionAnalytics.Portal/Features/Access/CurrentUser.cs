using System.Security.Claims;
using Dapper;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;
using RetentionAnalytics.Core.Access;
using RetentionAnalytics.Core.Warehouse;
using RetentionAnalytics.Portal.Features.Shared.Access;

namespace RetentionAnalytics.Portal.Features.Access;

/// <summary>
/// The principal of the current request or circuit (one per DI scope). An HTTP request sets it after
/// authentication (<see cref="AccessSetup"/>); a Blazor circuit sets it from its AuthenticationStateProvider when
/// it opens and whenever the revalidation changes it (<see cref="CurrentUserCircuitHandler"/>).
/// </summary>
public sealed class CurrentPrincipal
{
    public ClaimsPrincipal User { get; private set; } = new(new ClaimsIdentity());
    public string? ClientIp { get; private set; }

    public void Set(ClaimsPrincipal user, string? clientIp)
    {
        User = user;
        ClientIp = clientIp ?? user.FindFirstValue(PortalClaims.SignInIp);
    }
}

/// <summary><see cref="ICurrentUser"/> from the claims of the session; the team from ops.agent (agents) or the account.</summary>
public sealed class CurrentUser(CurrentPrincipal current, Db db) : ICurrentUser
{
    private (string Username, string? Team)? _team;

    public string? Username =>
        current.User.Identity?.IsAuthenticated == true ? current.User.Identity.Name : null;

    public IReadOnlySet<string> Roles =>
        current.User.Identity?.IsAuthenticated == true
            ? current.User.FindAll(ClaimTypes.Role).Select(c => c.Value).ToHashSet(StringComparer.Ordinal)
            : new HashSet<string>();

    public RegionScope Scope => PortalClaims.ScopeOf(current.User);

    public string? TeamId
    {
        get
        {
            if (Username is not { } username)
            {
                return null;
            }
            if (_team is { } cached && cached.Username == username)
            {
                return cached.Team;
            }
            string? team;
            if (db.Ops.IsPostgres)
            {
                // the agent record is beside the teams and tasks (the warehouse file), the account on PostgreSQL
                using var agents = db.Connect();
                using var accounts = db.Ops.Connect();
                team = agents.ExecuteScalar<string?>(db.Sql.Get("access/agent_record_team.sql"), new { username })
                    ?? accounts.ExecuteScalar<string?>(db.Ops.Sql.Get("access/user_team.sql"), new { username });
            }
            else
            {
                using var c = db.Connect();
                team = c.ExecuteScalar<string?>(db.Sql.Get("access/agent_team.sql"), new { username });
            }
            _team = (username, team);
            return team;
        }
    }

    public string? ClientIp => current.ClientIp;
}

/// <summary>
/// Keeps a circuit's <see cref="CurrentPrincipal"/> in step with its authentication state, and counts what the user
/// does in the circuit as activity of the session (the idle timeout).
/// </summary>
public sealed class CurrentUserCircuitHandler(
    AuthenticationStateProvider authentication, CurrentPrincipal current, SessionStore sessions, IHttpContextAccessor http)
    : CircuitHandler, IDisposable
{
    private string? _ip;

    public override async Task OnCircuitOpenedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        // the hub's connection request went through the forwarded-headers and allow-list middleware
        _ip = http.HttpContext?.Connection.RemoteIpAddress?.ToString();
        authentication.AuthenticationStateChanged += Changed;
        current.Set((await authentication.GetAuthenticationStateAsync()).User, _ip);
    }

    public override Func<CircuitInboundActivityContext, Task> CreateInboundActivityHandler(Func<CircuitInboundActivityContext, Task> next) =>
        context =>
        {
            if (PortalClaims.SessionOf(current.User) is { } sessionId)
            {
                sessions.Touch(sessionId);
            }
            return next(context);
        };

    private void Changed(Task<AuthenticationState> state) =>
        _ = state.ContinueWith(t =>
        {
            if (t.IsCompletedSuccessfully)
            {
                current.Set(t.Result.User, _ip);
            }
        }, TaskScheduler.Default);

    public void Dispose() => authentication.AuthenticationStateChanged -= Changed;
}
