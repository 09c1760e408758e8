using Dapper;
using RetentionAnalytics.Core.Warehouse;

namespace RetentionAnalytics.Core.Demo;

/// <summary>How the demo's history is made: how far back, how busy the simulated agents are, the seed of every draw.</summary>
public sealed record DemoOptions
{
    /// <summary>
    /// Months before the newest that get past campaigns: four fill the effectiveness report's default range (the newest
    /// four campaign months) and give two of them all three horizons.
    /// </summary>
    public int HistoryMonths { get; init; } = 4;

    /// <summary>Calls each simulated agent makes on a working day.</summary>
    public int CallsPerAgentDay { get; init; } = 6;

    /// <summary>The seed of the simulated calls: the same sample and seed give the same outcomes.</summary>
    public int Seed { get; init; } = 42;
}

public sealed record DemoState(DateTime MarkedAt, string MarkedBy, int HistoryMonths, DateTime? HistorySeededAt);

/// <summary>
/// Whether a warehouse is a demo. The mark is set once, when the sample province is seeded into an empty warehouse in
/// demo mode (the portal's first start with Auth:DemoMode, or <c>ra demo</c>); the demo's past campaigns are only ever
/// made in a marked warehouse, so a production warehouse never holds invented work.
/// </summary>
public sealed class DemoWarehouse(Db db)
{
    public DemoState? State()
    {
        using var c = db.Connect();
        return c.QuerySingleOrDefault<DemoState>("""
            select marked_at as MarkedAt, marked_by as MarkedBy, history_months as HistoryMonths, history_seeded_at as HistorySeededAt
            from meta.demo_warehouse
            limit 1
            """);
    }

    /// <summary>True when no extract file was ever loaded: the only warehouse that may become a demo.</summary>
    public bool IsEmpty()
    {
        using var c = db.Connect();
        return c.ExecuteScalar<long>(db.Sql.Get("portal/startup_loaded_files.sql")) == 0;
    }

    /// <summary>Marks an empty warehouse as a demo (again: no change). Refuses a warehouse that already holds data.</summary>
    public DemoState Mark(string markedBy, int historyMonths)
    {
        if (State() is { } known)
        {
            return known;
        }
        if (!IsEmpty())
        {
            throw new InvalidOperationException("the warehouse already holds loaded data; only an empty warehouse can become a demo");
        }
        using var c = db.Connect();
        c.Execute("insert into meta.demo_warehouse values (now(), $markedBy, $historyMonths, null)", new { markedBy, historyMonths });
        return State()!;
    }

    public void MarkHistorySeeded()
    {
        using var c = db.Connect();
        c.Execute("update meta.demo_warehouse set history_seeded_at = now()");
    }
}
