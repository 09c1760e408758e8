using System.Text.RegularExpressions;
using RetentionAnalytics.Core.Reports;
using RetentionAnalytics.Core.Warehouse;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace RetentionAnalytics.Core.Scenarios;

/// <summary>
/// The built-in detectors: every <c>sql/scenarios/&lt;id&gt;.yaml</c> with its sibling <c>&lt;id&gt;.sql</c>, validated on
/// load so that a broken definition fails at start, not in the night run.
/// </summary>
public sealed partial class ScenarioCatalog
{
    public const string Folder = "scenarios";

    /// <summary>Names the runner binds itself; a detector parameter may not take them.</summary>
    public static readonly string[] ReservedNames = ["period", "scenario_id", "params_hash", "run_id", "scope_all", "scope_cities"];

    private static readonly string[] Kinds = ["scenario", "analysis"];
    internal static readonly string[] Actions = ["call", "sms", "both", "report"];

    private volatile Dictionary<string, ScenarioDefinition> _byId;
    private volatile SqlFiles _sql;

    private ScenarioCatalog(IEnumerable<ScenarioDefinition> definitions, SqlFiles sql)
    {
        _sql = sql;
        _byId = definitions.ToDictionary(d => d.Id, StringComparer.Ordinal);
    }

    /// <summary>Takes the definitions of another catalogue (a reload from the definitions folder).</summary>
    public void ReplaceWith(ScenarioCatalog other)
    {
        _sql = other._sql;
        _byId = other._byId;
    }

    /// <summary>In id order: analyses (a…) then scenarios (s…), as the runner runs them.</summary>
    public IReadOnlyList<ScenarioDefinition> All => _byId.Values.OrderBy(d => d.Id, StringComparer.Ordinal).ToList();

    public ScenarioDefinition? Find(string id) => _byId.GetValueOrDefault(id);

    public string SqlOf(string id) => _sql.Get(Path.Combine(Folder, id + ".sql"));

    /// <summary>Every <c>sql/scenarios/*.yaml</c> of the SQL roots (an operator's definitions folder over the shipped one).</summary>
    public static ScenarioCatalog Load(SqlFiles sql)
    {
        var files = sql.List(Folder, "*.yaml");
        if (files.Count == 0 && !sql.Roots.Any(r => Directory.Exists(Path.Combine(r, Folder))))
        {
            throw Invalid($"scenario folder {Path.Combine(sql.Root, Folder)} not found");
        }
        return new ScenarioCatalog(files.Select(f => LoadFile(sql.Find(f)!, sql)), sql);
    }

    private static ScenarioException Invalid(string problem) => new(ScenarioRefusal.Definition, problem, problem);

    /// <summary>One definition file with its SQL, validated.</summary>
    public static ScenarioDefinition LoadFile(string file, SqlFiles sql)
    {
        var expectedId = Path.GetFileNameWithoutExtension(file);
        ScenarioDefinition definition;
        try
        {
            definition = Deserializer.Deserialize<ScenarioDefinition>(File.ReadAllText(file))
                ?? throw Invalid($"{expectedId}.yaml is empty");
        }
        catch (YamlDotNet.Core.YamlException ex)
        {
            throw Invalid($"{expectedId}.yaml: invalid YAML at {ex.Start}: {Definitions.YamlErrors.Reason(ex)}");
        }
        Validate(definition, expectedId, sql);
        return definition;
    }

    private static void Validate(ScenarioDefinition d, string expectedId, SqlFiles sql)
    {
        void Fail(string why) => throw Invalid($"{expectedId}.yaml: {why}");

        if (d.Id != expectedId)
        {
            Fail($"id {d.Id} differs from the file name");
        }
        if (!IdPattern().IsMatch(d.Id))
        {
            Fail("id must be s<nn>_… or a<n>_… in lower snake case");
        }
        if (!Kinds.Contains(d.Kind))
        {
            Fail($"kind must be one of {string.Join(", ", Kinds)}");
        }
        if (string.IsNullOrWhiteSpace(d.Names.En) || string.IsNullOrWhiteSpace(d.Names.De) || string.IsNullOrWhiteSpace(d.Names.Zh))
        {
            Fail("names en, de and zh are required");
        }
        if (!d.Description.IsComplete)
        {
            Fail("description en, de and zh is required");
        }
        if (d.TargetSegment is { IsComplete: false })
        {
            Fail("target_segment needs en, de and zh: target_segment: { en: …, de: …, zh: … }");
        }
        if (d.Priority is < 1 or > 5)
        {
            Fail("priority must be 1..5");
        }
        if (!Actions.Contains(d.Action))
        {
            Fail($"action must be one of {string.Join(", ", Actions)}");
        }
        if (!sql.Exists(Path.Combine(Folder, d.Id + ".sql")))
        {
            Fail($"the detector SQL {d.Id}.sql is missing");
        }
        var text = sql.Get(Path.Combine(Folder, d.Id + ".sql"));
        var names = new HashSet<string>();
        foreach (var p in d.Parameters)
        {
            if (!IdentifierPattern().IsMatch(p.Name) || ReservedNames.Contains(p.Name) || !names.Add(p.Name))
            {
                Fail($"parameter name {p.Name} is not a unique lower snake case name (reserved: {string.Join(", ", ReservedNames)})");
            }
            if (!p.Description.IsComplete)
            {
                Fail($"parameter {p.Name}: description en, de and zh is required");
            }
            if (!ParameterDefinition.Types.Contains(p.Type))
            {
                Fail($"parameter {p.Name}: type must be one of {string.Join(", ", ParameterDefinition.Types)}");
            }
            try
            {
                p.Parse(d.Id, p.Default);
            }
            catch (ScenarioParameterException ex)
            {
                Fail($"default does not fit: {ex.Message}");
            }
            if (!text.Contains("$" + p.Name, StringComparison.Ordinal))
            {
                Fail($"parameter {p.Name} is not used by {d.Id}.sql");
            }
        }
        foreach (Match m in BoundName().Matches(text))
        {
            var name = m.Groups[1].Value;
            if (name != "period" && !names.Contains(name))
            {
                Fail($"{d.Id}.sql binds ${name}, which is not a declared parameter");
            }
        }
    }

    private static readonly IDeserializer Deserializer = new DeserializerBuilder()
        .WithNamingConvention(UnderscoredNamingConvention.Instance)
        .WithTypeConverter(new TextsInThreeLanguages())
        .Build();

    /// <summary>
    /// A text as <c>{ en, de, zh }</c>. A plain value (how target_segment was written before it had three languages)
    /// reads as the English text only, so the check names the field and the languages it lacks instead of failing on
    /// the YAML.
    /// </summary>
    private sealed class TextsInThreeLanguages : IYamlTypeConverter
    {
        public bool Accepts(Type type) => type == typeof(Texts);

        public object? ReadYaml(IParser parser, Type type, ObjectDeserializer rootDeserializer)
        {
            if (parser.TryConsume<Scalar>(out var plain))
            {
                // an empty value (target_segment: or ~) is no text, as leaving the key out
                return plain.IsPlainImplicit && plain.Value is "" or "~" or "null" ? null : new Texts { En = plain.Value };
            }
            var texts = new Texts();
            parser.Consume<MappingStart>();
            while (!parser.TryConsume<MappingEnd>(out _))
            {
                var language = parser.Consume<Scalar>();
                var text = parser.Consume<Scalar>().Value;
                _ = language.Value switch
                {
                    "en" => texts.En = text,
                    "de" => texts.De = text,
                    "zh" => texts.Zh = text,
                    _ => throw new YamlException(language.Start, language.End, $"unknown language '{language.Value}': en, de or zh"),
                };
            }
            return texts;
        }

        public void WriteYaml(IEmitter emitter, object? value, Type type, ObjectSerializer serializer) =>
            throw new NotSupportedException("scenario definitions are read, not written");
    }

    [GeneratedRegex("^[as][0-9]{1,2}_[a-z0-9_]+$")]
    private static partial Regex IdPattern();

    [GeneratedRegex("^[a-z][a-z0-9_]*$")]
    private static partial Regex IdentifierPattern();

    [GeneratedRegex(@"\$([a-z_][a-z0-9_]*)")]
    private static partial Regex BoundName();
}
