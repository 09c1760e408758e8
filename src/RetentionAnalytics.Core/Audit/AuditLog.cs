using Dapper;
using RetentionAnalytics.Core.Warehouse;

namespace RetentionAnalytics.Core.Audit;

public sealed record AuditEntry(
    long AuditId, DateTime At, string? Username, string Action, string? Target, string Outcome, string? Detail, string? ClientIp);

/// <summary>
/// The audit trail of who did what: sign-ins, denials, exports, customer views, reveals and changes. Callers pass
/// identifiers only (user names, subscriber ids, report ids, counts), never personal data.
/// </summary>
public sealed class AuditLog(Db db)
{
    public void Write(string? username, string action, string? target, string outcome = "ok", string? detail = null, string? clientIp = null)
    {
        using var c = db.Ops.Connect();
        c.Execute(db.Ops.Text("""
            insert into ops.audit_log (audit_id, occurred_at, username, action, target, outcome, detail, client_ip)
            values (nextval('ops.audit_id_seq'), now(), $username, $action, $target, $outcome, $detail, $clientIp)
            """), new { username, action, target, outcome, detail, clientIp });
    }

    public IReadOnlyList<AuditEntry> Query(
        DateTime? from = null, DateTime? to = null, string? username = null, string? action = null, int limit = 500)
    {
        using var c = db.Ops.Connect();
        return c.Query<AuditEntry>(db.Ops.Text("""
            select audit_id as AuditId, occurred_at as At, username as Username, action as Action, target as Target,
                   outcome as Outcome, detail as Detail, client_ip as ClientIp
            from ops.audit_log
            where (cast($from as timestamp) is null or occurred_at >= $from) and (cast($to as timestamp) is null or occurred_at < $to)
              and ($username is null or username = $username) and ($action is null or action = $action)
            order by audit_id desc
            limit $limit
            """), new { from, to, username, action, limit }).ToList();
    }
}
