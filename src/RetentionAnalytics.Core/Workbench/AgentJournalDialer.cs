using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;
using RetentionAnalytics.Core.Access;
using RetentionAnalytics.Core.Warehouse;

namespace RetentionAnalytics.Core.Workbench;

/// <summary>A city of a campaign as a supervisor's handover to the dialer, or its stop, left it (<c>ops.dialer_campaign</c>).</summary>
public sealed record JournaledHandover(
    long CampaignId, string CityCode, string Mode, string Status, string HandedBy, DateTime HandedAt, string? StoppedBy, DateTime? StoppedAt)
{
    /// <summary>When the row last changed: a replayed row replaces an older one of its city only.</summary>
    [JsonIgnore]
    public DateTime ChangedAt => StoppedAt is { } stopped && stopped > HandedAt ? stopped : HandedAt;
}

/// <summary>A record served to the dialer (<c>ops.dialer_lease</c>, <c>dialer/lease_insert.sql</c>).</summary>
public sealed record JournaledLease(
    long LeaseId, long TaskId, long CampaignId, string CityCode, string Integration, string AgentUsername, DateTime LeasedAt, DateTime ExpiresAt);

/// <summary>
/// An attempt the dialer reported (<c>ops.dialer_attempt</c>), which also marked its lease reported; <see cref="ContactAt"/>
/// is the time of the outcome's contact row, which the node that takes over finds again after replaying the outcome.
/// </summary>
public sealed record JournaledAttempt(
    long AttemptId, long? LeaseId, string? ExternalId, long TaskId, long CampaignId, string CityCode, string Integration,
    string AgentUsername, string Disposition, DateTime ReportedAt, DateTime ContactAt);

/// <summary>An inbound call a telephony integration announced (<c>ops.inbound_call</c>, <c>telephony/insert_call.sql</c>).</summary>
public sealed record JournaledCall(
    long CallId, string Integration, string? ExternalId, string AgentUsername, string CallerNumber, DateTime ReceivedAt,
    string? SubscriberId, int Matches);

/// <summary>
/// The dialer's own rows and inbound calls in the agents' journal: a handover or stop (one row per city, as it left it),
/// the leases a request served, an attempt with the lease it reported, and an inbound call as announced. They keep the
/// ids the dialer and the telephony integration were given (a dialer reports a lease by its id, a portal reads a call
/// by its id), and each applies only where its row is not there yet, so a replay can run twice. An inbound call is
/// linked to its task and contact by the replay of the outcome saved for it (<c>InboundCallStep</c> runs in the
/// replayed outcome's transaction as it did on the writer).
/// </summary>
public sealed partial class AgentJournal
{
    private static bool IsDialerOrCall(string kind) => kind is "handover" or "lease" or "attempt" or "call";

    /// <summary>The cities a supervisor handed to the dialer, or stopped, as the change left them.</summary>
    public void Handed(Actor supervisor, IReadOnlyList<JournaledHandover> cities, DateTime madeAt)
    {
        if (cities.Count > 0)
        {
            Journaled("handover", cities.Count, () => Append(supervisor.Username, supervisor.IsSupervisor, madeAt,
                cities.Select(h => new Entry("handover", null, null, h))));
        }
    }

    /// <summary>The records one dialer request was served (one COPY however many).</summary>
    public void Leased(IReadOnlyList<JournaledLease> leases)
    {
        if (leases.Count > 0)
        {
            Journaled("lease", leases.Count, () => Append(leases[0].AgentUsername, false, leases[0].LeasedAt,
                leases.Select(l => new Entry("lease", l.TaskId, null, l))));
        }
    }

    /// <summary>An attempt the dialer reported, once its outcome was committed.</summary>
    public void Attempted(JournaledAttempt attempt) =>
        Journaled("attempt", 1, () => Append(attempt.AgentUsername, false, attempt.ReportedAt, [new Entry("attempt", attempt.TaskId, null, attempt)]));

    /// <summary>An inbound call as announced (its link to a task comes with the outcome saved for it).</summary>
    public void CallReceived(JournaledCall call) =>
        Journaled("call", 1, () => Append(call.AgentUsername, false, call.ReceivedAt, [new Entry("call", null, null, call)]));

    private void Journaled(string kind, int count, Action append)
    {
        try
        {
            append();
        }
        catch (Exception ex)
        {
            // the write itself is committed on this node; only a take-over before the next build would miss it
            log.LogWarning("{Count} {Kind} row(s) of the dialer or telephony were saved but not journaled ({ExceptionType}): they are lost if this node dies before its next published build",
                count, kind, ex.GetType().FullName);
        }
    }

    /// <summary>A dialer's or inbound call's row on this node's file: true applied, false already there (or its contact not yet).</summary>
    private static bool ApplyDialerOrCall(Db file, Row row)
    {
        switch (row.Kind)
        {
            case "handover":
                var h = JsonSerializer.Deserialize<JournaledHandover>(row.PayloadJson!, Json)!;
                var city = new
                {
                    campaign_id = h.CampaignId, city_code = h.CityCode, mode = h.Mode, status = h.Status, handed_by = h.HandedBy,
                    handed_at = h.HandedAt, stopped_by = h.StoppedBy, stopped_at = h.StoppedAt, changed_at = h.ChangedAt,
                };
                return Changes(file, ("cluster/journal_handover_older.sql", city), ("cluster/journal_handover.sql", city))[1] == 1;
            case "lease":
                var l = JsonSerializer.Deserialize<JournaledLease>(row.PayloadJson!, Json)!;
                return Change(file, "cluster/journal_lease.sql", new
                {
                    lease_id = l.LeaseId, task_id = l.TaskId, campaign_id = l.CampaignId, city_code = l.CityCode, integration = l.Integration,
                    agent = l.AgentUsername, leased_at = l.LeasedAt, expires_at = l.ExpiresAt,
                });
            case "attempt":
                var a = JsonSerializer.Deserialize<JournaledAttempt>(row.PayloadJson!, Json)!;
                var attempt = new
                {
                    attempt_id = a.AttemptId, lease_id = a.LeaseId, external_id = a.ExternalId, task_id = a.TaskId, campaign_id = a.CampaignId,
                    city_code = a.CityCode, integration = a.Integration, agent = a.AgentUsername, disposition = a.Disposition,
                    reported_at = a.ReportedAt, contact_at = a.ContactAt,
                };
                return Changes(file, ("cluster/journal_attempt.sql", attempt), ("cluster/journal_lease_reported.sql", attempt)).Sum() > 0;
            default:
                var c = JsonSerializer.Deserialize<JournaledCall>(row.PayloadJson!, Json)!;
                return Change(file, "cluster/journal_call.sql", new
                {
                    call_id = c.CallId, integration = c.Integration, external_id = c.ExternalId, agent = c.AgentUsername,
                    number = c.CallerNumber, received_at = c.ReceivedAt, subscriber_id = c.SubscriberId, matches = c.Matches,
                });
        }
    }
}
