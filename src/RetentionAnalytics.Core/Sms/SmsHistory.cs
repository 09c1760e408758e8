using Dapper;
using RetentionAnalytics.Core.Access;
using RetentionAnalytics.Core.Warehouse;

namespace RetentionAnalytics.Core.Sms;

/// <summary>One send's figures: messages by state and the suppressed ones by reason.</summary>
public sealed record SmsSendStats(
    long SendId, string TemplateId, string Language, string AudienceKind, string AudienceRef, string Status,
    string RequestedBy, DateTime RequestedAt, string? ApprovedBy, int Messages, int Waiting, int Sent, int Delivered,
    int Failed, int Suppressed, int Segments, string? SuppressedByReason);

/// <summary>Sending history and statistics, over the messages of the reader's cities only.</summary>
public sealed class SmsHistory(Db db)
{
    public IReadOnlyList<SmsSendStats> Sends(RegionScope scope, int limit = 200)
    {
        if (scope.IsEmpty)
        {
            return [];
        }
        using var c = db.Ops.Connect();
        var args = scope.AddTo(new DynamicParameters());
        args.Add("limit", limit);
        return c.Query<SmsSendStats>(db.Ops.Sql.Get("sms/send_stats.sql"), args).ToList();
    }
}
