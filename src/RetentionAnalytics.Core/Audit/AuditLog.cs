using Dapper;
using RetentionAnalytics.Core.Warehouse;

namespace RetentionAnalytics.Core.Audit;

public sealed record AuditEntry(
    long AuditId, DateTime At, string? Username, string Action, string? Target, string Outcome, string? Detail, string? ClientIp);

/// <summary>
/// The audit trail of who did what: sign-ins, denials, exports, customer views, reveals and changes. Callers pass
/// identifiers only (user names, subscriber ids, report ids, counts), never personal data.
/// </summary>
/// <remarks>
/// Writes are group-committed: concurrent callers queue their rows, and one of them (the first that finds no batch in
/// progress) writes every queued row in one transaction while the others wait for that commit. <see cref="Write"/>
/// returns only once its row is committed and throws when the batch failed, so a caller that shows data after
/// auditing it never shows what was not audited; fifty agents opening customers at once share a few commits instead
/// of queueing for fifty.
/// </remarks>
public sealed class AuditLog(Db db)
{
    private const int MaxBatch = 500;

    private readonly Lock _gate = new();
    private readonly Queue<Pending> _queue = new();
    private bool _writing;

    public void Write(string? username, string action, string? target, string outcome = "ok", string? detail = null, string? clientIp = null)
    {
        var pending = new Pending(new Row(username, action, target, outcome, detail, clientIp));
        lock (_gate)
        {
            _queue.Enqueue(pending);
            if (_writing)
            {
                pending.Lead = false;
            }
            else
            {
                _writing = true;
                pending.Lead = true;
            }
        }
        if (!pending.Lead)
        {
            // a batch is being written: ours follows in the next one, written by whoever is handed the lead
            pending.Done.Wait();
            if (!pending.Lead)
            {
                pending.Failure?.Throw();
                return;
            }
        }
        WriteBatch(pending);
        pending.Failure?.Throw();
    }

    /// <summary>Writes everything queued (at most <see cref="MaxBatch"/> rows) in one commit, then hands the lead on.</summary>
    private void WriteBatch(Pending leader)
    {
        List<Pending> batch;
        lock (_gate)
        {
            batch = [];
            while (batch.Count < MaxBatch && _queue.TryDequeue(out var next))
            {
                batch.Add(next);
            }
        }
        System.Runtime.ExceptionServices.ExceptionDispatchInfo? failure = null;
        try
        {
            using var c = db.Ops.Connect();
            using var tx = c.BeginTransaction();
            c.Execute(db.Ops.Text("""
                insert into ops.audit_log (audit_id, occurred_at, username, action, target, outcome, detail, client_ip)
                values (nextval('ops.audit_id_seq'), now(), $username, $action, $target, $outcome, $detail, $clientIp)
                """), batch.Select(p => p.Row), tx);
            tx.Commit();
        }
        catch (Exception ex)
        {
            failure = System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(ex);
        }
        Pending? heir = null;
        lock (_gate)
        {
            if (_queue.TryPeek(out var first))
            {
                heir = first;
                heir.Lead = true;
            }
            else
            {
                _writing = false;
            }
        }
        foreach (var p in batch)
        {
            if (!ReferenceEquals(p, leader))
            {
                p.Lead = false;
                p.Failure = failure;
                p.Done.Set();
            }
        }
        leader.Failure = failure;
        heir?.Done.Set();
    }

    private sealed record Row(string? username, string action, string? target, string outcome, string? detail, string? clientIp);

    private sealed class Pending(Row row)
    {
        public Row Row { get; } = row;
        public ManualResetEventSlim Done { get; } = new();
        public volatile bool Lead;
        public System.Runtime.ExceptionServices.ExceptionDispatchInfo? Failure;
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
