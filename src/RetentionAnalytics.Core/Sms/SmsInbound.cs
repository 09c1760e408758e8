using Dapper;
using Microsoft.Extensions.Logging;
using RetentionAnalytics.Core.Audit;
using RetentionAnalytics.Core.Warehouse;

namespace RetentionAnalytics.Core.Sms;

/// <summary>
/// Replies from subscribers. "TD", "STOP" or "退订" (trimmed, any case) is an opt-out: the subscriber goes on the
/// blacklist for SMS (reason opt_out, source sms_reply, no expiry) and the dispatcher suppresses every message still
/// waiting for them. The reply's text is not kept; the number is only used to find the subscriber (in the warehouse);
/// the reply and the opt-out are written together with the operational data.
/// </summary>
public sealed class SmsInbound(Db db, AuditLog audit, TimeProvider clock, ILogger<SmsInbound> log)
{
    private static readonly string[] OptOutWords = ["TD", "STOP", "退订"];

    public static bool IsOptOut(string? text) =>
        text is not null && OptOutWords.Contains(text.Trim().ToUpperInvariant(), StringComparer.Ordinal);

    /// <summary>Returns the subscriber id the reply came from, or null when the number is unknown.</summary>
    public string? Receive(string from, string? text, string? gatewayMessageId)
    {
        var now = db.Clock.At(clock.GetUtcNow());
        var optOut = IsOptOut(text);
        string? subscriberId;
        using (var warehouse = db.Connect())
        {
            // before the first build there are no subscribers: the reply is kept, from an unknown number
            subscriberId = Etl.Loading.Loader.TableExists(warehouse, "dw", "dim_subscriber")
                ? warehouse.QueryFirstOrDefault<string>(db.Sql.Get("sms/subscriber_by_msisdn.sql"), new { from = from.Trim() })
                : null;
        }
        using (var c = db.Ops.Connect())
        using (var tx = c.BeginTransaction())
        {
            c.Execute(db.Ops.Sql.Get("sms/insert_inbound.sql"), new { now, subscriber_id = subscriberId, keyword = optOut ? "opt_out" : "other", gateway_message_id = gatewayMessageId }, tx);
            if (optOut && subscriberId is not null)
            {
                // once per subscriber: a second TD adds no second row while the first is in force
                c.Execute(db.Ops.Sql.Get("sms/insert_opt_out.sql"), new { subscriber_id = subscriberId, now }, tx);
            }
            tx.Commit();
        }
        if (optOut)
        {
            audit.Write(null, "sms_opt_out", subscriberId, outcome: subscriberId is null ? "failed" : "ok",
                detail: subscriberId is null ? "reply from an unknown number" : "opt-out reply, blacklisted for sms");
            log.LogInformation("SMS opt-out reply for subscriber {SubscriberId}", subscriberId ?? "(unknown)");
        }
        return subscriberId;
    }
}
