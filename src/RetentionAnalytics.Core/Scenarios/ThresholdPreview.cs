using Dapper;
using RetentionAnalytics.Core.Access;
using RetentionAnalytics.Core.Warehouse;

namespace RetentionAnalytics.Core.Scenarios;

public sealed record CityFlagged(string CityCode, long Flagged);

/// <summary>
/// For one past period: subscribers the detector would have flagged (within scope), how many of those with a label
/// churned in the following month, and the churn rate of every labelled subscriber in scope for comparison.
/// </summary>
public sealed record PastPeriodHits(DateOnly Period, long Flagged, long FlaggedLabelled, long FlaggedChurned, long Labelled, long LabelledChurned)
{
    public double? HitRate => FlaggedLabelled == 0 ? null : (double)FlaggedChurned / FlaggedLabelled;
    public double? BaseRate => Labelled == 0 ? null : (double)LabelledChurned / Labelled;
}

public sealed record PreviewResult(
    string ScenarioId, DateOnly Period, string ParamsJson, IReadOnlyList<CityFlagged> Cities,
    IReadOnlyList<PastPeriodHits> History)
{
    public long Total => Cities.Sum(c => c.Flagged);
}

/// <summary>
/// What a change of thresholds would do before it is saved: per city how many subscribers would be flagged in the
/// current period, and for the months before how many of those flagged churned in the following month. Everything
/// runs under the caller's region scope; nothing is written.
/// </summary>
public sealed class ThresholdPreview(Db db, DetectorRunner runner, CustomRules rules)
{
    public const int DefaultHistoryMonths = 3;

    /// <param name="proposedParameters">Values to try, by parameter name; the others stay as in force.</param>
    public PreviewResult Preview(string scenarioId, IReadOnlyDictionary<string, string>? proposedParameters, RegionScope scope,
        DateOnly? period = null, int historyMonths = DefaultHistoryMonths) =>
        Run(runner.Query(scenarioId, proposedParameters), scope, period, historyMonths);

    /// <summary>An unsaved custom rule tried by its author: the rule reads only what the author's scope allows.</summary>
    public PreviewResult PreviewRule(string definitionJson, RegionScope scope, DateOnly? period = null,
        int historyMonths = DefaultHistoryMonths) =>
        Run(rules.Compile(CustomRules.IdPrefix + "preview", "preview", 3, definitionJson, scope), scope, period, historyMonths);

    private PreviewResult Run(DetectorQuery query, RegionScope scope, DateOnly? period, int historyMonths)
    {
        var months = runner.LoadedMonths();
        var current = period is { } p ? runner.CheckPeriod(p) : runner.DefaultPeriod();
        if (scope.IsEmpty)
        {
            // default deny: no scope reads nothing, not even counts
            return new PreviewResult(query.ScenarioId, current, query.ParamsJson, [], []);
        }
        using var c = db.Connect();
        var byCity = query.WrappedIn(db.Sql.Get("detect/preview_by_city.sql"));
        var cities = c.Query<(string City, long Flagged)>(byCity, query.Bind(byCity, current, scope), commandTimeout: 0)
            .Select(r => new CityFlagged(r.City, r.Flagged)).ToList();

        var hitRate = query.WrappedIn(db.Sql.Get("detect/preview_hit_rate.sql"));
        var history = new List<PastPeriodHits>();
        foreach (var past in months.Where(m => m < current).OrderDescending().Take(historyMonths).Order())
        {
            var r = c.QuerySingle<(long Flagged, long FlaggedLabelled, long FlaggedChurned, long Labelled, long LabelledChurned)>(
                hitRate, query.Bind(hitRate, past, scope), commandTimeout: 0);
            history.Add(new PastPeriodHits(past, r.Flagged, r.FlaggedLabelled, r.FlaggedChurned, r.Labelled, r.LabelledChurned));
        }
        return new PreviewResult(query.ScenarioId, current, query.ParamsJson, cities, history);
    }
}
