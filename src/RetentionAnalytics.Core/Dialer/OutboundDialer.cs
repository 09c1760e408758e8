using System.Data;
using Dapper;
using DuckDB.NET.Data;
using RetentionAnalytics.Core.Access;
using RetentionAnalytics.Core.Audit;
using RetentionAnalytics.Core.Regions;
using RetentionAnalytics.Core.Sms;
using RetentionAnalytics.Core.Blacklist;
using RetentionAnalytics.Core.Warehouse;
using RetentionAnalytics.Core.Workbench;

namespace RetentionAnalytics.Core.Dialer;

/// <summary>
/// The dialer's side of a campaign handed over by a supervisor (<see cref="DialerDesk"/>): <see cref="Next"/> serves the
/// next records to dial (preview: one for the agent who asks; progressive: one per free agent), each reserved by a
/// lease until the dialer reports it or the lease expires; <see cref="Report"/> turns a disposition into an attempt and
/// an outcome on the task through the agent workbench's own outcome transaction (<see cref="AgentWorkbench.Record"/>),
/// as if the agent who took the call had saved it, plus the <c>ops.dialer_attempt</c> row in the same transaction
/// (<see cref="DialerAttemptStep"/>).
/// </summary>
public sealed class OutboundDialer(
    Db db, AuditLog audit, RegionClock clock, WorkbenchOptions workbench, SmsOptions pressure, DialerOptions options,
    AgentWorkbench agents)
{
    public const string ServeAction = "dialer_serve";
    public const string ReportAction = "dialer_report";

    // one writer process serves a warehouse (DuckDB); serving is a read then a lease insert, so requests take turns:
    // two dialer requests never see the same task as free
    private static readonly object ServeLock = new();

    /// <summary>The agents' journal with several nodes (null with one process), for the supervisor's handovers.</summary>
    internal AgentJournal? Journal => agents.Journal;

    /// <summary>The next records of the campaign for the given agents (preview: exactly one agent).</summary>
    public DialerBatch Next(string integration, long campaignId, IReadOnlyList<string>? agentNames)
    {
        var names = (agentNames ?? []).Select(a => (a ?? "").Trim().ToLowerInvariant()).Where(a => a.Length > 0).Distinct().ToList();
        if (names.Count == 0)
        {
            throw new DialerException(400, "agents_required", "Name the free agent(s) to serve.");
        }
        if (names.Count > options.MaxAgentsPerRequest)
        {
            throw new DialerException(400, "too_many_agents", $"At most {options.MaxAgentsPerRequest} agents per request.");
        }
        using var c = db.Connect();
        var handed = c.Query<(string CityCode, string Mode)>(db.Sql.Get("dialer/handover_cities.sql"), new { campaign_id = campaignId }).ToList();
        if (handed.Count == 0)
        {
            throw new DialerException(404, "not_handed_over", "The campaign is not handed to the dialer.");
        }
        var mode = handed[0].Mode;
        if (mode == "preview" && names.Count != 1)
        {
            throw new DialerException(400, "preview_one_agent", "In preview mode one agent asks for their next record.");
        }
        var accounts = names.Select(n => Account(n) ?? throw new DialerException(404, "unknown_agent", "No active agent with this user name.")).ToList();
        // calling hours on each city's own clock: a city outside them is not served at all
        var open = handed.Where(h => workbench.IsCallingTime(clock.LocalNow(h.CityCode))).Select(h => h.CityCode).ToList();
        var records = new List<DialerRecord>();
        var leases = new List<JournaledLease>();
        if (open.Count > 0)
        {
            lock (ServeLock)
            {
                var now = clock.Now;
                var candidates = Candidates(c, campaignId, open, now, limit: 200 + 20 * accounts.Count);
                var taken = new HashSet<long>();
                var expires = now.AddSeconds(mode == "preview" ? options.PreviewLeaseSeconds : options.ProgressiveLeaseSeconds);
                // the request's leases in one transaction: one commit however many agents it serves
                using var tx = c.BeginTransaction();
                foreach (var agent in accounts)
                {
                    var pick = candidates.FirstOrDefault(t => !taken.Contains(t.TaskId) && agent.Scope.Allows(t.CityCode)
                        && (t.Status == "open" || t.AssignedTo == agent.Username));
                    if (pick is null)
                    {
                        continue;
                    }
                    taken.Add(pick.TaskId);
                    var leaseId = c.ExecuteScalar<long>(db.Sql.Get("dialer/lease_insert.sql"), new
                    {
                        task_id = pick.TaskId, campaign_id = campaignId, city_code = pick.CityCode, integration,
                        agent = agent.Username, now, expires_at = expires,
                    }, tx);
                    leases.Add(new JournaledLease(leaseId, pick.TaskId, campaignId, pick.CityCode, integration, agent.Username, now, expires));
                    records.Add(new DialerRecord(leaseId, pick.TaskId, pick.SubscriberId, pick.Msisdn, pick.CustomerName, pick.CityCode,
                        clock.ZoneOf(pick.CityCode).Id, clock.LocalNow(pick.CityCode), agent.Username, pick.CallbackDue,
                        pick.CallbackAt is { } at ? clock.ToLocal(at, pick.CityCode) : null, pick.Attempts, workbench.MaxAttempts,
                        expires));
                }
                tx.Commit();
            }
            agents.Journal?.Leased(leases);
        }
        // identifiers only: the tasks served, never a number
        audit.Write(null, ServeAction, $"campaign:{campaignId}",
            detail: $"integration={integration};mode={mode};agents={accounts.Count};served={records.Count};tasks={string.Join(',', records.Select(r => r.TaskId))}");
        return new DialerBatch(campaignId, mode, records);
    }

    internal sealed record Candidate(
        long TaskId, string SubscriberId, string CityCode, string Status, string? AssignedTo, DateTime? CallbackAt, int Attempts,
        int Version, string Msisdn, string? CustomerName, bool CallbackDue);

    internal List<Candidate> Candidates(DuckDBConnection c, long campaignId, IReadOnlyList<string> cities, DateTime now, int limit)
    {
        var today = DateOnly.FromDateTime(now);
        BlacklistInForce.Stage(db, c, null, BlacklistInForce.Call, today);
        return c.Query<Candidate>(db.Sql.Get("dialer/candidates.sql"), CandidateArguments(campaignId, cities, now, limit)).ToList();
    }

    /// <summary>How many records <see cref="Candidates"/> would give: for any free agent, and only for the agent assigned.</summary>
    internal (int ForAnyAgent, int ForTheirAgent) CountCandidates(DuckDBConnection c, long campaignId, IReadOnlyList<string> cities, DateTime now)
    {
        BlacklistInForce.Stage(db, c, null, BlacklistInForce.Call, DateOnly.FromDateTime(now));
        var sql = db.Sql.Get("dialer/candidates.sql").TrimEnd().TrimEnd(';');
        return c.QuerySingle<(int, int)>(
            $"select cast(count(*) filter (where status = 'open') as integer), cast(count(*) filter (where status <> 'open') as integer) from ({sql}) as candidates",
            CandidateArguments(campaignId, cities, now, int.MaxValue));
    }

    private object CandidateArguments(long campaignId, IReadOnlyList<string> cities, DateTime now, int limit) => new
    {
        campaign_id = campaignId, cities = string.Join(',', cities), now, today = DateOnly.FromDateTime(now),
        max_attempts = workbench.MaxAttempts, contact_window_days = pressure.ContactWindowDays, max_contacts = pressure.MaxContacts,
        limit,
    };

    /// <summary>An active agent account and its regions; null when there is none.</summary>
    internal Actor? Account(string username) =>
        AgentAccounts.Find(db, username) is { } a ? new Actor(a.Username, a.Scope) : null;

    /// <summary>
    /// The disposition of a served record. A lease reported before answers its first attempt again (nothing is
    /// applied twice); an expired lease is still accepted while no other request holds its task (the call happened).
    /// </summary>
    public DispositionResult Report(string integration, long campaignId, long leaseId, DispositionInput input)
    {
        Lease? lease;
        using (var c = db.Connect())
        {
            lease = c.QuerySingleOrDefault<Lease>(db.Sql.Get("dialer/lease_by_id.sql"), new { lease_id = leaseId, now = clock.Now });
            // a record is reported by the integration it was served to
            if (lease is null || lease.CampaignId != campaignId || lease.Integration != integration)
            {
                throw new DialerException(404, "unknown_lease", "No such record was served for this campaign.");
            }
            if (lease.ReportedAt is not null)
            {
                return Previous(c, "dialer/attempt_by_lease.sql", new { lease_id = leaseId })
                    ?? throw new DialerException(409, "lease_reported", "This record was reported already.");
            }
            if (lease.TakenSince)
            {
                throw new DialerException(409, "lease_expired", "The record's lease expired and it was served again.");
            }
        }
        var agent = string.IsNullOrWhiteSpace(input.Agent) ? lease.AgentUsername : input.Agent;
        return Apply(integration, campaignId, lease.TaskId, leaseId, input with { Agent = agent });
    }

    private sealed record Lease(long LeaseId, long TaskId, long CampaignId, string Integration, string AgentUsername, DateTime ExpiresAt, DateTime? ReportedAt, bool TakenSince);

    private sealed record Taken(long TaskId, long CampaignId, string SubscriberId, string CityCode, string Status, string? AssignedTo, int Version, int Attempts);

    /// <summary>
    /// Applies one attempt to a task of the campaign: the agent who took the call gets the task (it becomes their call in
    /// progress) and the outcome is recorded by <see cref="AgentWorkbench.Record"/>; a refused outcome puts the task back
    /// as it was. Also the path of a results file's rows (<see cref="DialerResultsImport"/>), without a lease.
    /// </summary>
    internal DispositionResult Apply(string integration, long campaignId, long taskId, long? leaseId, DispositionInput input)
    {
        var disposition = (input.Disposition ?? "").Trim().ToLowerInvariant();
        if (!DialerVocabulary.Outcomes.TryGetValue(disposition, out var outcome))
        {
            throw new DialerException(400, "invalid_disposition", $"disposition must be one of {string.Join(", ", DialerVocabulary.Outcomes.Keys)}");
        }
        if (input.CallId is { Length: > 64 })
        {
            throw new DialerException(400, "invalid_call_id", "The call id is longer than 64 characters.");
        }
        var callId = string.IsNullOrWhiteSpace(input.CallId) ? null : input.CallId.Trim();
        var username = (input.Agent ?? "").Trim().ToLowerInvariant();
        Actor actor;
        Taken task;
        using (var c = db.Connect())
        {
            if (callId is not null && Previous(c, "dialer/attempt_by_external.sql", new { integration, external_id = callId }) is { } before)
            {
                return before;
            }
            actor = (username.Length == 0 ? null : Account(username))
                ?? throw new DialerException(404, "unknown_agent", "No active agent with this user name.");
            task = c.QuerySingleOrDefault<Taken>(db.Sql.Get("dialer/task_of_campaign.sql"), new { task_id = taskId, campaign_id = campaignId })
                ?? throw new DialerException(404, "unknown_task", "No such task in this campaign.");
            if (!actor.Scope.Allows(task.CityCode))
            {
                throw new DialerException(422, "agent_out_of_scope", "The agent does not serve the customer's region.");
            }
            if (task.Status is "done" or "closed")
            {
                throw new DialerException(422, "task_finished", "The task is finished.");
            }
            if (task.Status == "in_progress" && task.AssignedTo != actor.Username)
            {
                throw new DialerException(409, "task_held_elsewhere", "Another agent has this task open.");
            }
        }

        var version = task.Version;
        var tookIt = false;
        if (task.Status != "in_progress")
        {
            using var c = db.Connect();
            try
            {
                var now = clock.Now;
                var taken = c.Execute(db.Sql.Get("dialer/take_task.sql"), new { task_id = taskId, version, agent = actor.Username, now });
                if (taken != 1)
                {
                    throw new DialerException(409, "task_changed", "The task changed meanwhile; report again.");
                }
                agents.Journal?.Taken(actor, taskId, version, now);
            }
            catch (DuckDBException ex) when (ex.Message.Contains("conflict", StringComparison.OrdinalIgnoreCase))
            {
                throw new DialerException(409, "task_changed", "The task changed meanwhile; report again.");
            }
            version++;
            tookIt = true;
        }

        var call = new DialerAttemptStep.Call(integration, leaseId, callId, disposition);
        try
        {
            RecordedOutcome recorded;
            using (DialerAttemptStep.Begin(call))
            {
                recorded = agents.Record(actor, new OutcomeInput(taskId, outcome, input.Result, input.ChurnReasonId, Notes: input.Notes,
                    CallbackAt: input.CallbackAt, Version: version));
            }
            agents.Journal?.Attempted(new JournaledAttempt(call.AttemptId, leaseId, callId, taskId, task.CampaignId, task.CityCode, integration,
                actor.Username, disposition, call.ReportedAt, recorded.At));
            audit.Write(actor.Username, ReportAction, $"task:{taskId}",
                detail: $"integration={integration};attempt={call.AttemptId};disposition={disposition};status={recorded.Status}");
            return new DispositionResult(call.AttemptId, taskId, recorded.ContactId, disposition, outcome, recorded.Status, Repeated: false);
        }
        catch (Exception ex) when (ex is WorkbenchException or DialerAttemptStep.AlreadyReported)
        {
            if (tookIt)
            {
                using var c = db.Connect();
                var now = clock.Now;
                if (c.Execute(db.Sql.Get("dialer/untake_task.sql"), new
                    {
                        task_id = taskId, version, assigned_to = task.AssignedTo, status = task.Status, now,
                    }) == 1)
                {
                    agents.Journal?.Untaken(actor, taskId, version, task.AssignedTo, task.Status, now);
                }
            }
            if (ex is DialerAttemptStep.AlreadyReported)
            {
                using var c = db.Connect();
                return (leaseId is { } l ? Previous(c, "dialer/attempt_by_lease.sql", new { lease_id = l }) : null)
                    ?? Previous(c, "dialer/attempt_by_external.sql", new { integration, external_id = callId })
                    ?? throw new DialerException(409, "lease_reported", "This record was reported already.");
            }
            throw DialerException.From((WorkbenchException)ex);
        }
    }

    private sealed record PreviousAttempt(long AttemptId, long TaskId, long ContactId, string Disposition, string Outcome, string Status);

    private DispositionResult? Previous(IDbConnection c, string sql, object args) =>
        c.QuerySingleOrDefault<PreviousAttempt>(db.Sql.Get(sql), args) is { } p
            ? new DispositionResult(p.AttemptId, p.TaskId, p.ContactId, p.Disposition, p.Outcome, p.Status, Repeated: true)
            : null;
}
