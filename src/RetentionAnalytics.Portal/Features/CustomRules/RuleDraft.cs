using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using RetentionAnalytics.Core.Scenarios;

namespace RetentionAnalytics.Portal.Features.CustomRules;

/// <summary>
/// A custom rule as the builder edits it: groups of conditions, the groups combined with <see cref="Op"/> and the
/// conditions inside a group with the other connective (an OR of AND-groups or an AND of OR-groups). Values stay the
/// text the analyst typed, read in their culture when the JSON is built; text that is not a number goes to the
/// service as text, so the service's validation names the problem and nothing is saved.
/// </summary>
public sealed class RuleDraft
{
    public static readonly string[] Actions = ["call", "sms", "both", "report"];

    public string Name { get; set; } = "";
    public string? Description { get; set; }
    public int Priority { get; set; } = 3;
    public string Action { get; set; } = "call";

    /// <summary>How the groups are combined: "or" (of AND-groups) or "and" (of OR-groups).</summary>
    public string Op { get; set; } = "or";

    public List<List<DraftCondition>> Groups { get; } = [[new DraftCondition()]];

    public string GroupOp => Op == "or" ? "and" : "or";

    /// <summary>The operators that apply to a field type (docs/scenarios.md).</summary>
    public static IReadOnlyList<string> OperatorsFor(string? fieldType) => fieldType switch
    {
        "int" or "decimal" => ["=", "<>", "<", "<=", ">", ">=", "between", "in", "is null", "is not null"],
        "text" => ["=", "<>", "in", "is null", "is not null"],
        "bool" => ["=", "<>", "is null", "is not null"],
        _ => [],
    };

    /// <summary>The rule in the JSON format of <see cref="Core.Scenarios.CustomRules"/>; empty groups are left out.</summary>
    public string ToJson(CultureInfo culture)
    {
        var groups = Groups.Where(g => g.Count > 0).ToList();
        JsonObject root;
        if (groups.Count == 1)
        {
            root = Group(GroupOp, groups[0].Select(c => c.ToJson(culture)));
        }
        else
        {
            root = Group(Op, groups.Select(g => g.Count == 1 ? g[0].ToJson(culture) : Group(GroupOp, g.Select(c => c.ToJson(culture)))));
        }
        return root.ToJsonString();
    }

    /// <summary>The builder's form of a stored definition, or null when it nests deeper than the builder shows.</summary>
    public static RuleDraft? FromJson(string definitionJson, CultureInfo culture)
    {
        JsonObject? root;
        try
        {
            root = JsonNode.Parse(definitionJson) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
        if (root is null)
        {
            return null;
        }
        var draft = new RuleDraft();
        draft.Groups.Clear();
        if (root["conditions"] is not JsonArray children)
        {
            return DraftCondition.FromJson(root, culture) is { } single ? draft.With("or", [[single]]) : null;
        }
        var op = (string?)root["op"] == "or" ? "or" : "and";
        if (children.All(c => c is JsonObject o && o["conditions"] is null))
        {
            // one group: its connective decides which way round the builder combines
            var leaves = children.Select(c => DraftCondition.FromJson((JsonObject)c!, culture)).ToList();
            return leaves.Any(l => l is null) ? null : draft.With(op == "and" ? "or" : "and", [leaves!]);
        }
        var groups = new List<List<DraftCondition>>();
        foreach (var child in children.OfType<JsonObject>())
        {
            if (child["conditions"] is JsonArray inner)
            {
                var innerOp = (string?)child["op"] == "or" ? "or" : "and";
                var leaves = inner.Select(c => c is JsonObject o && o["conditions"] is null ? DraftCondition.FromJson(o, culture) : null).ToList();
                if (leaves.Any(l => l is null))
                {
                    return null;
                }
                if (innerOp == op || leaves.Count == 1)
                {
                    // and(a, and(b, c)) is and(a, b, c): each condition its own group
                    groups.AddRange(leaves.Select(l => new List<DraftCondition> { l! }));
                }
                else
                {
                    groups.Add(leaves!);
                }
            }
            else if (DraftCondition.FromJson(child, culture) is { } leaf)
            {
                groups.Add([leaf]);
            }
            else
            {
                return null;
            }
        }
        return draft.With(op, groups);
    }

    /// <summary>
    /// The rule as people read it: <c>arpu_trend &lt; 0.5 AND (value_tier in [high, mid] OR …)</c>; with
    /// <paramref name="words"/> in their language: <c>Bill trend &lt; 0,5 UND Wertstufe ist einer von [high, mid]</c>.
    /// </summary>
    public string Describe(CultureInfo culture, string and, string or, RuleWords? words = null)
    {
        var groups = Groups.Where(g => g.Count > 0).ToList();
        string Join(string op, IEnumerable<string> parts) => string.Join($" {(op == "and" ? and : or)} ", parts);
        if (groups.Count == 1)
        {
            return Join(GroupOp, groups[0].Select(c => c.Describe(culture, words)));
        }
        return Join(Op, groups.Select(g => g.Count == 1 ? g[0].Describe(culture, words) : "(" + Join(GroupOp, g.Select(c => c.Describe(culture, words))) + ")"));
    }

    private RuleDraft With(string op, List<List<DraftCondition>> groups)
    {
        Op = op;
        Groups.AddRange(groups);
        return this;
    }

    private static JsonObject Group(string op, IEnumerable<JsonNode> conditions) =>
        new() { ["op"] = op, ["conditions"] = new JsonArray([.. conditions]) };
}

/// <summary>One test of a feature as typed: the field, the operator and the value text(s).</summary>
public sealed class DraftCondition
{
    public string? Field { get; set; }
    public string Operator { get; set; } = "=";

    /// <summary>The value; for <c>in</c> a list separated by <c>;</c> (or <c>,</c> where that is not the decimal comma).</summary>
    public string Value { get; set; } = "";

    /// <summary>The upper bound of <c>between</c>.</summary>
    public string Value2 { get; set; } = "";

    public FeatureField? Definition => FeatureFields.Find(Field);

    /// <summary>Chooses a field and keeps the operator only if it still applies.</summary>
    public void SetField(string? field)
    {
        Field = field;
        var operators = RuleDraft.OperatorsFor(Definition?.Type);
        if (!operators.Contains(Operator))
        {
            Operator = operators.FirstOrDefault() ?? "=";
        }
        if (Definition?.Type == "bool" && Value is not ("true" or "false"))
        {
            Value = "true";
        }
    }

    public JsonNode ToJson(CultureInfo culture)
    {
        var node = new JsonObject { ["field"] = Field ?? "", ["operator"] = Operator };
        var type = Definition?.Type;
        switch (Operator)
        {
            case "is null" or "is not null":
                break;
            case "between":
                node["values"] = new JsonArray(Json(type, Value, culture), Json(type, Value2, culture));
                break;
            case "in":
                node["values"] = new JsonArray([.. SplitList(Value, type, culture).Select(v => Json(type, v, culture))]);
                break;
            default:
                node["value"] = Json(type, Value, culture);
                break;
        }
        return node;
    }

    public static DraftCondition? FromJson(JsonObject node, CultureInfo culture)
    {
        if (node["field"] is not JsonValue field || node["operator"] is not JsonValue op)
        {
            return null;
        }
        var condition = new DraftCondition { Field = (string?)field, Operator = (string?)op ?? "=" };
        var values = (node["values"] as JsonArray)?.Select(v => Text(v, culture)).ToList() ?? [];
        switch (condition.Operator)
        {
            case "between" when values.Count == 2:
                (condition.Value, condition.Value2) = (values[0], values[1]);
                break;
            case "in":
                condition.Value = string.Join(ListSeparator(condition.Definition?.Type, culture) + " ", values);
                break;
            default:
                condition.Value = node["value"] is { } value ? Text(value, culture) : "";
                break;
        }
        return condition;
    }

    public string Describe(CultureInfo culture, RuleWords? words = null)
    {
        var name = Field is null ? "?" : words?.Field(Field) ?? Field;
        var type = Definition?.Type;
        string Word(string op) => words?.Operator(op) ?? op;
        return Operator switch
        {
            "is null" or "is not null" => $"{name} {Word(Operator)}",
            "between" => $"{name} {Word("between")} {Shown(type, Value, culture)} {Word("and")} {Shown(type, Value2, culture)}",
            "in" => $"{name} {Word("in")} [{string.Join(ListSeparator(type, culture) + " ", SplitList(Value, type, culture).Select(v => Shown(type, v, culture)))}]",
            _ => $"{name} {Operator} {Shown(type, Value, culture)}",
        };
    }

    /// <summary>A list item separator that cannot be mistaken for the culture's decimal comma.</summary>
    public static string ListSeparator(string? type, CultureInfo culture) =>
        type is "decimal" && culture.NumberFormat.NumberDecimalSeparator == "," ? ";" : ",";

    private static IEnumerable<string> SplitList(string text, string? type, CultureInfo culture)
    {
        var separators = ListSeparator(type, culture) == ";" ? new[] { ';' } : [';', ','];
        return text.Split(separators, StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>The typed value as JSON of the field's type; anything unreadable stays text for the service to refuse.</summary>
    private static JsonNode Json(string? type, string text, CultureInfo culture)
    {
        var trimmed = text.Trim();
        switch (type)
        {
            case "int" when TryNumber(trimmed, culture, out var number) && decimal.Truncate(number) == number:
                return JsonValue.Create((long)number)!;
            case "decimal" when TryNumber(trimmed, culture, out var number):
                return JsonValue.Create(number)!;
            case "bool" when bool.TryParse(trimmed, out var flag):
                return JsonValue.Create(flag)!;
            default:
                return JsonValue.Create(type == "text" ? text : trimmed)!;
        }
    }

    /// <summary>A number in the user's culture, else in invariant notation (0.5 typed on a German page).</summary>
    private static bool TryNumber(string text, CultureInfo culture, out decimal number) =>
        decimal.TryParse(text, NumberStyles.Float, culture, out number)
        || decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out number);

    private static string Shown(string? type, string text, CultureInfo culture) =>
        type is "int" or "decimal" && TryNumber(text.Trim(), culture, out var number) ? number.ToString(culture)
        : type == "text" ? text
        : text.Trim();

    private static string Text(JsonNode? value, CultureInfo culture) => value?.GetValueKind() switch
    {
        JsonValueKind.Number => value.GetValue<decimal>().ToString(culture),
        JsonValueKind.String => value.GetValue<string>(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => "",
    };
}

/// <summary>The reader's words for a rule's fields and its worded operators (between, in, is null); symbols stay symbols.</summary>
public sealed record RuleWords(Func<string, string> Field, Func<string, string> Operator);
