using Dapper;
using RetentionAnalytics.Core.Warehouse;

namespace RetentionAnalytics.Portal.Features.Access;

/// <summary>
/// The sign-in counters in PostgreSQL (<c>ops.sign_in_counter</c>), shared by every portal node: an attempt takes a
/// transaction-scoped advisory lock per key (in key order, so two attempts never wait on each other in a circle),
/// reads the counters, and writes back what changed. Counters quiet for twice the lockout time and not locked are
/// removed as failures are counted, as the in-memory store forgets them. Times are the throttle clock's, in UTC.
/// </summary>
internal sealed class PostgresThrottleCounters(OpsDb ops, AuthOptions options) : IThrottleCounters
{
    // settable properties: Dapper does not bind a timestamp[] column to a constructor parameter
    private sealed class Row
    {
        public string CounterKey { get; init; } = "";
        public DateTime[] Failures { get; init; } = [];
        public DateTime? LockedUntil { get; init; }
        public DateTime? LastFailure { get; init; }
        public int Locks { get; init; }
    }

    public T Update<T>(IReadOnlyList<string> keys, DateTimeOffset now, Func<Dictionary<string, ThrottleCounter>, T> work)
    {
        using var c = ops.Connect();
        using var tx = c.BeginTransaction();
        var ordered = keys.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        foreach (var key in ordered)
        {
            c.Execute(ops.Sql.Get("access/sign_in_counter_lock.sql"), new { counter_key = key }, tx);
        }
        var before = c.Query<Row>(ops.Sql.Get("access/sign_in_counter_read.sql"), new { keys = ordered }, tx)
            .ToDictionary(r => r.CounterKey, StringComparer.Ordinal);
        var counters = before.Values.ToDictionary(r => r.CounterKey, r => new ThrottleCounter
        {
            Failures = r.Failures.Select(Utc).ToList(),
            LockedUntil = r.LockedUntil is { } locked ? Utc(locked) : default,
            LastFailure = r.LastFailure is { } last ? Utc(last) : default,
            Locks = r.Locks,
        }, StringComparer.Ordinal);

        var result = work(counters);

        foreach (var key in ordered)
        {
            if (counters.TryGetValue(key, out var counter))
            {
                var row = new Row
                {
                    CounterKey = key,
                    Failures = counter.Failures.Select(Stored).ToArray(),
                    LockedUntil = counter.LockedUntil == default ? null : Stored(counter.LockedUntil),
                    LastFailure = counter.LastFailure == default ? null : Stored(counter.LastFailure),
                    Locks = counter.Locks,
                };
                if (!before.TryGetValue(key, out var was) || !Same(was, row))
                {
                    c.Execute(ops.Sql.Get("access/sign_in_counter_upsert.sql"), new
                    {
                        counter_key = key, failures = row.Failures, locked_until = row.LockedUntil, last_failure = row.LastFailure, locks = row.Locks,
                    }, tx);
                }
            }
            else if (before.ContainsKey(key))
            {
                c.Execute(ops.Sql.Get("access/sign_in_counter_delete.sql"), new { counter_key = key }, tx);
            }
        }
        if (counters.Count > 0)
        {
            var quiet = Stored(now) - TimeSpan.FromMinutes(2 * options.LockoutMinutes);
            c.Execute(ops.Sql.Get("access/sign_in_counter_prune.sql"), new { quiet_since = quiet, now = Stored(now) }, tx);
        }
        tx.Commit();
        return result;
    }

    private static DateTimeOffset Utc(DateTime stored) => new(DateTime.SpecifyKind(stored, DateTimeKind.Utc));

    /// <summary>
    /// An instant as the counters keep it: UTC without a zone. Sent as a plain timestamp; a DateTime of kind Utc would go
    /// as timestamptz and be moved into the session's zone (the province's) on the way into the column.
    /// </summary>
    private static DateTime Stored(DateTimeOffset instant) => DateTime.SpecifyKind(instant.UtcDateTime, DateTimeKind.Unspecified);

    private static bool Same(Row a, Row b) =>
        a.Failures.SequenceEqual(b.Failures) && a.LockedUntil == b.LockedUntil && a.LastFailure == b.LastFailure && a.Locks == b.Locks;
}
