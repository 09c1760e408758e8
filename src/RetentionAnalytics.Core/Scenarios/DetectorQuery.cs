using System.Text.RegularExpressions;
using Dapper;
using RetentionAnalytics.Core.Access;

namespace RetentionAnalytics.Core.Scenarios;

/// <summary>
/// One detector ready to run: its SQL (a built-in file, or a compiled custom rule) and the values it binds. Every
/// value is bound by name; nothing a user typed is ever part of the SQL text.
/// </summary>
public sealed partial record DetectorQuery(
    string ScenarioId, string Sql, IReadOnlyDictionary<string, object?> Values, string ParamsJson, string ParamsHash,
    RegionScope RuleScope)
{
    /// <summary>
    /// Embeds the detector into a wrapper SQL file at its <c>/*detector*/</c> mark. Both texts are ours (files or the
    /// whitelist compiler), so this is composition of trusted SQL, not of input.
    /// </summary>
    public string WrappedIn(string wrapper) =>
        wrapper.Contains(Mark, StringComparison.Ordinal)
            ? wrapper.Replace(Mark, Sql, StringComparison.Ordinal)
            : throw new InvalidOperationException("wrapper SQL has no /*detector*/ mark");

    /// <summary>
    /// The parameters for a statement: the detector's values, the period and any extra values, bound only when the
    /// statement names them. A custom rule's own scope wins over a caller's wider one by being intersected with it.
    /// </summary>
    public DynamicParameters Bind(string statement, DateOnly period, RegionScope scope, object? extra = null)
    {
        var all = new Dictionary<string, object?>(Values)
        {
            ["period"] = period.ToDateTime(TimeOnly.MinValue),
        };
        var effective = Intersect(scope, RuleScope);
        var scoped = effective.AddTo(new DynamicParameters());
        foreach (var name in scoped.ParameterNames)
        {
            all[name] = scoped.Get<object>(name);
        }
        if (extra is not null)
        {
            foreach (var p in extra.GetType().GetProperties())
            {
                all[p.Name] = p.GetValue(extra);
            }
        }
        var used = BoundName().Matches(statement).Select(m => m.Groups[1].Value).ToHashSet();
        var bound = new DynamicParameters();
        foreach (var (name, value) in all)
        {
            if (used.Contains(name))
            {
                // DuckDB.NET binds a decimal as a string literal, which arithmetic will not take: thresholds go as double
                bound.Add(name, value is decimal d ? (double)d : value);
            }
        }
        var missing = used.Where(u => !all.ContainsKey(u)).ToList();
        return missing.Count == 0
            ? bound
            : throw new InvalidOperationException($"{ScenarioId}: no value for {string.Join(", ", missing.Select(m => "$" + m))}");
    }

    /// <summary>The rows both scopes allow: a city manager previewing a province-wide rule sees their city only.</summary>
    public static RegionScope Intersect(RegionScope a, RegionScope b) =>
        a.IsEmpty || b.IsEmpty ? RegionScope.None
        : a.Province ? b
        : b.Province ? a
        : a.Cities.Intersect(b.Cities).Any() ? RegionScope.ForCities(a.Cities.Intersect(b.Cities)) : RegionScope.None;

    private const string Mark = "/*detector*/";

    [GeneratedRegex(@"\$([a-z_][a-z0-9_]*)")]
    private static partial Regex BoundName();
}
