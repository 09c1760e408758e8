using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Dapper;
using RetentionAnalytics.Core.Audit;
using RetentionAnalytics.Core.Warehouse;

namespace RetentionAnalytics.Core.Scenarios;

public sealed record ParameterValue(string Name, string Type, string Value, string Default, bool Overridden, ParameterDefinition Definition);

/// <summary>A change of a parameter, or of the scenario's switch (<see cref="IsSwitch"/>: values <c>on</c> and <c>off</c>).</summary>
public sealed record ParameterChange(string ScenarioId, string Name, string OldValue, string NewValue, string ChangedBy, DateTime ChangedAt)
{
    /// <summary>The name the switch's changes are kept under: no parameter can have it (parameters are identifiers).</summary>
    public const string Switch = "scenario.enabled";

    public bool IsSwitch => Name == Switch;

    public static string OnOff(bool enabled) => enabled ? "on" : "off";
}

/// <summary>
/// The parameters in force: the yaml defaults, overridden by what an administrator stored. Every change is validated
/// against the declaration, kept in a history (who, old, new, when) and audited; the next run uses it. The stored
/// values are operational data (<see cref="Db.Ops"/>): a value changed on any node is used by every node's next run.
/// </summary>
public sealed class ScenarioParameters(Db db, ScenarioCatalog catalog, AuditLog audit)
{
    public IReadOnlyList<ParameterValue> Current(string scenarioId)
    {
        var definition = Definition(scenarioId);
        using var c = db.Ops.Connect();
        var stored = c.Query<(string Name, string Value)>(db.Ops.Sql.Get("detect/parameter_values.sql"), new { scenarioId })
            .ToDictionary(r => r.Name, r => r.Value);
        return definition.Parameters.Select(p =>
        {
            var normalisedDefault = p.Normalise(scenarioId, p.Default);
            // a stored value that no longer fits a changed declaration falls back to the default instead of breaking the run
            var value = stored.TryGetValue(p.Name, out var s) && Fits(p, scenarioId, s) ? p.Normalise(scenarioId, s) : normalisedDefault;
            return new ParameterValue(p.Name, p.Type, value, normalisedDefault, value != normalisedDefault, p);
        }).ToList();
    }

    /// <summary>The current values with proposed ones laid over them, all validated: what a run or a preview would use.</summary>
    public IReadOnlyDictionary<string, string> Effective(string scenarioId, IReadOnlyDictionary<string, string>? proposed = null)
    {
        var definition = Definition(scenarioId);
        var values = Current(scenarioId).ToDictionary(v => v.Name, v => v.Value);
        foreach (var (name, value) in proposed ?? new Dictionary<string, string>())
        {
            var p = definition.Parameter(name)
                ?? throw new ScenarioParameterException(ScenarioParameterRefusal.NoParameter, $"{scenarioId} has no parameter {name}; it has: {string.Join(", ", definition.Parameters.Select(x => x.Name))}",
                name, string.Join(", ", definition.Parameters.Select(x => x.Name)));
            values[name] = p.Normalise(scenarioId, value);
        }
        return values;
    }

    /// <summary>Changes one parameter; it takes effect on the next run. Returns the stored (normalised) value.</summary>
    public string Set(string scenarioId, string name, string value, string username)
    {
        var definition = Definition(scenarioId);
        var parameter = definition.Parameter(name)
            ?? throw new ScenarioParameterException(ScenarioParameterRefusal.NoParameter, $"{scenarioId} has no parameter {name}; it has: {string.Join(", ", definition.Parameters.Select(x => x.Name))}",
                name, string.Join(", ", definition.Parameters.Select(x => x.Name)));
        var newValue = parameter.Normalise(scenarioId, value);
        OpsDb.Replacing(() =>
        {
            var oldValue = Current(scenarioId).Single(v => v.Name == name).Value;
            using var c = db.Ops.Connect();
            using var tx = c.BeginTransaction();
            c.Execute(db.Ops.Sql.Get("detect/parameter_delete.sql"), new { scenarioId, name }, tx);
            c.Execute(db.Ops.Sql.Get("detect/parameter_insert.sql"), new { scenarioId, name, newValue, username }, tx);
            c.Execute(db.Ops.Sql.Get("detect/parameter_history_insert.sql"), new { scenarioId, name, oldValue, newValue, username }, tx);
            tx.Commit();
        });
        audit.Write(username, "parameter_change", scenarioId, detail: name);
        return newValue;
    }

    public IReadOnlyList<ParameterChange> History(string scenarioId)
    {
        using var c = db.Ops.Connect();
        return c.Query<ParameterChange>(db.Ops.Sql.Get("detect/parameter_history.sql"), new { scenarioId }).ToList();
    }

    /// <summary>Binds the values to the detector's parameter names, typed as declared.</summary>
    public static DynamicParameters Bind(ScenarioDefinition definition, IReadOnlyDictionary<string, string> values)
    {
        var bound = new DynamicParameters();
        foreach (var p in definition.Parameters)
        {
            bound.Add(p.Name, p.Parse(definition.Id, values[p.Name]));
        }
        return bound;
    }

    /// <summary>The effective parameters as sorted json and its hash: same values, same hash, whatever the order.</summary>
    public static (string Json, string Hash) Fingerprint(IReadOnlyDictionary<string, string> values)
    {
        var json = JsonSerializer.Serialize(new SortedDictionary<string, string>(values.ToDictionary(), StringComparer.Ordinal));
        return (json, Hash(json));
    }

    internal static string Hash(string text) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];

    private ScenarioDefinition Definition(string scenarioId) =>
        catalog.Find(scenarioId) ?? throw (scenarioId.StartsWith(CustomRules.IdPrefix, StringComparison.Ordinal)
            ? new ScenarioException(ScenarioRefusal.CustomRuleThresholds, $"{scenarioId} is a custom rule: its thresholds are part of the rule's conditions")
            : new ScenarioException(ScenarioRefusal.UnknownScenario, $"unknown scenario {scenarioId}", scenarioId));

    private static bool Fits(ParameterDefinition p, string scenarioId, string value)
    {
        try
        {
            p.Parse(scenarioId, value);
            return true;
        }
        catch (ScenarioParameterException)
        {
            return false;
        }
    }
}
