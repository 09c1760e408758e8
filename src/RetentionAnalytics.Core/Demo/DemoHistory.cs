using Dapper;
using RetentionAnalytics.Core.Access;
using RetentionAnalytics.Core.Jobs;
using RetentionAnalytics.Core.NewSubscribers;
using RetentionAnalytics.Core.Scenarios;
using RetentionAnalytics.Core.Tasks;
using RetentionAnalytics.Core.Warehouse;

namespace RetentionAnalytics.Core.Demo;

public sealed record DemoMonth(DateOnly Period, int Campaigns, int Tasks, int Calls, int Reached, int Closed);

/// <summary>
/// The demo's past: for each of the months before the newest, oldest first, what the department would have done then.
/// The detectors flag the month, the call lists and the new-subscriber callbacks are generated on the second working
/// day after it (control groups, exclusions and routing as in real work, with the status and contacts known on that
/// day), the simulated desk works
/// the month after it (<see cref="DemoCallCentre"/>) and closes the campaigns. The campaigns are flagged and named as
/// demo data. A month is the unit of work: one left unfinished by a stopped process is removed and made again.
/// </summary>
public sealed class DemoHistory(
    Db db, DemoWarehouse warehouse, DetectorRunner detectors, TaskGenerator generator, NewSubscriberCallbacks newSubscribers,
    DemoCallCentre callCentre)
{
    /// <summary>The <c>created_by</c> of the demo's campaigns.</summary>
    public const string Creator = "demo";

    /// <summary>
    /// Makes the past campaigns of a marked demo warehouse that has none yet; does nothing in any other warehouse.
    /// Returns the months made by this call.
    /// </summary>
    public IReadOnlyList<DemoMonth> Seed(IProgress<JobProgress>? progress = null, CancellationToken ct = default)
    {
        if (warehouse.State() is not { HistorySeededAt: null } state)
        {
            return [];
        }
        var loaded = detectors.LoadedMonths();
        var months = loaded.Count < 2 ? [] : loaded.SkipLast(1).TakeLast(state.HistoryMonths).ToList();
        var done = Done();
        var made = new List<DemoMonth>();
        for (var i = 0; i < months.Count; i++)
        {
            ct.ThrowIfCancellationRequested();
            if (done.Contains(months[i]))
            {
                continue;
            }
            progress?.Report(new JobProgress(100.0 * i / months.Count, "demo", $"{months[i]:yyyy-MM}"));
            made.Add(Month(months[i], ct));
        }
        warehouse.MarkHistorySeeded();
        progress?.Report(new JobProgress(100, "demo", $"{made.Count} month(s)"));
        return made;
    }

    private DemoMonth Month(DateOnly period, CancellationToken ct)
    {
        Execute("demo/purge_period.sql", new { period, created_by = Creator });
        Execute("campaigns/refresh_titles.sql", new { campaign_id = (long?)null });
        // the lists are made on the second working day of the next month, the calls run until its 26th
        var listDay = WorkingDay(period.AddMonths(1).AddDays(1));
        var lastDay = period.AddMonths(1).AddDays(25);

        detectors.Run(period, trigger: Creator, ct: ct);
        // one retention campaign a month: a subscriber flagged by several scenarios is called once, and the control
        // group is large enough for the effectiveness report's interval to say something
        generator.Generate(period, new CallListOptions { Combined = true, Today = listDay, CreatedBy = Creator });
        // and the new subscribers of the month are called back with the satisfaction questionnaire
        newSubscribers.Generate(period, Creator, RegionScope.WholeProvince, listDay, journaled: false);
        Execute("demo/mark_campaigns.sql", new { period, created_by = Creator });
        Execute("campaigns/refresh_titles.sql", new { campaign_id = (long?)null });

        List<long> campaigns;
        Dictionary<string, MemberFuture> futures;
        using (var c = db.Connect())
        {
            campaigns = c.Query<long>("select campaign_id from ops.campaign where period = $period and demo order by campaign_id", new { period }).ToList();
            futures = c.Query<MemberFuture>(db.Sql.Get("demo/member_futures.sql"), new { period }).ToDictionary(f => f.SubscriberId);
        }
        var worked = callCentre.Work(period, campaigns, futures, listDay, lastDay, ct);
        Execute("demo/date_period.sql", new { period, listed_at = listDay.ToDateTime(new TimeOnly(8, 0)) });

        using var done = db.Connect();
        var tasks = done.ExecuteScalar<int>(
            "select count(*) from ops.task where campaign_id in (select campaign_id from ops.campaign where period = $period and demo)", new { period });
        done.Execute("insert into meta.demo_history values ($period, $campaigns, $tasks, $calls, now())",
            new { period, campaigns = campaigns.Count, tasks, calls = worked.Calls });
        return new DemoMonth(period, campaigns.Count, tasks, worked.Calls, worked.Reached, worked.Closed);
    }

    private HashSet<DateOnly> Done()
    {
        using var c = db.Connect();
        return c.Query<DateTime>("select period from meta.demo_history").Select(DateOnly.FromDateTime).ToHashSet();
    }

    private void Execute(string file, object args)
    {
        using var c = db.Connect();
        using var tx = c.BeginTransaction();
        c.Execute(db.Sql.Get(file), args, tx);
        tx.Commit();
    }

    private static DateOnly WorkingDay(DateOnly day)
    {
        while (day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday)
        {
            day = day.AddDays(1);
        }
        return day;
    }
}
