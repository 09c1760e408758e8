using System.Globalization;
using Dapper;
using Microsoft.Extensions.Logging;
using RetentionAnalytics.Core.Blacklist;
using RetentionAnalytics.Core.Regions;
using RetentionAnalytics.Core.Warehouse;

namespace RetentionAnalytics.Core.Sms;

public sealed record DispatchResult(int Deferred, int Suppressed, int Sent, int Retried, int Failed, int Receipts);

/// <summary>
/// One run of the outbox: compliance at send time (blacklist and opt-out, contact pressure, churned lines), quiet hours
/// in the recipient's zone (due messages wait until they end there), then each due message through the gateway under
/// its idempotency key. Every
/// state change is conditional on the state read, so a re-run, a second dispatcher or a stopped run never sends a
/// message twice; a refused message is retried with doubling waits up to <see cref="SmsOptions.MaxAttempts"/>.
/// Logs carry message ids and counts only.
/// </summary>
public sealed class SmsDispatcher(Db db, ISmsGateway gateway, SmsOptions options, RegionClock clock, ILogger<SmsDispatcher> log)
{
    private sealed record DueMessage(
        long MessageId, long SendId, string SubscriberId, string IdempotencyKey, string Body, string Status, int Attempts,
        string Msisdn, string RequestedBy, long? CampaignId, long? TaskId);

    public async Task<DispatchResult> RunAsync(CancellationToken cancellationToken = default)
    {
        using (var check = db.Connect())
        {
            // before the first build nothing can have been queued, and the checks read the subscriber dimension
            if (!Etl.Loading.Loader.TableExists(check, "dw", "dim_subscriber"))
            {
                return new DispatchResult(0, 0, 0, 0, 0, 0);
            }
        }
        var now = Now();
        var quiet = QuietCities();
        int deferred = 0, suppressed = 0, sent = 0, retried = 0, failed = 0;
        using (var c = db.Ops.Connect())
        {
            // each zone's due messages wait until quiet hours end there; then they are no longer due below
            foreach (var group in clock.Groups())
            {
                var local = clock.LocalNow(group.Zone);
                if (IsQuiet(TimeOnly.FromDateTime(local)))
                {
                    deferred += c.Execute(db.Ops.Sql.Get("sms/defer_quiet_hours.sql"), new
                    {
                        now, quiet_end = clock.ToStored(QuietEnd(local), group.Zone),
                        cities = group.Cities is { } cities ? string.Join(',', cities) : null, except_cities = string.Join(',', group.ExceptCities),
                    });
                }
            }
        }
        if (!quiet.All)
        {
            suppressed = Suppress(now);
            (sent, retried, failed) = await SendBatch(Due(now, quiet), cancellationToken);
        }
        var receipts = await PollReceipts(cancellationToken);
        var result = new DispatchResult(deferred, suppressed, sent, retried, failed, receipts);
        if (result != new DispatchResult(0, 0, 0, 0, 0, 0))
        {
            log.LogInformation("SMS dispatch: {Sent} sent, {Retried} to retry, {Failed} failed, {Suppressed} suppressed, {Deferred} deferred, {Receipts} receipts",
                sent, retried, failed, suppressed, deferred, receipts);
        }
        return result;
    }

    /// <summary>
    /// Compliance at send time, in three steps because the outbox is operational data and the checks read the
    /// warehouse: the due messages are read from the outbox, judged beside the warehouse (subscriber, blacklist in
    /// force, contact pressure), and the stopped ones are marked suppressed while they are still waiting.
    /// </summary>
    private int Suppress(DateTime now)
    {
        var today = DateOnly.FromDateTime(now);
        List<(long MessageId, string Reason)> stopped;
        using (var w = db.Connect())
        {
            w.Execute("drop table if exists sms_due; create temp table sms_due (message_id bigint, subscriber_id varchar)");
            using (var ops = db.Ops.Connect())
            {
                OpsDb.Append(w, null, "sms_due", ["message_id", "subscriber_id"],
                    ops.Query<(long MessageId, string SubscriberId)>(db.Ops.Sql.Get("sms/due_for_checks.sql"), new { now }, buffered: false)
                        .Select(m => new object?[] { m.MessageId, m.SubscriberId }));
            }
            BlacklistInForce.Stage(db, w, null, BlacklistInForce.Sms, today);
            stopped = w.Query<(long MessageId, string Reason)>(db.Sql.Get("sms/suppression_reasons.sql"), new
            {
                today, contact_window_days = options.ContactWindowDays, max_contacts = options.MaxContacts,
            }, commandTimeout: 0).ToList();
            w.Execute("drop table sms_due; drop table blacklist_in_force");
        }
        if (stopped.Count == 0)
        {
            return 0;
        }
        using var c = db.Ops.Connect();
        c.Execute("drop table if exists sms_suppress; create temp table sms_suppress (message_id bigint, reason varchar)");
        OpsDb.Append(c, null, "sms_suppress", ["message_id", "reason"], stopped.Select(m => new object?[] { m.MessageId, m.Reason }));
        var suppressed = c.Execute(db.Ops.Sql.Get("sms/suppress_due.sql"), new { now });
        c.Execute("drop table sms_suppress");
        return suppressed;
    }

    private sealed record DueRow(
        long MessageId, long SendId, string SubscriberId, string IdempotencyKey, string Body, string Status, int Attempts,
        string RequestedBy, string AudienceKind, string AudienceRef);

    /// <summary>
    /// The next batch of due messages from the outbox, each with its number and, for an agent's SMS instead of a call,
    /// its task and campaign, looked up in the warehouse by key. A message whose subscriber is no longer current
    /// there is not sent.
    /// </summary>
    private List<DueMessage> Due(DateTime now, (bool All, bool Province, string Overrides, string QuietOverrides) quiet)
    {
        List<DueRow> rows;
        using (var c = db.Ops.Connect())
        {
            rows = c.Query<DueRow>(db.Ops.Sql.Get("sms/due_messages.sql"), new
            {
                now, stale_before = now.AddMinutes(-options.StaleSendingMinutes), batch_size = options.BatchSize,
                quiet_province = quiet.Province, override_cities = quiet.Overrides, quiet_cities = quiet.QuietOverrides,
            }).ToList();
        }
        if (rows.Count == 0)
        {
            return [];
        }
        var taskIds = rows.Where(r => r.AudienceKind == SmsAudience.Task)
            .Select(r => long.TryParse(r.AudienceRef, NumberStyles.None, CultureInfo.InvariantCulture, out var t) ? t : (long?)null)
            .OfType<long>().Distinct().ToList();
        Dictionary<string, string> numbers;
        Dictionary<long, long> campaignOfTask;
        using (var w = db.Connect())
        {
            numbers = w.Query<(string SubscriberId, string Msisdn)>(db.Sql.Get("sms/recipients.sql"),
                    new { ids = string.Join(',', rows.Select(r => r.SubscriberId).Distinct()) })
                .ToDictionary(r => r.SubscriberId, r => r.Msisdn);
            campaignOfTask = taskIds.Count == 0 ? [] : w.Query<(long TaskId, long CampaignId)>(db.Sql.Get("sms/task_campaigns.sql"),
                    new { task_ids = string.Join(',', taskIds.Select(t => t.ToString(CultureInfo.InvariantCulture))) })
                .ToDictionary(r => r.TaskId, r => r.CampaignId);
        }
        var due = new List<DueMessage>(rows.Count);
        foreach (var r in rows)
        {
            if (!numbers.TryGetValue(r.SubscriberId, out var msisdn))
            {
                continue;
            }
            long? taskId = null, campaignId = null;
            if (r.AudienceKind == SmsAudience.CallList)
            {
                // a call list is referred to as "campaign_id:..."
                campaignId = long.TryParse(r.AudienceRef.Split(':')[0], NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;
            }
            else if (r.AudienceKind == SmsAudience.Task
                && long.TryParse(r.AudienceRef, NumberStyles.None, CultureInfo.InvariantCulture, out var task)
                && campaignOfTask.TryGetValue(task, out var campaign))
            {
                (taskId, campaignId) = (task, campaign);
            }
            due.Add(new DueMessage(r.MessageId, r.SendId, r.SubscriberId, r.IdempotencyKey, r.Body, r.Status, r.Attempts,
                msisdn, r.RequestedBy, campaignId, taskId));
        }
        return due;
    }

    private sealed record Outcome(DueMessage Message, GatewaySendResult Answer);

    /// <summary>
    /// Claims the due messages in one conditional update (only those still in the state and attempt count read), hands
    /// them to the gateway a few at a time, then records the answers set-based: accepted messages become sent with one
    /// ops.contact row each, refused ones wait for their retry or fail for good.
    /// </summary>
    private async Task<(int Sent, int Retried, int Failed)> SendBatch(List<DueMessage> due, CancellationToken cancellationToken)
    {
        if (due.Count == 0)
        {
            return (0, 0, 0);
        }
        HashSet<long> claimed;
        using (var c = db.Ops.Connect())
        {
            c.Execute("drop table if exists sms_claim; create temp table sms_claim (message_id bigint, status varchar, attempts integer)");
            OpsDb.Append(c, null, "sms_claim", ["message_id", "status", "attempts"], due.Select(m => new object?[] { m.MessageId, m.Status, m.Attempts }));
            claimed = c.Query<long>(db.Ops.Sql.Get("sms/claim_messages.sql"), new { now = Now() }).ToHashSet();
            c.Execute("drop table sms_claim");
        }
        var outcomes = new System.Collections.Concurrent.ConcurrentBag<Outcome>();
        await Parallel.ForEachAsync(due.Where(m => claimed.Contains(m.MessageId)),
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.GatewayParallelism), CancellationToken = cancellationToken },
            async (message, token) => outcomes.Add(new Outcome(message, await gateway.SendAsync(message.IdempotencyKey, message.Msisdn, message.Body, token))));

        var now = Now();
        var accepted = outcomes.Where(o => o.Answer.Accepted).ToList();
        var refused = outcomes.Where(o => !o.Answer.Accepted)
            .Select(o => (o.Message, o.Answer, Attempt: o.Message.Attempts + 1,
                Final: !o.Answer.Retryable || o.Message.Attempts + 1 >= options.MaxAttempts))
            .ToList();
        // the contacts are the warehouse's (the agents' contact history): their ids first, then the outbox marks the
        // messages sent with them, then the contacts of the messages it marked are written
        List<long> contactIds;
        using (var w = db.Connect())
        {
            contactIds = accepted.Count == 0 ? [] : w.Query<long>(db.Sql.Get("sms/next_contact_ids.sql"), new { count = accepted.Count }).ToList();
        }
        var contactOf = accepted.Select((o, i) => (o, ContactId: contactIds[i])).ToDictionary(x => x.o.Message.MessageId, x => x.ContactId);
        HashSet<long> marked;
        using (var c = db.Ops.Connect())
        {
            c.Execute("""
                drop table if exists sms_accepted;
                drop table if exists sms_refused;
                create temp table sms_accepted (message_id bigint, gateway_message_id varchar, contact_id bigint);
                create temp table sms_refused (message_id bigint, status varchar, last_error varchar, next_attempt_at timestamp)
                """);
            using (var tx = c.BeginTransaction())
            {
                OpsDb.Append(c, null, "sms_accepted", ["message_id", "gateway_message_id", "contact_id"],
                    accepted.Select(o => new object?[] { o.Message.MessageId, o.Answer.GatewayMessageId, contactOf[o.Message.MessageId] }));
                // 30 s, 60 s, 120 s, ... after the first, second, third refusal
                OpsDb.Append(c, null, "sms_refused", ["message_id", "status", "last_error", "next_attempt_at"],
                    refused.Select(r => new object?[]
                    {
                        r.Message.MessageId, r.Final ? "failed" : "retry", r.Answer.Error,
                        now + TimeSpan.FromSeconds(options.RetryBaseSeconds * Math.Pow(2, r.Attempt - 1)),
                    }));
                marked = c.Query<long>(db.Ops.Sql.Get("sms/mark_sent.sql"), new { now }, tx).ToHashSet();
                c.Execute(db.Ops.Sql.Get("sms/mark_refused.sql"), new { now }, tx);
                tx.Commit();
            }
            c.Execute("drop table sms_accepted; drop table sms_refused");
        }
        if (marked.Count > 0)
        {
            using var w = db.Connect();
            w.Execute("""
                drop table if exists sms_contact;
                create temp table sms_contact (contact_id bigint, subscriber_id varchar, task_id bigint, username varchar, campaign_id bigint)
                """);
            OpsDb.Append(w, null, "sms_contact", ["contact_id", "subscriber_id", "task_id", "username", "campaign_id"],
                accepted.Where(o => marked.Contains(o.Message.MessageId)).Select(o => new object?[]
                {
                    contactOf[o.Message.MessageId], o.Message.SubscriberId, o.Message.TaskId, o.Message.RequestedBy, o.Message.CampaignId,
                }));
            w.Execute(db.Sql.Get("sms/insert_sms_contacts.sql"), new { now });
            w.Execute("drop table sms_contact");
        }
        foreach (var r in refused)
        {
            log.LogWarning("SMS message {MessageId} refused by the gateway ({Error}), attempt {Attempt}{Final}",
                r.Message.MessageId, r.Answer.Error, r.Attempt, r.Final ? ", given up" : "");
        }
        return (accepted.Count, refused.Count(r => !r.Final), refused.Count(r => r.Final));
    }

    private async Task<int> PollReceipts(CancellationToken cancellationToken)
    {
        List<string> ids;
        using (var c = db.Ops.Connect())
        {
            ids = c.Query<string>(db.Ops.Sql.Get("sms/awaiting_receipts.sql"), new { batch_size = options.BatchSize }).ToList();
        }
        if (ids.Count == 0)
        {
            return 0;
        }
        var receipts = await gateway.ReceiptsAsync(ids, cancellationToken);
        return Apply(receipts);
    }

    /// <summary>Final receipts (delivered, failed) onto sent messages and their contacts; others are ignored.</summary>
    public int Apply(IReadOnlyList<GatewayReceipt> receipts)
    {
        var final = receipts.Where(r => r.Status is "delivered" or "failed").ToList();
        if (final.Count == 0)
        {
            return 0;
        }
        int applied;
        List<(long ContactId, string Status)> outcomes;
        using (var c = db.Ops.Connect())
        {
            c.Execute("drop table if exists sms_receipt; create temp table sms_receipt (message_id varchar, status varchar)");
            OpsDb.Append(c, null, "sms_receipt", ["message_id", "status"], final.Select(r => new object?[] { r.MessageId, r.Status }));
            applied = c.ExecuteScalar<int>(db.Ops.Sql.Get("sms/count_receipt_matches.sql"));
            using (var tx = c.BeginTransaction())
            {
                c.Execute(db.Ops.Sql.Get("sms/apply_receipts.sql"), new { now = Now() }, tx);
                outcomes = c.Query<(long ContactId, string Status)>(db.Ops.Sql.Get("sms/receipt_contacts.sql"), transaction: tx).ToList();
                tx.Commit();
            }
            c.Execute("drop table sms_receipt");
        }
        if (outcomes.Count > 0)
        {
            // the contacts are the warehouse's: their outcome follows the receipt
            using var w = db.Connect();
            w.Execute("drop table if exists sms_contact_outcome; create temp table sms_contact_outcome (contact_id bigint, status varchar)");
            OpsDb.Append(w, null, "sms_contact_outcome", ["contact_id", "status"], outcomes.Select(o => new object?[] { o.ContactId, o.Status }));
            w.Execute(db.Sql.Get("sms/apply_receipts_contacts.sql"));
            w.Execute("drop table sms_contact_outcome");
        }
        return applied;
    }

    public bool IsQuiet(TimeOnly t) =>
        options.QuietStart == options.QuietEnd ? false
        : options.QuietStart < options.QuietEnd ? t >= options.QuietStart && t < options.QuietEnd
        : t >= options.QuietStart || t < options.QuietEnd;

    /// <summary>
    /// Where it is quiet now: the province's zone (every city without an override) and the override cities in quiet
    /// hours; a message to one of them is not sent in this run even if it became due after the deferral.
    /// </summary>
    private (bool All, bool Province, string Overrides, string QuietOverrides) QuietCities()
    {
        var groups = clock.Groups().Select(g => (Group: g, Quiet: IsQuiet(TimeOnly.FromDateTime(clock.LocalNow(g.Zone))))).ToList();
        var province = groups.Single(g => g.Group.Cities is null);
        var overrides = groups.Where(g => g.Group.Cities is not null).ToList();
        return (groups.All(g => g.Quiet), province.Quiet, string.Join(',', province.Group.ExceptCities),
            string.Join(',', overrides.Where(g => g.Quiet).SelectMany(g => g.Group.Cities!)));
    }

    /// <summary>The next end of quiet hours after <paramref name="now"/>.</summary>
    public DateTime QuietEnd(DateTime now)
    {
        var end = now.Date + options.QuietEnd.ToTimeSpan();
        return end > now ? end : end.AddDays(1);
    }

    private DateTime Now() => clock.Now;
}
