using Dapper;
using RetentionAnalytics.Core.Access;
using RetentionAnalytics.Core.Audit;
using RetentionAnalytics.Core.Refusals;
using RetentionAnalytics.Core.Warehouse;

namespace RetentionAnalytics.Core.Blacklist;

public sealed record BlacklistEntry(
    string SubscriberId, string? CityCode, string Scope, string Reason, string Source, DateOnly? ValidUntil,
    DateTime CreatedAt, string CreatedBy);

/// <summary>Why a do-not-contact entry is refused (texts: BlacklistRefusal_* in the portal's refusal resources).</summary>
public enum BlacklistRefusal { Scope, Reason, ExpiryInPast, NoSubscriber }

public sealed class BlacklistException(BlacklistRefusal code, string message, params object[] args) : RefusalException(code, message, args);

/// <summary>
/// The do-not-contact list (ops.blacklist, shared with the call lists and the SMS dispatcher): who may not be called
/// (<c>call</c>), sent an SMS (<c>sms</c>) or either (<c>both</c>), why, from where and until when. A user reads and
/// changes the entries of subscribers in their scope only; every change is audited. The entries live with the
/// operational data (<see cref="Db.Ops"/>); the subscribers and their cities, which decide the scope, in the warehouse.
/// </summary>
public sealed class BlacklistService(Db db, AuditLog audit, TimeProvider clock)
{
    public static readonly IReadOnlyList<string> Scopes = ["call", "sms", "both"];
    public static readonly IReadOnlyList<string> Reasons = ["opt_out", "complaint", "legal", "request", "other"];

    private const int SearchPage = 2000;

    public IReadOnlyList<BlacklistEntry> Search(string? subscriberIdPrefix, RegionScope scope, bool includeExpired = false, int limit = 500)
    {
        if (scope.IsEmpty || limit <= 0)
        {
            return [];
        }
        using var warehouse = db.Connect();
        // entries are shown with their subscriber's region: before the warehouse is built there are no subscribers
        if (!Etl.Loading.Loader.TableExists(warehouse, "dw", "dim_subscriber"))
        {
            return [];
        }
        // the entries are in the operational data, the subscribers' cities in the warehouse: page through the entries
        // newest first and keep those of current subscribers in the reader's scope until the limit is reached
        var pageSize = Math.Max(limit, SearchPage);
        var found = new List<BlacklistEntry>();
        using var c = db.Ops.Connect();
        for (var offset = 0; found.Count < limit; offset += pageSize)
        {
            var page = c.Query<EntryRow>(db.Ops.Sql.Get("blacklist/search.sql"), new
            {
                prefix = string.IsNullOrWhiteSpace(subscriberIdPrefix) ? null : subscriberIdPrefix.Trim(),
                include_expired = includeExpired,
                today = Today(),
                page_size = pageSize,
                page_offset = offset,
            }).ToList();
            var cities = SubscriberCities(warehouse, page.Select(e => e.SubscriberId), scope);
            found.AddRange(page
                .Where(e => cities.ContainsKey(e.SubscriberId))
                .Select(e => new BlacklistEntry(e.SubscriberId, cities[e.SubscriberId], e.Scope, e.Reason, e.Source, e.ValidUntil, e.CreatedAt, e.CreatedBy))
                .Take(limit - found.Count));
            if (page.Count < pageSize)
            {
                break;
            }
        }
        return found;
    }

    public void Add(string subscriberId, string scope, string reason, DateOnly? validUntil, string username, RegionScope userScope)
    {
        Check(scope, reason, validUntil);
        EnsureInScope(subscriberId, userScope);
        using var c = db.Ops.Connect();
        c.Execute(db.Ops.Sql.Get("blacklist/insert_entry.sql"), new { subscriber_id = subscriberId, scope, reason, valid_until = validUntil, now = Now(), username });
        audit.Write(username, "blacklist_add", subscriberId, detail: $"scope={scope} reason={reason} until={validUntil?.ToString("yyyy-MM-dd") ?? "-"}");
    }

    /// <summary>Removes the subscriber's entries of one scope (all sources). Returns the rows removed.</summary>
    public int Remove(string subscriberId, string scope, string username, RegionScope userScope)
    {
        EnsureInScope(subscriberId, userScope);
        using var c = db.Ops.Connect();
        var removed = c.Execute(db.Ops.Sql.Get("blacklist/delete_entries.sql"), new { subscriber_id = subscriberId, scope });
        audit.Write(username, "blacklist_remove", subscriberId, detail: $"scope={scope} rows={removed}");
        return removed;
    }

    public static void Check(string scope, string reason, DateOnly? validUntil, DateOnly? today = null)
    {
        if (!Scopes.Contains(scope))
        {
            throw new BlacklistException(BlacklistRefusal.Scope, $"scope must be one of {string.Join(", ", Scopes)}");
        }
        if (!Reasons.Contains(reason))
        {
            throw new BlacklistException(BlacklistRefusal.Reason, $"reason must be one of {string.Join(", ", Reasons)}");
        }
        if (validUntil is { } until && today is { } day && until < day)
        {
            throw new BlacklistException(BlacklistRefusal.ExpiryInPast, "the expiry date lies in the past");
        }
    }

    private void EnsureInScope(string subscriberId, RegionScope userScope)
    {
        using var c = db.Connect();
        if (userScope.IsEmpty || !Etl.Loading.Loader.TableExists(c, "dw", "dim_subscriber")
            || SubscriberCities(c, [subscriberId], userScope).Count == 0)
        {
            throw new BlacklistException(BlacklistRefusal.NoSubscriber, $"no subscriber {subscriberId} in your scope", subscriberId);
        }
    }

    /// <summary>The current city of each listed subscriber within the scope (the warehouse's part of a read).</summary>
    private Dictionary<string, string> SubscriberCities(DuckDB.NET.Data.DuckDBConnection warehouse, IEnumerable<string> subscriberIds, RegionScope scope)
    {
        var ids = subscriberIds.Distinct().ToList();
        if (ids.Count == 0)
        {
            return [];
        }
        var args = scope.AddTo(new DynamicParameters());
        args.Add("ids", string.Join(',', ids));
        return warehouse.Query<(string SubscriberId, string CityCode)>(db.Sql.Get("blacklist/subscriber_cities.sql"), args)
            .ToDictionary(r => r.SubscriberId, r => r.CityCode);
    }

    private sealed record EntryRow(
        string SubscriberId, string Scope, string Reason, string Source, DateOnly? ValidUntil, DateTime CreatedAt, string CreatedBy);

    private DateTime Now() => db.Clock.At(clock.GetUtcNow());
    private DateOnly Today() => DateOnly.FromDateTime(Now());
}
