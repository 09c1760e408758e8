using System.Data;
using Dapper;
using DuckDB.NET.Data;
using RetentionAnalytics.Core.Regions;
using RetentionAnalytics.Core.Warehouse;
using RetentionAnalytics.Core.Workbench;

namespace RetentionAnalytics.Core.Dialer;

/// <summary>
/// Writes the dialer's attempt row, and marks its lease reported, inside the outcome transaction of an outcome the
/// dialer reported (<see cref="OutboundDialer"/> opens the call around <see cref="AgentWorkbench.Record"/>): the
/// contact, the task's new state and the attempt are committed together or not at all. A lease or call id reported
/// meanwhile by a concurrent request rolls the whole outcome back (<see cref="AlreadyReported"/>). Outcomes saved on
/// the task page carry no dialer call and are left alone.
/// </summary>
public sealed class DialerAttemptStep(Db db, RegionClock clock) : IOutcomeStep
{
    public sealed class Call(string integration, long? leaseId, string? externalId, string disposition)
    {
        public string Integration { get; } = integration;
        public long? LeaseId { get; } = leaseId;
        public string? ExternalId { get; } = externalId;
        public string Disposition { get; } = disposition;
        public long AttemptId { get; set; }
        public DateTime ReportedAt { get; set; }
    }

    public sealed class AlreadyReported() : Exception("The dialer's call was reported already.");

    private static readonly AsyncLocal<Call?> Current = new();

    /// <summary>The dialer call the outcomes recorded until disposal belong to.</summary>
    public static IDisposable Begin(Call call)
    {
        Current.Value = call;
        return new End();
    }

    private sealed class End : IDisposable
    {
        public void Dispose() => Current.Value = null;
    }

    public void Write(DuckDBConnection connection, IDbTransaction transaction, RecordedOutcome outcome)
    {
        if (Current.Value is not { } call)
        {
            return;
        }
        var now = clock.Now;
        if (call.LeaseId is { } lease
            && connection.Execute(db.Sql.Get("dialer/lease_report.sql"), new { lease_id = lease, now }, transaction) != 1)
        {
            throw new AlreadyReported();
        }
        var attempt = connection.ExecuteScalar<long?>(db.Sql.Get("dialer/attempt_insert.sql"), new
        {
            lease_id = call.LeaseId, external_id = call.ExternalId, task_id = outcome.TaskId, integration = call.Integration,
            agent = outcome.Username, disposition = call.Disposition, contact_id = outcome.ContactId, now,
        }, transaction);
        call.AttemptId = attempt ?? throw new AlreadyReported();
        call.ReportedAt = now;
    }
}
