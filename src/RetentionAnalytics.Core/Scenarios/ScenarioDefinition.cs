using System.Globalization;
using RetentionAnalytics.Core.Refusals;
using RetentionAnalytics.Core.Reports;

namespace RetentionAnalytics.Core.Scenarios;

/// <summary>One detector, as declared in <c>sql/scenarios/&lt;id&gt;.yaml</c> beside its SQL (format: docs/scenarios.md).</summary>
public sealed class ScenarioDefinition
{
    public string Id { get; set; } = "";
    public string Kind { get; set; } = "scenario";
    public ScenarioNames Names { get; set; } = new();

    /// <summary>What the detector flags, in the three portal languages (description: { en, de, zh }).</summary>
    public Texts Description { get; set; } = new();

    /// <summary>Who the detector looks at, in the three portal languages (target_segment: { en, de, zh }; optional).</summary>
    public Texts? TargetSegment { get; set; }
    public int Priority { get; set; } = 3;
    public string Action { get; set; } = "call";

    /// <summary>Extracts or tables the detector reads beyond the core (<see cref="Definitions.DataRequirements"/>).</summary>
    public List<string> Requires { get; set; } = [];
    public List<ParameterDefinition> Parameters { get; set; } = [];

    public ParameterDefinition? Parameter(string name) => Parameters.FirstOrDefault(p => p.Name == name);
}

public sealed class ScenarioNames
{
    public string En { get; set; } = "";
    public string De { get; set; } = "";
    public string Zh { get; set; } = "";
}

/// <summary>
/// A tunable parameter. Values travel as invariant text ("40", "12.5", "true", "high,mid") so that the store, the
/// history and the yaml agree; <see cref="Parse"/> turns text into the value bound to the detector SQL.
/// </summary>
public sealed class ParameterDefinition
{
    public static readonly string[] Types = ["int", "decimal", "percent", "bool", "list"];

    public string Name { get; set; } = "";
    public string Type { get; set; } = "int";
    public string Default { get; set; } = "";
    public decimal? Min { get; set; }
    public decimal? Max { get; set; }
    public List<string>? Allowed { get; set; }

    /// <summary>What the value means, in the three portal languages.</summary>
    public Texts Description { get; set; } = new();

    /// <summary>The value to bind: long, decimal, bool or a comma-joined list; a clear error when the text does not fit.</summary>
    public object Parse(string scenarioId, string? text)
    {
        var raw = (text ?? "").Trim();
        switch (Type)
        {
            case "int":
                if (!long.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole))
                {
                    throw Invalid(scenarioId, ScenarioParameterRefusal.NotWholeNumber, $"'{Shorten(raw)}' is not a whole number", Shorten(raw));
                }
                CheckBounds(scenarioId, whole);
                return whole;
            case "decimal":
            case "percent":
                if (!decimal.TryParse(raw, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
                {
                    throw Invalid(scenarioId, ScenarioParameterRefusal.NotNumber, $"'{Shorten(raw)}' is not a number (use a dot as the decimal separator)", Shorten(raw));
                }
                if (Type == "percent" && (number < 0 || number > 100))
                {
                    throw Invalid(scenarioId, ScenarioParameterRefusal.NotPercentage, $"{number.ToString(CultureInfo.InvariantCulture)} is not a percentage between 0 and 100", number.ToString(CultureInfo.InvariantCulture));
                }
                CheckBounds(scenarioId, number);
                return number;
            case "bool":
                return raw.ToLowerInvariant() switch
                {
                    "true" => true,
                    "false" => false,
                    _ => throw Invalid(scenarioId, ScenarioParameterRefusal.NotTrueOrFalse, $"'{Shorten(raw)}' is not true or false", Shorten(raw)),
                };
            case "list":
                var items = raw.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
                if (items.Length == 0)
                {
                    throw Invalid(scenarioId, ScenarioParameterRefusal.EmptyList, "the list is empty");
                }
                if (Allowed is { Count: > 0 })
                {
                    var unknown = items.Where(i => !Allowed.Contains(i)).ToList();
                    if (unknown.Count > 0)
                    {
                        throw Invalid(scenarioId, ScenarioParameterRefusal.NotAllowed, $"'{Shorten(string.Join(',', unknown))}' not allowed; allowed: {string.Join(", ", Allowed)}",
                            Shorten(string.Join(',', unknown)), string.Join(", ", Allowed));
                    }
                }
                return string.Join(',', items.Distinct());
            default:
                throw Invalid(scenarioId, ScenarioParameterRefusal.UnknownType, $"unknown parameter type {Type}", Type);
        }
    }

    /// <summary>The canonical text of a value (what is stored and hashed).</summary>
    public string Normalise(string scenarioId, string? text) => Parse(scenarioId, text) switch
    {
        bool b => b ? "true" : "false",
        decimal d => d.ToString(CultureInfo.InvariantCulture),
        long l => l.ToString(CultureInfo.InvariantCulture),
        var other => (string)other,
    };

    private void CheckBounds(string scenarioId, decimal value)
    {
        if (Min is { } min && value < min || Max is { } max && value > max)
        {
            // values as they are typed (a dot for decimals), in every language
            var (given, low, high) = (value.ToString(CultureInfo.InvariantCulture), Min?.ToString(CultureInfo.InvariantCulture) ?? "-∞", Max?.ToString(CultureInfo.InvariantCulture) ?? "∞");
            throw Invalid(scenarioId, ScenarioParameterRefusal.OutOfRange, $"{given} is outside {low} .. {high}", given, low, high);
        }
    }

    /// <summary>The refusal names the parameter first ({0}), then the values of its text.</summary>
    private ScenarioParameterException Invalid(string scenarioId, ScenarioParameterRefusal code, string why, params object[] args) =>
        new(code, $"parameter {Name} of {scenarioId} ({Type}): {why}", [Name, .. args]);

    // parameter values are thresholds, not personal data, but an error message is no place for a pasted essay
    private static string Shorten(string s) => s.Length > 40 ? s[..40] + "…" : s;
}

/// <summary>A parameter value that does not fit its declaration, or a parameter the scenario does not have.</summary>
/// <summary>Texts: ScenarioParameterRefusal_* in the portal's refusal resources.</summary>
public enum ScenarioParameterRefusal { NoParameter, CustomRuleThresholds, NotWholeNumber, NotNumber, NotPercentage, NotTrueOrFalse, EmptyList, NotAllowed, UnknownType, OutOfRange }

public sealed class ScenarioParameterException(ScenarioParameterRefusal code, string message, params object[] args) : RefusalException(code, message, args);

/// <summary>An unknown scenario id, an unusable period, or a scenario file that is not well formed.</summary>
/// <summary>
/// Texts: ScenarioRefusal_* in the portal's refusal resources. A definition file that is not well formed is for the data
/// engineer who edits it: its text names the English problem.
/// </summary>
public enum ScenarioRefusal { NoMonth, NoDataForPeriod, UnknownScenario, CustomRuleThresholds, Definition, PeriodFormat }

public sealed class ScenarioException(ScenarioRefusal code, string message, params object[] args) : RefusalException(code, message, args);
