using Dapper;
using RetentionAnalytics.Core.Access;
using RetentionAnalytics.Core.Audit;
using RetentionAnalytics.Core.Warehouse;

namespace RetentionAnalytics.Core.Blacklist;

public sealed record BlacklistEntry(
    string SubscriberId, string? CityCode, string Scope, string Reason, string Source, DateOnly? ValidUntil,
    DateTime CreatedAt, string CreatedBy);

public sealed class BlacklistException(string message) : Exception(message);

/// <summary>
/// The do-not-contact list (ops.blacklist, shared with the call lists and the SMS dispatcher): who may not be called
/// (<c>call</c>), sent an SMS (<c>sms</c>) or either (<c>both</c>), why, from where and until when. A user reads and
/// changes the entries of subscribers in their scope only; every change is audited.
/// </summary>
public sealed class BlacklistService(Db db, AuditLog audit, TimeProvider clock)
{
    public static readonly IReadOnlyList<string> Scopes = ["call", "sms", "both"];
    public static readonly IReadOnlyList<string> Reasons = ["opt_out", "complaint", "legal", "request", "other"];

    public IReadOnlyList<BlacklistEntry> Search(string? subscriberIdPrefix, RegionScope scope, bool includeExpired = false, int limit = 500)
    {
        if (scope.IsEmpty)
        {
            return [];
        }
        using var c = db.Connect();
        // entries are shown with their subscriber's region: before the warehouse is built there are no subscribers
        if (!Etl.Loading.Loader.TableExists(c, "dw", "dim_subscriber"))
        {
            return [];
        }
        var args = scope.AddTo(new DynamicParameters());
        args.Add("prefix", string.IsNullOrWhiteSpace(subscriberIdPrefix) ? null : subscriberIdPrefix.Trim());
        args.Add("include_expired", includeExpired);
        args.Add("today", Today());
        args.Add("limit", limit);
        return c.Query<BlacklistEntry>(db.Sql.Get("blacklist/search.sql"), args).ToList();
    }

    public void Add(string subscriberId, string scope, string reason, DateOnly? validUntil, string username, RegionScope userScope)
    {
        Check(scope, reason, validUntil);
        EnsureInScope(subscriberId, userScope);
        using var c = db.Connect();
        c.Execute(db.Sql.Get("blacklist/insert_entry.sql"), new { subscriber_id = subscriberId, scope, reason, valid_until = validUntil, now = Now(), username });
        audit.Write(username, "blacklist_add", subscriberId, detail: $"scope={scope} reason={reason} until={validUntil?.ToString("yyyy-MM-dd") ?? "-"}");
    }

    /// <summary>Removes the subscriber's entries of one scope (all sources). Returns the rows removed.</summary>
    public int Remove(string subscriberId, string scope, string username, RegionScope userScope)
    {
        EnsureInScope(subscriberId, userScope);
        using var c = db.Connect();
        var removed = c.Execute("delete from ops.blacklist where subscriber_id = $subscriber_id and scope = $scope",
            new { subscriber_id = subscriberId, scope });
        audit.Write(username, "blacklist_remove", subscriberId, detail: $"scope={scope} rows={removed}");
        return removed;
    }

    public static void Check(string scope, string reason, DateOnly? validUntil, DateOnly? today = null)
    {
        if (!Scopes.Contains(scope))
        {
            throw new BlacklistException($"scope must be one of {string.Join(", ", Scopes)}");
        }
        if (!Reasons.Contains(reason))
        {
            throw new BlacklistException($"reason must be one of {string.Join(", ", Reasons)}");
        }
        if (validUntil is { } until && today is { } day && until < day)
        {
            throw new BlacklistException("the expiry date lies in the past");
        }
    }

    private void EnsureInScope(string subscriberId, RegionScope userScope)
    {
        using var c = db.Connect();
        var args = userScope.AddTo(new DynamicParameters());
        args.Add("subscriber_id", subscriberId);
        var known = !Etl.Loading.Loader.TableExists(c, "dw", "dim_subscriber") ? 0 : c.ExecuteScalar<long>(db.Sql.Get("blacklist/subscriber_in_scope.sql"), args);
        if (known == 0)
        {
            throw new BlacklistException($"no subscriber {subscriberId} in your scope");
        }
    }

    private DateTime Now() => clock.GetLocalNow().DateTime;
    private DateOnly Today() => DateOnly.FromDateTime(Now());
}
