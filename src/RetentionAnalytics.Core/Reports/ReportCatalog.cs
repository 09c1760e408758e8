using System.Globalization;
using System.Text.RegularExpressions;
using RetentionAnalytics.Core.Definitions;
using RetentionAnalytics.Core.Exports;
using RetentionAnalytics.Core.Warehouse;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace RetentionAnalytics.Core.Reports;

public sealed class ReportDefinitionException(string message) : Exception(message);

/// <summary>
/// The fixed reports: every <c>reports/fixed/&lt;id&gt;.yaml</c> with the <c>.sql</c> files it names, validated on load
/// so that a broken definition stops the portal's start (and fails a test) with a message naming the file and the
/// fault, instead of failing when a leader opens the report.
/// </summary>
public sealed partial class ReportCatalog
{
    /// <summary>The scope predicate every report and drill-through query must contain, verbatim.</summary>
    public const string ScopePredicate = "($scope_all or list_contains(string_split($scope_cities, ','), city_code))";

    /// <summary>Names the engine binds itself: the viewer's scope and language.</summary>
    public static readonly string[] EngineParameters = ["scope_all", "scope_cities", "lang"];

    /// <summary>The portal's role names (PortalRoles); a definition may grant only these.</summary>
    public static readonly string[] KnownRoles = ["administrator", "leader", "city_manager", "analyst", "user", "supervisor", "agent"];

    private static readonly IDeserializer Deserializer = new DeserializerBuilder()
        .WithNamingConvention(UnderscoredNamingConvention.Instance)
        .Build();

    private volatile Dictionary<string, ReportDefinition> _byId;

    private ReportCatalog(IEnumerable<ReportDefinition> definitions, IReadOnlyList<string>? problems = null)
    {
        _byId = definitions.ToDictionary(d => d.Id, StringComparer.Ordinal);
        Problems = problems ?? [];
    }

    /// <summary>Definitions left out because they cannot be used (file and reason); <c>ra check</c> lists them too.</summary>
    public IReadOnlyList<string> Problems { get; private set; }

    /// <summary>Takes the definitions of another catalogue (a reload from the definitions folder).</summary>
    public void ReplaceWith(ReportCatalog other)
    {
        _byId = other._byId;
        Problems = other.Problems;
    }

    /// <summary>In group, then id order.</summary>
    public IReadOnlyList<ReportDefinition> All =>
        _byId.Values.OrderBy(d => d.Group, StringComparer.Ordinal).ThenBy(d => d.Id, StringComparer.Ordinal).ToList();

    public ReportDefinition? Find(string id) => _byId.GetValueOrDefault(id);

    /// <summary>The definitions folder beside the binaries (the build copies <c>reports/fixed</c> there).</summary>
    public static string FolderOf(WarehouseOptions options) => Path.Combine(options.ArtefactRoot, "reports", "fixed");

    public static ReportCatalog Load(string folder, SqlFiles sql)
    {
        if (!Directory.Exists(folder))
        {
            throw new ReportDefinitionException($"report folder {folder} not found");
        }
        return Load(Directory.GetFiles(folder, "*.yaml").Order(StringComparer.Ordinal).ToList(), sql, folder);
    }

    /// <summary>The effective report files of the definitions folders (an operator's over the shipped ones).</summary>
    public static ReportCatalog Load(DefinitionFolders folders, SqlFiles sql) =>
        Load(folders.Files(DefinitionFolders.Reports), sql, folders.Describe(DefinitionFolders.Reports));

    private static ReportCatalog Load(IReadOnlyList<string> files, SqlFiles sql, string where)
    {
        // one broken definition (an operator's new file) leaves that report out; the others serve as before
        var definitions = new List<ReportDefinition>();
        var problems = new List<string>();
        foreach (var file in files)
        {
            try
            {
                definitions.Add(LoadFile(file, sql));
            }
            catch (ReportDefinitionException ex)
            {
                problems.Add(ex.Message);
            }
        }
        if (definitions.Count == 0)
        {
            throw new ReportDefinitionException($"no usable report definitions in {where}{string.Concat(problems.Select(p => "; " + p))}");
        }
        return new ReportCatalog(definitions, problems);
    }

    public static ReportDefinition LoadFile(string file, SqlFiles sql)
    {
        var expectedId = Path.GetFileNameWithoutExtension(file);
        ReportDefinition definition;
        try
        {
            definition = Deserializer.Deserialize<ReportDefinition>(File.ReadAllText(file))
                ?? throw new ReportDefinitionException($"report {expectedId}.yaml is empty");
        }
        catch (YamlDotNet.Core.YamlException ex)
        {
            throw new ReportDefinitionException($"report {expectedId}.yaml: invalid YAML at {ex.Start}: {YamlErrors.Reason(ex)}");
        }
        Validate(definition, expectedId, sql);
        return definition;
    }

    public static void Validate(ReportDefinition d, string expectedId, SqlFiles sql)
    {
        void Check(bool ok, string why)
        {
            if (!ok)
            {
                throw new ReportDefinitionException($"report {expectedId}.yaml: {why}");
            }
        }

        Check(d.Id == expectedId, $"id '{d.Id}' differs from the file name");
        Check(IdPattern().IsMatch(d.Id), "id must be lower snake case");
        Check(!string.IsNullOrWhiteSpace(d.Group), "group is required");
        Check(d.Title.IsComplete, "title en, de and zh are required");
        Check(d.Roles.Count > 0, "roles: at least one role is required (no roles would hide the report from everyone)");
        foreach (var role in d.Roles)
        {
            Check(KnownRoles.Contains(role), $"role '{role}' is not a portal role ({string.Join(", ", KnownRoles)})");
        }

        var parameterNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var p in d.Parameters)
        {
            Check(NamePattern().IsMatch(p.Name), $"parameter name '{p.Name}' must be lower snake case");
            Check(parameterNames.Add(p.Name), $"parameter '{p.Name}' is declared twice");
            Check(!EngineParameters.Contains(p.Name), $"parameter '{p.Name}' is reserved for the engine");
            Check(ParameterTypes.All.Contains(p.Type), $"parameter '{p.Name}': type must be one of {string.Join(", ", ParameterTypes.All)}");
            Check(p.Label.IsComplete, $"parameter '{p.Name}': label en, de and zh are required");
            Check(p.Min is null || p.Max is null || p.Min <= p.Max, $"parameter '{p.Name}': min is above max");
            Check(p.Optional || p.Default is not null || p.Type == ParameterTypes.City, $"parameter '{p.Name}': a required parameter needs a default");
            if (p.Default is { } def)
            {
                Check(DefaultIsValid(p, def), $"parameter '{p.Name}': default '{def}' is not a valid {p.Type} within the bounds");
            }
            Check(p.Type != ParameterTypes.City || p.Optional, $"parameter '{p.Name}': a city parameter must be optional (empty = every city of the viewer's scope)");
        }
        foreach (var p in d.Parameters.Where(p => p.NotBefore is not null))
        {
            Check(p.Type == ParameterTypes.Month && d.Parameters.Any(o => o.Name == p.NotBefore && o.Name != p.Name && o.Type == ParameterTypes.Month),
                $"parameter '{p.Name}': not_before must name another month parameter, on a month parameter");
        }

        var columnNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var c in d.Columns)
        {
            Check(NamePattern().IsMatch(c.Name), $"column name '{c.Name}' must be lower snake case");
            Check(columnNames.Add(c.Name), $"column '{c.Name}' is declared twice");
            Check(c.Hidden || c.Header.IsComplete, $"column '{c.Name}': header en, de and zh are required");
            Check(TotalKinds.All.Contains(c.Total), $"column '{c.Name}': total must be one of {string.Join(", ", TotalKinds.All)}");
            Check(c.Names is null || NameBook.Dimensions.Contains(c.Names), $"column '{c.Name}': names must be one of {string.Join(", ", NameBook.Dimensions)}");
            Check(c.Names is null || c.Labels is null, $"column '{c.Name}': names and labels exclude each other");
            Check(c.Names is null && c.Labels is null || c.Format == ColumnFormat.Text, $"column '{c.Name}': names and labels belong to a Text column of codes");
            Check(c.Period is null || c.Period == "month" && c.Format == ColumnFormat.Text, $"column '{c.Name}': period must be month, on a Text column of yyyy-MM");
            Check(c.Format != ColumnFormat.Month, $"column '{c.Name}': format Month is what an export makes of a Text column with period: month; declare that instead");
            Check(c.ShownAs is null || c.Hidden && d.Columns.Any(o => o.Name == c.ShownAs && !o.Hidden),
                $"column '{c.Name}': shown_as names a visible column and belongs to a hidden one");
            foreach (var (code, label) in c.Labels ?? [])
            {
                Check(label.IsComplete, $"column '{c.Name}': label of '{code}' needs en, de and zh");
            }
        }
        Check(d.Columns.Any(c => !c.Hidden), "at least one visible column is required");
        foreach (var c in d.Columns)
        {
            var numeric = c.Format is ColumnFormat.Integer or ColumnFormat.Decimal or ColumnFormat.Money or ColumnFormat.Percent;
            if (c.Total is TotalKinds.Sum or TotalKinds.Ratio)
            {
                Check(numeric, $"column '{c.Name}': a {c.Total} total needs a number format");
            }
            if (c.Total == TotalKinds.Sum)
            {
                Check(c.Format != ColumnFormat.Percent, $"column '{c.Name}': a percentage is never summed; use total: ratio with its numerator and denominator");
            }
            if (c.Total == TotalKinds.Ratio)
            {
                foreach (var (role, part) in new[] { ("numerator", c.Numerator), ("denominator", c.Denominator) })
                {
                    Check(part is not null && d.Column(part) is { } pc && pc.Total == TotalKinds.Sum,
                        $"column '{c.Name}': ratio {role} '{part}' must be a column with total: sum");
                }
            }
            else
            {
                Check(c.Numerator is null && c.Denominator is null, $"column '{c.Name}': numerator and denominator belong to total: ratio");
            }
        }

        foreach (var s in d.Sort)
        {
            Check(columnNames.Contains(s.Column), $"sort column '{s.Column}' is not a column");
        }
        if (d.SubtotalBy is { } by)
        {
            Check(columnNames.Contains(by), $"subtotal_by '{by}' is not a column");
            Check(d.Sort.Count > 0 && d.Sort[0].Column == by, $"subtotal_by '{by}' must be the first sort column, so that its groups are contiguous");
        }
        if (d.Chart is { } chart)
        {
            Check(ChartTypes.All.Contains(chart.Type), $"chart type must be one of {string.Join(", ", ChartTypes.All)}");
            Check(columnNames.Contains(chart.X), $"chart x '{chart.X}' is not a column");
            Check(chart.Series is null || columnNames.Contains(chart.Series), $"chart series '{chart.Series}' is not a column");
            Check(chart.Series != chart.X, "chart series must differ from x");
            Check(chart.Values.Count > 0, "chart needs at least one value");
            foreach (var v in chart.Values)
            {
                // rows that share a category (and series) are added up, so each value needs a rule for adding up
                Check(d.Column(v) is { Format: not ColumnFormat.Text, Total: TotalKinds.Sum or TotalKinds.Ratio },
                    $"chart value '{v}' must be a number column with total: sum or ratio");
            }
        }

        CheckSql(d.Sql, parameterNames, "sql");
        var drillColumns = new HashSet<string>(StringComparer.Ordinal);
        foreach (var drill in d.Drill)
        {
            Check(columnNames.Contains(drill.Column), $"drill column '{drill.Column}' is not a column");
            Check(drillColumns.Add(drill.Column), $"drill column '{drill.Column}' has two drill-throughs");
            foreach (var key in drill.Keys)
            {
                Check(columnNames.Contains(key), $"drill key '{key}' is not a column");
                Check(!parameterNames.Contains(key), $"drill key '{key}' has the name of a parameter");
            }
            CheckSql(drill.Sql, [.. parameterNames, .. drill.Keys], $"drill '{drill.Column}'");
        }

        void CheckSql(string path, IReadOnlyCollection<string> allowed, string what)
        {
            Check(!string.IsNullOrWhiteSpace(path), $"{what}: the .sql file is required");
            string text;
            try
            {
                text = sql.Get(path);
            }
            catch (FileNotFoundException)
            {
                throw new ReportDefinitionException($"report {expectedId}.yaml: {what}: {path} not found under sql/");
            }
            Check(text.Contains(ScopePredicate, StringComparison.Ordinal), $"{what}: {path} does not filter by the scope predicate {ScopePredicate}");
            foreach (var name in ParametersOf(text))
            {
                Check(allowed.Contains(name) || EngineParameters.Contains(name), $"{what}: {path} uses ${name}, which is neither a parameter nor a key");
            }
        }
    }

    /// <summary>The <c>$name</c> parameters a statement uses (bound by name; DuckDB refuses values it does not use).</summary>
    public static IReadOnlySet<string> ParametersOf(string sql) =>
        SqlParameter().Matches(StripComments(sql)).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);

    private static string StripComments(string sql) => LineComment().Replace(sql, "");

    private static bool DefaultIsValid(ReportParameter p, string value) => p.Type switch
    {
        ParameterTypes.Month => ReportMonth.BeforeLatest(value) is not null || ReportMonth.TryParse(value, out _),
        ParameterTypes.Integer => long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) && InBounds(p, l),
        ParameterTypes.Decimal => decimal.TryParse(value, DecimalStyle, CultureInfo.InvariantCulture, out var m) && InBounds(p, m),
        _ => value.Length == 0,
    };

    /// <summary>
    /// A decimal parameter's text: a point before the decimals, no group separators. "1,5" is refused rather than read as
    /// 15: a comma is the decimal mark of German readers, and a figure silently ten times larger is worse than a refusal.
    /// </summary>
    public const NumberStyles DecimalStyle =
        NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite | NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint;

    internal static bool InBounds(ReportParameter p, decimal value) => (p.Min is null || value >= p.Min) && (p.Max is null || value <= p.Max);

    [GeneratedRegex("^[a-z][a-z0-9_]*$")]
    private static partial Regex IdPattern();

    [GeneratedRegex("^[a-z][a-z0-9_]*$")]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"\$([a-z_][a-z0-9_]*)")]
    private static partial Regex SqlParameter();

    [GeneratedRegex("--[^\n]*")]
    private static partial Regex LineComment();
}
