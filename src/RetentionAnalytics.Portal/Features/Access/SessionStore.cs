using System.Collections.Concurrent;
using System.Security.Cryptography;
using Dapper;
using RetentionAnalytics.Core.Warehouse;

namespace RetentionAnalytics.Portal.Features.Access;

/// <summary>A session as checked on a request or circuit: whether it may go on, and the account's change stamp.</summary>
public sealed class SessionState
{
    public string SessionId { get; init; } = "";
    public string Username { get; init; } = "";
    public bool IsValid { get; init; }
    public DateTime? UserUpdatedAt { get; init; }
}

/// <summary>
/// Server-side sessions (ops.app_session). The cookie only names a session; whether it still counts is decided here
/// on every request and circuit check: signed out, disabled, idle too long or past its absolute end means over.
/// </summary>
public sealed class SessionStore(Db db, AuthOptions options)
{
    // last time each session's activity was written: a page load makes a dozen requests, one write is enough
    private readonly ConcurrentDictionary<string, DateTime> _touched = new();
    private static readonly TimeSpan TouchEvery = TimeSpan.FromSeconds(20);

    public string Create(string username, string? clientIp)
    {
        var sessionId = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        using var c = db.Ops.Connect();
        c.Execute(db.Ops.Sql.Get("access/session_insert.sql"), new
        {
            session_id = sessionId,
            username,
            absolute_minutes = options.AbsoluteTimeoutHours * 60,
            client_ip = clientIp,
        });
        _touched[sessionId] = DateTime.UtcNow;
        return sessionId;
    }

    public SessionState? Check(string sessionId)
    {
        using var c = db.Ops.Connect();
        return c.QuerySingleOrDefault<SessionState>(db.Ops.Sql.Get("access/session_check.sql"),
            new { session_id = sessionId, idle_minutes = options.IdleTimeoutMinutes });
    }

    /// <summary>Activity: the idle timeout starts again (written at most every few seconds per session).</summary>
    public void Touch(string sessionId)
    {
        var now = DateTime.UtcNow;
        if (_touched.TryGetValue(sessionId, out var last) && now - last < TouchEvery)
        {
            return;
        }
        _touched[sessionId] = now;
        if (_touched.Count > 10_000)
        {
            // sessions that ended without a sign-out leave their entry behind; only recent ones matter
            foreach (var stale in _touched.Where(t => now - t.Value > TouchEvery).Select(t => t.Key).ToList())
            {
                _touched.TryRemove(stale, out _);
            }
        }
        using var c = db.Ops.Connect();
        c.Execute(db.Ops.Sql.Get("access/session_touch.sql"), new { session_id = sessionId });
    }

    /// <summary>
    /// A session of this node ended (signed out): its pages still open in other tabs on this node end at once rather
    /// than at their circuit's next check (other nodes' pages at theirs).
    /// </summary>
    public event Action<string>? Revoked;

    public void Revoke(string sessionId, string reason)
    {
        _touched.TryRemove(sessionId, out _);
        using (var c = db.Ops.Connect())
        {
            c.Execute(db.Ops.Sql.Get("access/session_revoke.sql"), new { session_id = sessionId, reason });
        }
        Revoked?.Invoke(sessionId);
    }
}
