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
        using (var c = db.Connect())
        {
            // each zone's due messages wait until quiet hours end there; then they are no longer due below
            foreach (var group in clock.Groups())
            {
                var local = clock.LocalNow(group.Zone);
                if (IsQuiet(TimeOnly.FromDateTime(local)))
                {
                    deferred += c.Execute(db.Sql.Get("sms/defer_quiet_hours.sql"), new
                    {
                        now, quiet_end = clock.ToStored(QuietEnd(local), group.Zone),
                        cities = group.Cities is { } cities ? string.Join(',', cities) : null, except_cities = string.Join(',', group.ExceptCities),
                    });
                }
            }
        }
        if (!quiet.All)
        {
            using (var c = db.Connect())
            {
                BlacklistInForce.Stage(db, c, null, BlacklistInForce.Sms, DateOnly.FromDateTime(now));
                suppressed = c.Execute(db.Sql.Get("sms/suppress_due.sql"), new
                {
                    now, today = DateOnly.FromDateTime(now), contact_window_days = options.ContactWindowDays,
                    max_contacts = options.MaxContacts,
                }, commandTimeout: 0);
            }
            List<DueMessage> due;
            using (var c = db.Connect())
            {
                due = c.Query<DueMessage>(db.Sql.Get("sms/due_messages.sql"), new
                {
                    now, stale_before = now.AddMinutes(-options.StaleSendingMinutes), batch_size = options.BatchSize,
                    quiet_province = quiet.Province, override_cities = quiet.Overrides, quiet_cities = quiet.QuietOverrides,
                }).ToList();
            }
            (sent, retried, failed) = await SendBatch(due, cancellationToken);
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
        using (var c = db.Connect())
        {
            c.Execute("create or replace temp table sms_claim (message_id bigint, status varchar, attempts integer)");
            using (var appender = c.CreateAppender("sms_claim"))
            {
                foreach (var m in due)
                {
                    appender.CreateRow().AppendValue(m.MessageId).AppendValue(m.Status).AppendValue(m.Attempts).EndRow();
                }
            }
            claimed = c.Query<long>(db.Sql.Get("sms/claim_messages.sql"), new { now = Now() }).ToHashSet();
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
        using (var c = db.Connect())
        {
            c.Execute("""
                create or replace temp table sms_accepted (message_id bigint, subscriber_id varchar, gateway_message_id varchar,
                    username varchar, campaign_id bigint, contact_id bigint, task_id bigint);
                create or replace temp table sms_refused (message_id bigint, status varchar, last_error varchar, next_attempt_at timestamp)
                """);
            using (var appender = c.CreateAppender("sms_accepted"))
            {
                foreach (var o in accepted)
                {
                    var row = appender.CreateRow().AppendValue(o.Message.MessageId).AppendValue(o.Message.SubscriberId)
                        .AppendValue(o.Answer.GatewayMessageId).AppendValue(o.Message.RequestedBy);
                    row = o.Message.CampaignId is { } campaign ? row.AppendValue(campaign) : row.AppendNullValue();
                    row = row.AppendNullValue();
                    (o.Message.TaskId is { } task ? row.AppendValue(task) : row.AppendNullValue()).EndRow();
                }
            }
            using (var appender = c.CreateAppender("sms_refused"))
            {
                foreach (var r in refused)
                {
                    // 30 s, 60 s, 120 s, ... after the first, second, third refusal
                    var wait = TimeSpan.FromSeconds(options.RetryBaseSeconds * Math.Pow(2, r.Attempt - 1));
                    appender.CreateRow().AppendValue(r.Message.MessageId).AppendValue(r.Final ? "failed" : "retry")
                        .AppendValue(r.Answer.Error).AppendValue(now + wait).EndRow();
                }
            }
            using (var tx = c.BeginTransaction())
            {
                c.Execute(db.Sql.Get("sms/number_accepted_contacts.sql"), transaction: tx);
                c.Execute(db.Sql.Get("sms/insert_sms_contacts.sql"), new { now }, tx);
                c.Execute(db.Sql.Get("sms/mark_sent.sql"), new { now }, tx);
                c.Execute(db.Sql.Get("sms/mark_refused.sql"), new { now }, tx);
                tx.Commit();
            }
            c.Execute("drop table sms_accepted; drop table sms_refused");
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
        using (var c = db.Connect())
        {
            ids = c.Query<string>(db.Sql.Get("sms/awaiting_receipts.sql"), new { batch_size = options.BatchSize }).ToList();
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
        using var c = db.Connect();
        c.Execute("create or replace temp table sms_receipt (message_id varchar, status varchar)");
        using (var appender = c.CreateAppender("sms_receipt"))
        {
            foreach (var r in final)
            {
                appender.CreateRow().AppendValue(r.MessageId).AppendValue(r.Status).EndRow();
            }
        }
        var applied = c.ExecuteScalar<int>(db.Sql.Get("sms/count_receipt_matches.sql"));
        using (var tx = c.BeginTransaction())
        {
            c.Execute(db.Sql.Get("sms/apply_receipts.sql"), new { now = Now() }, tx);
            c.Execute(db.Sql.Get("sms/apply_receipts_contacts.sql"), transaction: tx);
            tx.Commit();
        }
        c.Execute("drop table sms_receipt");
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
