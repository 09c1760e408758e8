using System.Globalization;
using System.Text.Json;
using Dapper;
using RetentionAnalytics.Core.Access;
using RetentionAnalytics.Core.Audit;
using RetentionAnalytics.Core.Refusals;
using RetentionAnalytics.Core.Warehouse;

namespace RetentionAnalytics.Core.Scenarios;

/// <summary>
/// A node of a rule's condition tree: either a group (<c>op</c> and|or over <c>conditions</c>) or a test of one
/// feature (<c>field</c>, <c>operator</c>, <c>value</c> or <c>values</c>). JSON format in docs/scenarios.md.
/// </summary>
public sealed class RuleCondition
{
    public string? Op { get; set; }
    public List<RuleCondition>? Conditions { get; set; }
    public string? Field { get; set; }
    public string? Operator { get; set; }
    public JsonElement? Value { get; set; }
    public List<JsonElement>? Values { get; set; }
}

public sealed record CustomRule(
    long RuleId, string Name, string? Description, string DefinitionJson, int Priority, string Action, string Owner,
    bool ScopeAll, string? ScopeCities, DateTime CreatedAt, DateTime UpdatedAt, bool Enabled)
{
    public string ScenarioId => CustomRules.IdPrefix + RuleId.ToString(CultureInfo.InvariantCulture);

    public RegionScope Scope => ScopeAll
        ? RegionScope.WholeProvince
        : RegionScope.ForCities((ScopeCities ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries));
}

/// <summary>A rule that cannot be accepted: unknown field, wrong value type, bad operator, malformed JSON.</summary>
public sealed class CustomRuleException(CustomRuleRefusal code, string message, params object[] args) : RefusalException(code, message, args);

/// <summary>A feature field as a refusal names it: the rules page shows the field's name in the reader's language.</summary>
public sealed record RuleFieldName(string Field)
{
    public override string ToString() => Field;
}

/// <summary>An operator as a refusal names it: the rules page shows its word in the reader's language.</summary>
public sealed record RuleOperator(string Op)
{
    public override string ToString() => Op;
}

/// <summary>Why a rule is refused (texts: CustomRuleRefusal_* in the portal's refusal resources).</summary>
public enum CustomRuleRefusal
{
    NoScope, NoRule, NotJson, Empty, TooDeep, GroupOrCondition, GroupOp, EmptyGroup, TooManyConditions, UnknownField,
    UnknownOperator, OperatorNotApplicable, TakesNoValue, BetweenValues, BetweenOrder, InValues, InTooMany, NeedsOneValue,
    NeedsWholeNumber, NeedsNumber, NeedsTrueOrFalse, NeedsText, Name, Priority, Action,
}

/// <summary>
/// Scenario 16, custom reminders: analysts' rules over the feature mart, stored as JSON, validated and compiled to SQL
/// whose column names come only from <see cref="FeatureFields"/> and whose values are all bound parameters. A rule
/// keeps its owner's region scope and never flags a subscriber outside it. The rules are operational data
/// (<see cref="Db.Ops"/>); what joins them with warehouse tables reads them into a temp table first.
/// </summary>
public sealed class CustomRules(Db db, AuditLog audit)
{
    public const string IdPrefix = "custom_";
    private const int MaxConditions = 50;
    private const int MaxDepth = 5;
    private const int MaxListItems = 100;
    private const int MaxTextLength = 100;

    private static readonly string[] Comparisons = ["=", "<>", "<", "<=", ">", ">="];
    private static readonly string[] Operators = [.. Comparisons, "between", "in", "is null", "is not null"];

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        PropertyNameCaseInsensitive = false,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
        // a misspelt key ("feild") is an error, not a silently missing condition
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
    };

    public CustomRule Create(string name, string? description, string definitionJson, int priority, string action,
        string owner, RegionScope ownerScope)
    {
        var canonical = Canonical(Parse(definitionJson));
        CheckHeader(name, priority, action);
        if (ownerScope.IsEmpty)
        {
            throw new CustomRuleException(CustomRuleRefusal.NoScope, "a user without a region scope cannot own a rule");
        }
        using var c = db.Ops.Connect();
        var ruleId = c.ExecuteScalar<long>(db.Ops.Sql.Get("detect/rule_create.sql"),
            new { name, description, canonical, priority, action, owner, scopeAll = ownerScope.Province, scopeCities = string.Join(',', ownerScope.Cities) });
        audit.Write(owner, "rule_change", IdPrefix + ruleId, detail: "created");
        return Get(ruleId)!;
    }

    public CustomRule Update(long ruleId, string name, string? description, string definitionJson, int priority,
        string action, bool enabled, string username)
    {
        var canonical = Canonical(Parse(definitionJson));
        CheckHeader(name, priority, action);
        var existing = Get(ruleId) ?? throw new CustomRuleException(CustomRuleRefusal.NoRule, $"no custom rule {ruleId}", ruleId);
        using (var c = db.Ops.Connect())
        {
            c.Execute(db.Ops.Sql.Get("detect/rule_update.sql"), new { ruleId, name, description, canonical, priority, action, enabled });
        }
        audit.Write(username, "rule_change", existing.ScenarioId, detail: enabled ? "updated" : "updated, disabled");
        return Get(ruleId)!;
    }

    public void Delete(long ruleId, string username)
    {
        using var c = db.Ops.Connect();
        if (c.Execute(db.Ops.Sql.Get("detect/rule_delete.sql"), new { ruleId }) > 0)
        {
            audit.Write(username, "rule_change", IdPrefix + ruleId, detail: "deleted");
        }
    }

    public CustomRule? Get(long ruleId) => All().SingleOrDefault(r => r.RuleId == ruleId);

    /// <summary>Every rule, oldest first (operational data: a rule saved on any node).</summary>
    public IReadOnlyList<CustomRule> All()
    {
        using var c = db.Ops.Connect();
        return c.Query<CustomRule>(db.Ops.Sql.Get("detect/rules.sql")).ToList();
    }

    /// <summary>The rule behind a scenario id <c>custom_&lt;rule id&gt;</c>, or null.</summary>
    public CustomRule? FindByScenarioId(string scenarioId) =>
        scenarioId.StartsWith(IdPrefix, StringComparison.Ordinal)
        && long.TryParse(scenarioId.AsSpan(IdPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? Get(id)
            : null;

    /// <summary>Parses and validates a definition; throws <see cref="CustomRuleException"/> with the first problem.</summary>
    public static RuleCondition Parse(string definitionJson)
    {
        RuleCondition? root;
        try
        {
            root = JsonSerializer.Deserialize<RuleCondition>(definitionJson, Json);
        }
        catch (JsonException ex)
        {
            throw new CustomRuleException(CustomRuleRefusal.NotJson,
                $"the rule is not well-formed JSON or has an unknown key (at {ex.Path ?? "$"}, line {ex.LineNumber + 1}); " +
                "expected {\"op\": \"and\", \"conditions\": [{\"field\": ..., \"operator\": ..., \"value\": ...}]}",
                ex.Path ?? "$", (ex.LineNumber ?? 0) + 1);
        }
        if (root is null)
        {
            throw new CustomRuleException(CustomRuleRefusal.Empty, "the rule is empty");
        }
        var count = 0;
        Check(root, 1, ref count);
        return root;
    }

    /// <summary>
    /// The rule as a detector: the custom-rule SQL with the compiled condition and evidence, every value bound.
    /// <paramref name="ruleScope"/> is the owner's scope; a caller's scope is intersected with it when the query runs.
    /// </summary>
    public DetectorQuery Compile(string scenarioId, string ruleName, int priority, string definitionJson, RegionScope ruleScope)
    {
        var root = Parse(definitionJson);
        var values = new Dictionary<string, object?>
        {
            ["rule_id"] = scenarioId,
            ["rule_name"] = ruleName,
            // custom rules carry no ranking of their own: the analyst's priority orders them (1 → 1.0 … 5 → 0.2)
            ["rule_score"] = (6 - priority) / 5.0,
        };
        var evidence = new List<string>();
        var condition = Compile(root, values, evidence);
        var sql = db.Sql.Get("detect/custom_rule.sql")
            .Replace("/*condition*/", condition, StringComparison.Ordinal)
            .Replace("/*evidence*/", string.Join(",\n        ", evidence), StringComparison.Ordinal);
        var canonical = Canonical(root);
        return new DetectorQuery(scenarioId, sql, values, canonical, ScenarioParameters.Hash(canonical), ruleScope);
    }

    internal static string Canonical(RuleCondition root) => JsonSerializer.Serialize(root, Json);

    private static void Check(RuleCondition node, int depth, ref int count)
    {
        if (depth > MaxDepth)
        {
            throw new CustomRuleException(CustomRuleRefusal.TooDeep, $"groups nest deeper than {MaxDepth} levels", MaxDepth);
        }
        if (node.Op is not null || node.Conditions is not null)
        {
            if (node.Field is not null || node.Operator is not null)
            {
                throw new CustomRuleException(CustomRuleRefusal.GroupOrCondition, "a node is either a group (op, conditions) or a condition (field, operator, value)");
            }
            if (node.Op is not ("and" or "or"))
            {
                throw new CustomRuleException(CustomRuleRefusal.GroupOp, $"group op must be \"and\" or \"or\", not \"{Shorten(node.Op)}\"", Shorten(node.Op));
            }
            if (node.Conditions is not { Count: > 0 })
            {
                throw new CustomRuleException(CustomRuleRefusal.EmptyGroup, "a group needs at least one condition");
            }
            foreach (var child in node.Conditions)
            {
                Check(child, depth + 1, ref count);
            }
            return;
        }
        if (++count > MaxConditions)
        {
            throw new CustomRuleException(CustomRuleRefusal.TooManyConditions, $"a rule holds at most {MaxConditions} conditions", MaxConditions);
        }
        var field = FeatureFields.Find(node.Field)
            ?? throw new CustomRuleException(CustomRuleRefusal.UnknownField, $"unknown field \"{Shorten(node.Field)}\"; allowed fields are listed in docs/scenarios.md", Shorten(node.Field));
        var op = node.Operator;
        if (op is null || !Operators.Contains(op))
        {
            throw new CustomRuleException(CustomRuleRefusal.UnknownOperator, $"{field.Name}: unknown operator \"{Shorten(op)}\"; use one of {string.Join(", ", Operators)}",
                new RuleFieldName(field.Name), Shorten(op), string.Join(", ", Operators));
        }
        if (field.Type is "text" or "bool" && op is "<" or "<=" or ">" or ">=" or "between"
            || field.Type == "bool" && op == "in")
        {
            throw new CustomRuleException(CustomRuleRefusal.OperatorNotApplicable, $"{field.Name} ({field.Type}): operator {op} does not apply", new RuleFieldName(field.Name), new RuleOperator(op));
        }
        switch (op)
        {
            case "is null" or "is not null":
                if (node.Value is not null || node.Values is not null)
                {
                    throw new CustomRuleException(CustomRuleRefusal.TakesNoValue, $"{field.Name} {op} takes no value", new RuleFieldName(field.Name), new RuleOperator(op));
                }
                break;
            case "between":
                if (node.Values is not { Count: 2 } || node.Value is not null)
                {
                    throw new CustomRuleException(CustomRuleRefusal.BetweenValues, $"{field.Name} between needs \"values\": [low, high]", new RuleFieldName(field.Name));
                }
                if (Convert(field, node.Values[0]) is decimal low && Convert(field, node.Values[1]) is decimal high && low > high
                    || Convert(field, node.Values[0]) is long l && Convert(field, node.Values[1]) is long h && l > h)
                {
                    throw new CustomRuleException(CustomRuleRefusal.BetweenOrder, $"{field.Name} between: the low value is above the high value", new RuleFieldName(field.Name));
                }
                break;
            case "in":
                if (node.Values is not { Count: > 0 } || node.Value is not null)
                {
                    throw new CustomRuleException(CustomRuleRefusal.InValues, $"{field.Name} in needs \"values\": [a, b, ...]", new RuleFieldName(field.Name));
                }
                if (node.Values.Count > MaxListItems)
                {
                    throw new CustomRuleException(CustomRuleRefusal.InTooMany, $"{field.Name} in: at most {MaxListItems} values", new RuleFieldName(field.Name), MaxListItems);
                }
                foreach (var v in node.Values)
                {
                    Convert(field, v);
                }
                break;
            default:
                if (node.Value is not { } single || node.Values is not null)
                {
                    throw new CustomRuleException(CustomRuleRefusal.NeedsOneValue, $"{field.Name} {op} needs one \"value\"", new RuleFieldName(field.Name), new RuleOperator(op));
                }
                Convert(field, single);
                break;
        }
    }

    /// <summary>The value as the type the column has; anything else is a clear error, never a cast in SQL.</summary>
    private static object Convert(FeatureField field, JsonElement value)
    {
        switch (field.Type)
        {
            case "int":
                if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var whole))
                {
                    return whole;
                }
                break;
            case "decimal":
                if (value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out var number))
                {
                    return number;
                }
                break;
            case "bool":
                if (value.ValueKind is JsonValueKind.True or JsonValueKind.False)
                {
                    return value.GetBoolean();
                }
                break;
            case "text":
                if (value.ValueKind == JsonValueKind.String && value.GetString() is { Length: <= MaxTextLength } text)
                {
                    return text;
                }
                break;
        }
        var (code, expected) = field.Type switch
        {
            "int" => (CustomRuleRefusal.NeedsWholeNumber, "a whole number"),
            "decimal" => (CustomRuleRefusal.NeedsNumber, "a number"),
            "bool" => (CustomRuleRefusal.NeedsTrueOrFalse, "true or false"),
            _ => (CustomRuleRefusal.NeedsText, $"a text of at most {MaxTextLength} characters"),
        };
        throw new CustomRuleException(code, $"{field.Name} ({field.Type}) needs {expected}, not {Describe(value)}",
            new RuleFieldName(field.Name), Shorten(value.ValueKind == JsonValueKind.String ? $"\"{value.GetString()}\"" : value.GetRawText()), MaxTextLength);
    }

    private static string Compile(RuleCondition node, Dictionary<string, object?> values, List<string> evidence)
    {
        if (node.Conditions is { } children)
        {
            var joiner = node.Op == "or" ? " or " : " and ";
            return "(" + string.Join(joiner, children.Select(c => Compile(c, values, evidence))) + ")";
        }
        // the column name is the whitelist's own string, never the text the analyst sent
        var field = FeatureFields.Find(node.Field)!;
        var column = "features." + field.Name;
        string Bind(object value)
        {
            var name = "v" + values.Count.ToString(CultureInfo.InvariantCulture);
            values[name] = value;
            return "$" + name;
        }
        var op = node.Operator!;
        var predicate = op switch
        {
            "is null" or "is not null" => $"{column} {op}",
            "between" => $"{column} between {Bind(Convert(field, node.Values![0]))} and {Bind(Convert(field, node.Values[1]))}",
            "in" => $"{column} in ({string.Join(", ", node.Values!.Select(v => Bind(Convert(field, v))))})",
            _ => $"{column} {op} {Bind(Convert(field, node.Value!.Value))}",
        };
        var label = Bind(Label(field, node));
        var shown = field.Type == "decimal" ? $"cast(round({column}, 4) as varchar)" : $"cast({column} as varchar)";
        evidence.Add($"case when {predicate} then {label} || ' (is ' || coalesce({shown}, 'null') || ')' end");
        return "(" + predicate + ")";
    }

    /// <summary>How a condition reads in the evidence: "arpu_trend &lt; 0.5", "value_tier in [high, mid]".</summary>
    private static string Label(FeatureField field, RuleCondition node) => node.Operator switch
    {
        "is null" or "is not null" => $"{field.Name} {node.Operator}",
        "between" => $"{field.Name} between {Text(node.Values![0])} and {Text(node.Values[1])}",
        "in" => $"{field.Name} in [{string.Join(", ", node.Values!.Select(Text))}]",
        _ => $"{field.Name} {node.Operator} {Text(node.Value!.Value)}",
    };

    private static string Text(JsonElement v) => v.ValueKind == JsonValueKind.String ? v.GetString()! : v.GetRawText();

    private static string Describe(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.String => $"the text \"{Shorten(v.GetString())}\"",
        JsonValueKind.Number => $"the number {Shorten(v.GetRawText())}",
        JsonValueKind.True or JsonValueKind.False => v.GetRawText(),
        JsonValueKind.Null => "null (use the is null operator)",
        _ => "a " + v.ValueKind.ToString().ToLowerInvariant(),
    };

    private static void CheckHeader(string name, int priority, string action)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > 100)
        {
            throw new CustomRuleException(CustomRuleRefusal.Name, "a rule needs a name of 1..100 characters", 100);
        }
        if (priority is < 1 or > 5)
        {
            throw new CustomRuleException(CustomRuleRefusal.Priority, "priority must be 1..5");
        }
        if (!ScenarioCatalog.Actions.Contains(action))
        {
            throw new CustomRuleException(CustomRuleRefusal.Action, $"action must be one of {string.Join(", ", ScenarioCatalog.Actions)}");
        }
    }

    private static string Shorten(string? s) =>
        s is null ? "" : (s.Length > 40 ? s[..40] + "…" : s).Replace('\n', ' ');
}
