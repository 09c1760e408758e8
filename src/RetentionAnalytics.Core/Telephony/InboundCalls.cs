using System.Data;
using Dapper;
using DuckDB.NET.Data;
using RetentionAnalytics.Core.Access;
using RetentionAnalytics.Core.Audit;
using RetentionAnalytics.Core.Customers;
using RetentionAnalytics.Core.Regions;
using RetentionAnalytics.Core.Warehouse;
using RetentionAnalytics.Core.Workbench;

namespace RetentionAnalytics.Core.Telephony;

/// <summary>Why a telephony integration's call announcement was refused.</summary>
public sealed class InboundCallException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;
}

/// <summary>
/// The screen pop of one inbound call as its agent sees it: the customer (360 and warehouse reasons) when the number
/// belongs to exactly one current subscriber of the agent's regions, their open task offered as the call's task;
/// otherwise only the number, for the search.
/// </summary>
public sealed record ScreenPop(
    long CallId, string CallerNumber, DateTime ReceivedAt, int Matches, CustomerView? Customer,
    IReadOnlyList<WarehouseReason> Reasons, TaskLine? OpenTask);

/// <summary>
/// Inbound calls announced by a telephony integration (CTI): <see cref="Announce"/> records the call in
/// <c>ops.inbound_call</c> with the one customer of the agent's regions the number matches (none when it matches
/// none or several, or only customers elsewhere) and notifies the agent's open portal through
/// <see cref="IInboundCallNotifier"/>; the portal then reads the pop by id (<see cref="PopFor"/>), scoped to the
/// agent again. When the agent saves an outcome for the call, <see cref="InboundCallStep"/> links the call to the task
/// and marks the contact as an inbound call. With several nodes each call is journaled (<see cref="AgentJournal.CallReceived"/>).
/// </summary>
public sealed class InboundCalls(
    Db db, AuditLog audit, RegionClock clock, Customer360 customers, IInboundCallNotifier notifier, AgentJournal? journal = null)
{
    public const string AnnounceAction = "cti_call";

    /// <summary>Records and announces a call; the audit row names the integration, the agent and the call id, never the number.</summary>
    public long Announce(string integration, string agentUsername, string callerNumber, string? externalId)
    {
        var number = Normalize(callerNumber);
        if (number.Length is < 3 or > 20 || !number.All(char.IsAsciiDigit))
        {
            throw new InboundCallException("invalid_number", "The caller's number is not a phone number.");
        }
        if (externalId is { Length: > 64 })
        {
            throw new InboundCallException("invalid_call_id", "The call id is longer than 64 characters.");
        }
        long callId;
        using (var c = db.Connect())
        {
            if (AgentAccounts.Find(db, agentUsername) is not { } a)
            {
                audit.Write(null, AnnounceAction, null, "failed", $"integration={integration};unknown_agent");
                throw new InboundCallException("unknown_agent", "No active agent with this user name.");
            }
            var scope = a.Scope;
            var matches = scope.IsEmpty
                ? []
                : c.Query<string>(db.Sql.Get("telephony/number_matches.sql"), scope.AddTo(new DynamicParameters(new { number }))).ToList();
            var now = clock.Now;
            var subscriberId = matches.Count == 1 ? matches[0] : null;
            callId = c.ExecuteScalar<long>(db.Sql.Get("telephony/insert_call.sql"), new
            {
                integration, external_id = externalId, agent = a.Username, number, now, subscriber_id = subscriberId, matches = matches.Count,
            });
            journal?.CallReceived(new JournaledCall(callId, integration, externalId, a.Username, number, now, subscriberId, matches.Count));
            audit.Write(a.Username, AnnounceAction, $"call:{callId}", detail: $"integration={integration};matches={Math.Min(matches.Count, 2)}");
        }
        notifier.Notify(agentUsername, callId);
        return callId;
    }

    /// <summary>The pop of a call announced to this agent, or null (another agent's call, or an unknown id).</summary>
    public ScreenPop? PopFor(Actor agent, CustomerViewer viewer, long callId)
    {
        Call? call;
        using (var c = db.Connect())
        {
            call = c.QuerySingleOrDefault<Call>(db.Sql.Get("telephony/call_for_agent.sql"), new { call_id = callId, agent = agent.Username });
        }
        if (call is null)
        {
            return null;
        }
        // the 360 is read scoped to the viewer again (and audited as a view): a customer who moved out of the agent's
        // regions since the call was announced is not shown
        var opened = call.SubscriberId is { } id ? customers.Read(id, viewer) : null;
        var openTask = opened?.View.Tasks.FirstOrDefault(t => t.IsOpen && t.AssignedTo == agent.Username);
        // a match no longer in scope counts as none: the pop then offers the search, which finds nothing there either
        var matches = opened is not null ? 1 : call.Matches == 1 ? 0 : call.Matches;
        return new ScreenPop(call.CallId, call.CallerNumber, call.ReceivedAt, matches, opened?.View, opened?.Reasons ?? [], openTask);
    }

    /// <summary>Digits only: a switch sends +86 138…, 138-…, or 0086…; the warehouse keeps the national number.</summary>
    public static string Normalize(string? number)
    {
        var digits = new string((number ?? "").Where(char.IsAsciiDigit).ToArray());
        if ((number ?? "").TrimStart().StartsWith('+') && digits.StartsWith("86", StringComparison.Ordinal) && digits.Length == 13)
        {
            return digits[2..];
        }
        return digits.StartsWith("0086", StringComparison.Ordinal) && digits.Length == 15 ? digits[4..] : digits;
    }

    private sealed record Call(long CallId, string AgentUsername, string CallerNumber, DateTime ReceivedAt, string? SubscriberId, int Matches, long? TaskId);
}

/// <summary>
/// Links a saved outcome to the inbound call it was made for (<see cref="OutcomeInput.InboundCallId"/>), inside the
/// outcome's transaction: the call gets its task and contact, the contact the channel <c>inbound_call</c>. A call id
/// that is not the agent's own call for this subscriber changes nothing.
/// </summary>
public sealed class InboundCallStep(Db db) : IOutcomeStep
{
    public void Write(DuckDBConnection connection, IDbTransaction transaction, RecordedOutcome outcome)
    {
        if (outcome.Input.InboundCallId is not { } callId)
        {
            return;
        }
        var linked = connection.Execute(db.Sql.Get("telephony/link_call.sql"), new
        {
            call_id = callId, agent = outcome.Username, subscriber_id = outcome.SubscriberId, task_id = outcome.TaskId, contact_id = outcome.ContactId,
        }, transaction);
        if (linked == 1)
        {
            connection.Execute(db.Sql.Get("telephony/mark_contact_inbound.sql"), new { contact_id = outcome.ContactId }, transaction);
        }
    }
}
