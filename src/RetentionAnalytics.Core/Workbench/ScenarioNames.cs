using Dapper;
using RetentionAnalytics.Core.Warehouse;

namespace RetentionAnalytics.Core.Workbench;

/// <summary>The scenarios' names in a language (det.scenario), for lists that carry scenario ids (tasks, audiences).</summary>
public sealed class ScenarioNames(Db db)
{
    public IReadOnlyDictionary<string, string> For(string language)
    {
        using var c = db.Connect();
        return c.Query<(string Id, string Name)>("""
                select scenario_id, case $lang when 'de' then name_de when 'zh' then name_zh else name_en end
                from det.scenario
                """, new { lang = language })
            .ToDictionary(r => r.Id, r => r.Name, StringComparer.Ordinal);
    }

    /// <summary>Comma-separated scenario ids as their names, each once, in the order given; an unknown id stays as it is.</summary>
    public static IReadOnlyList<string> Of(string? scenarioIds, IReadOnlyDictionary<string, string> names) =>
        (scenarioIds ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Distinct(StringComparer.Ordinal)
            .Select(id => names.TryGetValue(id, out var name) ? name : id)
            .ToList();
}
