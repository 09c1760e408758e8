using Dapper;
using Microsoft.Extensions.Logging;
using RetentionAnalytics.Core.Warehouse;

namespace RetentionAnalytics.Core.Sms;

public sealed record DispatchResult(int Deferred, int Suppressed, int Sent, int Retried, int Failed, int Receipts);

/// <summary>
/// One run of the outbox: compliance at send time (blacklist and opt-out, contact pressure, churned lines), quiet hours
/// (due messages wait until they end), then each due message through the gateway under its idempotency key. Every
/// state change is conditional on the state read, so a re-run, a second dispatcher or a stopped run never sends a
/// message twice; a refused message is retried with doubling waits up to <see cref="SmsOptions.MaxAttempts"/>.
/// Logs carry message ids and counts only.
/// </summary>
public sealed class SmsDispatcher(Db db, ISmsGateway gateway, SmsOptions options, TimeProvider clock, ILogger<SmsDispatcher> log)
{
    private sealed record DueMessage(
        long MessageId, long SendId, string SubscriberId, string IdempotencyKey, string Body, string Status, int Attempts,
        string Msisdn, string RequestedBy, long? CampaignId);

    public async Task<DispatchResult> RunAsync(CancellationToken cancellationToken = default)
    {
        var now = Now();
        int deferred = 0, suppressed = 0, sent = 0, retried = 0, failed = 0;
        if (IsQuiet(TimeOnly.FromDateTime(now)))
        {
            using var c = db.Connect();
            deferred = c.Execute(db.Sql.Get("sms/defer_quiet_hours.sql"), new { now, quiet_end = QuietEnd(now) });
        }
        else
        {
            using (var c = db.Connect())
            {
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
                }).ToList();
            }
            foreach (var message in due)
            {
                cancellationToken.ThrowIfCancellationRequested();
                switch (await SendOne(message, cancellationToken))
                {
                    case "sent": sent++; break;
                    case "retry": retried++; break;
                    case "failed": failed++; break;
                }
            }
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

    private async Task<string?> SendOne(DueMessage message, CancellationToken cancellationToken)
    {
        var now = Now();
        using (var c = db.Connect())
        {
            // the claim: only the run that moves the message from the state it read may send it
            var claimed = c.Execute(db.Sql.Get("sms/claim_message.sql"), new { now, message_id = message.MessageId, status = message.Status, attempts = message.Attempts });
            if (claimed == 0)
            {
                return null;
            }
        }
        var attempt = message.Attempts + 1;
        var answer = await gateway.SendAsync(message.IdempotencyKey, message.Msisdn, message.Body, cancellationToken);
        now = Now();
        using var conn = db.Connect();
        if (answer.Accepted)
        {
            using var tx = conn.BeginTransaction();
            var contactId = conn.ExecuteScalar<long>(db.Sql.Get("sms/insert_sms_contact.sql"), new { subscriber_id = message.SubscriberId, now, username = message.RequestedBy, campaign_id = message.CampaignId }, tx);
            var updated = conn.Execute(db.Sql.Get("sms/mark_sent.sql"), new { gateway_id = answer.GatewayMessageId, contact_id = contactId, now, message_id = message.MessageId }, tx);
            if (updated == 0)
            {
                tx.Rollback();
                return null;
            }
            tx.Commit();
            return "sent";
        }
        var final = !answer.Retryable || attempt >= options.MaxAttempts;
        // 30 s, 60 s, 120 s, ... after the first, second, third refusal
        var wait = TimeSpan.FromSeconds(options.RetryBaseSeconds * Math.Pow(2, attempt - 1));
        conn.Execute(db.Sql.Get("sms/mark_refused.sql"), new
        {
            status = final ? "failed" : "retry", error = answer.Error, next = now + wait, now, message_id = message.MessageId,
        });
        log.LogWarning("SMS message {MessageId} refused by the gateway ({Error}), attempt {Attempt}{Final}",
            message.MessageId, answer.Error, attempt, final ? ", given up" : "");
        return final ? "failed" : "retry";
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

    /// <summary>The next end of quiet hours after <paramref name="now"/>.</summary>
    public DateTime QuietEnd(DateTime now)
    {
        var end = now.Date + options.QuietEnd.ToTimeSpan();
        return end > now ? end : end.AddDays(1);
    }

    private DateTime Now() => clock.GetLocalNow().DateTime;
}
