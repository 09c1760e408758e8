using System.Text.RegularExpressions;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace RetentionAnalytics.Core.Cubes;

/// <summary>A text in the three portal languages (en, de, zh); a missing language falls back to English.</summary>
public sealed class Texts : Dictionary<string, string>
{
    public string In(string language) =>
        TryGetValue(language, out var text) && !string.IsNullOrWhiteSpace(text) ? text
        : TryGetValue("en", out var en) ? en : "";
}

/// <summary>
/// One cube from <c>reports/cubes/&lt;id&gt;.yaml</c> (format in <c>reports/cubes/README.md</c>). Every identifier that
/// reaches SQL (columns, measure expressions, the source file) comes from here, never from a request.
/// </summary>
public sealed class CubeDefinition
{
    public string Id { get; set; } = "";
    public Texts Title { get; set; } = [];
    /// <summary>The <c>.sql</c> file (relative to <c>sql/</c>) whose result is the cube's base relation.</summary>
    public string Source { get; set; } = "";
    /// <summary>The city column the region-scope predicate filters on.</summary>
    public string ScopeColumn { get; set; } = "city_code";

    /// <summary>Extracts or tables the cube reads beyond the core (<see cref="Definitions.DataRequirements"/>).</summary>
    public List<string> Requires { get; set; } = [];
    public List<CubeDimension> Dimensions { get; set; } = [];
    public List<CubeMeasure> Measures { get; set; } = [];
    /// <summary>
    /// The level at which the base relation holds one row per counted entity (a subscriber once per month): a cell
    /// grouped by it may count rows where a distinct count is needed elsewhere (<see cref="CubeMeasure.SqlAtGrain"/>).
    /// </summary>
    public CubeGrain? Grain { get; set; }

    /// <summary>The key column of the <see cref="Grain"/> level, or null when the cube declares none.</summary>
    public string? GrainKey => Grain is null ? null : Dimension(Grain.Dimension).Level(Grain.Level).Key;

    /// <summary>The same cube counting distinct entities in every cell: the reference its grain is measured against.</summary>
    public CubeDefinition WithoutGrain() => new()
    {
        Id = Id, Title = Title, Source = Source, ScopeColumn = ScopeColumn, Requires = Requires, Dimensions = Dimensions,
        Measures = Measures.Select(m => new CubeMeasure
        {
            Id = m.Id, Title = m.Title, Format = m.Format, Sql = m.Sql, Numerator = m.Numerator, Denominator = m.Denominator,
        }).ToList(),
    };

    public CubeDimension Dimension(string id) =>
        Dimensions.FirstOrDefault(d => d.Id == id) ?? throw new CubeRequestException(CubeRefusal.NoDimension, $"cube {Id} has no dimension '{Short(id)}'", Short(id));

    public CubeMeasure Measure(string id) =>
        Measures.FirstOrDefault(m => m.Id == id) ?? throw new CubeRequestException(CubeRefusal.NoMeasureNamed, $"cube {Id} has no measure '{Short(id)}'", Short(id));

    /// <summary>Names echoed in messages are cut short: a request may carry anything.</summary>
    internal static string Short(string? text) => text is null ? "" : text.Length <= 40 ? text : text[..40] + "…";
}

public sealed class CubeDimension
{
    public string Id { get; set; } = "";
    public Texts Title { get; set; } = [];
    /// <summary>From the top of the hierarchy down (year &gt; quarter &gt; month).</summary>
    public List<CubeLevel> Levels { get; set; } = [];

    public CubeLevel Level(string id) =>
        Levels.FirstOrDefault(l => l.Id == id)
        ?? throw new CubeRequestException(CubeRefusal.NoLevel, $"dimension {Id} has no level '{CubeDefinition.Short(id)}'", CubeDefinition.Short(id));

    /// <summary>The level below <paramref name="id"/>, or null at the bottom.</summary>
    public CubeLevel? Below(string id)
    {
        var index = Levels.FindIndex(l => l.Id == id);
        return index >= 0 && index + 1 < Levels.Count ? Levels[index + 1] : null;
    }

    public CubeLevel? Above(string id)
    {
        var index = Levels.FindIndex(l => l.Id == id);
        return index > 0 ? Levels[index - 1] : null;
    }
}

public sealed class CubeLevel
{
    public string Id { get; set; } = "";
    public Texts Title { get; set; } = [];
    /// <summary>The member key column (grouped by, filtered on).</summary>
    public string Key { get; set; } = "";
    /// <summary>Member label column per language; none: the key is the label.</summary>
    public Dictionary<string, string> Label { get; set; } = [];
    /// <summary>Optional column giving the members' order (value tier high, mid, low); default: by key.</summary>
    public string? Sort { get; set; }
    /// <summary><c>month</c>: the members are months as yyyy-MM, exported as dates a spreadsheet sorts and filters.</summary>
    public string? Period { get; set; }

    public string LabelColumn(string language) =>
        Label.TryGetValue(language, out var column) ? column : Label.TryGetValue("en", out var en) ? en : Key;
}

/// <summary>A level of one of the cube's dimensions (see <see cref="CubeDefinition.Grain"/>).</summary>
public sealed class CubeGrain
{
    public string Dimension { get; set; } = "";
    public string Level { get; set; } = "";
}

public enum MeasureFormat { Integer, Decimal, Money, Percent }

/// <summary>
/// An aggregate (<see cref="Sql"/>) or a ratio of two other measures (<see cref="Numerator"/> / <see cref="Denominator"/>):
/// a ratio is computed from the sums of its parts in every cell and total, never as a sum or average of ratios.
/// </summary>
public sealed class CubeMeasure
{
    public string Id { get; set; } = "";
    public Texts Title { get; set; } = [];
    public MeasureFormat Format { get; set; } = MeasureFormat.Integer;
    public string? Sql { get; set; }
    /// <summary>
    /// Optional: the same figure in a cell grouped by the cube's <see cref="CubeDefinition.Grain"/> level, where each
    /// entity has one row (<c>count(*)</c> for <c>count(distinct subscriber_id)</c>): exact there, and without the
    /// distinct count's cost. Every other cell and total uses <see cref="Sql"/>.
    /// </summary>
    public string? SqlAtGrain { get; set; }
    public string? Numerator { get; set; }
    public string? Denominator { get; set; }

    public bool IsRatio => Numerator is not null;
}

public sealed class CubeDefinitionException(string cube, string message) : Exception($"cube {cube}: {message}");

/// <summary>The cube definitions of a folder, loaded and validated once.</summary>
public sealed partial class CubeCatalog
{
    private volatile Dictionary<string, CubeDefinition> _cubes;

    public CubeCatalog(IEnumerable<CubeDefinition> cubes)
    {
        _cubes = cubes.ToDictionary(c => c.Id);
    }

    /// <summary>Takes the definitions of another catalogue (a reload from the definitions folder).</summary>
    public void ReplaceWith(CubeCatalog other) => _cubes = other._cubes;

    public IReadOnlyList<CubeDefinition> All => _cubes.Values.OrderBy(c => c.Id, StringComparer.Ordinal).ToList();

    public CubeDefinition Get(string id) =>
        _cubes.TryGetValue(id, out var cube) ? cube : throw new KeyNotFoundException($"no cube '{CubeDefinition.Short(id)}'");

    public static CubeCatalog LoadFolder(string folder) =>
        new(Directory.Exists(folder)
            ? Directory.GetFiles(folder, "*.yaml").Order(StringComparer.Ordinal).Select(LoadFile)
            : []);

    /// <summary>The effective cube files of the definitions folders (an operator's over the shipped ones).</summary>
    public static CubeCatalog Load(Definitions.DefinitionFolders folders) =>
        new(folders.Files(Definitions.DefinitionFolders.Cubes).Select(LoadFile));

    public static CubeDefinition LoadFile(string path)
    {
        var name = Path.GetFileNameWithoutExtension(path);
        CubeDefinition cube;
        try
        {
            cube = Deserializer.Deserialize<CubeDefinition>(File.ReadAllText(path))
                ?? throw new CubeDefinitionException(name, "empty definition");
        }
        catch (YamlDotNet.Core.YamlException ex)
        {
            throw new CubeDefinitionException(name, $"invalid YAML at {ex.Start}: {Definitions.YamlErrors.Reason(ex)}");
        }
        if (cube.Id != name)
        {
            throw new CubeDefinitionException(name, $"id '{cube.Id}' must equal the file name");
        }
        Validate(cube);
        return cube;
    }

    private static readonly IDeserializer Deserializer = new DeserializerBuilder()
        .WithNamingConvention(UnderscoredNamingConvention.Instance)
        .Build();

    private static readonly string[] Languages = ["en", "de", "zh"];

    /// <summary>Checks what the generator relies on: identifiers are plain column names, ids unique, ratios resolvable.</summary>
    public static void Validate(CubeDefinition cube)
    {
        void Require(bool ok, string message)
        {
            if (!ok)
            {
                throw new CubeDefinitionException(cube.Id, message);
            }
        }

        void RequireTexts(Texts texts, string what) =>
            Require(Languages.All(l => texts.TryGetValue(l, out var t) && !string.IsNullOrWhiteSpace(t)), $"{what} needs a title in en, de and zh");

        Require(Identifier().IsMatch(cube.Id), "id must be lower snake case");
        RequireTexts(cube.Title, "the cube");
        Require(SourcePath().IsMatch(cube.Source), "source must be a .sql file under sql/ (e.g. cubes/x.sql)");
        Require(Identifier().IsMatch(cube.ScopeColumn), "scope_column must be a column name");
        Require(cube.Dimensions.Count > 0 && cube.Measures.Count > 0, "needs dimensions and measures");
        Require(cube.Dimensions.Select(d => d.Id).Distinct().Count() == cube.Dimensions.Count, "dimension ids must be unique");
        foreach (var dimension in cube.Dimensions)
        {
            Require(Identifier().IsMatch(dimension.Id), $"dimension id '{dimension.Id}' must be lower snake case");
            RequireTexts(dimension.Title, $"dimension {dimension.Id}");
            Require(dimension.Levels.Count > 0, $"dimension {dimension.Id} needs levels");
            Require(dimension.Levels.Select(l => l.Id).Distinct().Count() == dimension.Levels.Count, $"dimension {dimension.Id}: level ids must be unique");
            foreach (var level in dimension.Levels)
            {
                Require(Identifier().IsMatch(level.Id), $"level id '{level.Id}' must be lower snake case");
                RequireTexts(level.Title, $"level {dimension.Id}.{level.Id}");
                Require(Identifier().IsMatch(level.Key), $"level {dimension.Id}.{level.Id}: key must be a column name");
                Require(level.Sort is null || Identifier().IsMatch(level.Sort), $"level {dimension.Id}.{level.Id}: sort must be a column name");
                Require(level.Period is null or "month", $"level {dimension.Id}.{level.Id}: period must be month (members as yyyy-MM)");
                Require(level.Label.All(l => Languages.Contains(l.Key) && Identifier().IsMatch(l.Value)),
                    $"level {dimension.Id}.{level.Id}: label maps en/de/zh to column names");
            }
        }
        if (cube.Grain is { } grain)
        {
            var level = cube.Dimensions.FirstOrDefault(d => d.Id == grain.Dimension)?.Levels.FirstOrDefault(l => l.Id == grain.Level);
            Require(level is not null, $"grain {grain.Dimension}.{grain.Level} must name a level of one of the cube's dimensions");
        }
        Require(cube.Measures.Select(m => m.Id).Distinct().Count() == cube.Measures.Count, "measure ids must be unique");
        foreach (var measure in cube.Measures)
        {
            Require(Identifier().IsMatch(measure.Id), $"measure id '{measure.Id}' must be lower snake case");
            RequireTexts(measure.Title, $"measure {measure.Id}");
            Require(measure.SqlAtGrain is null || cube.Grain is not null && !measure.IsRatio, $"measure {measure.Id}: sql_at_grain needs the cube's grain and an aggregate measure");
            Require(measure.SqlAtGrain is null || !measure.SqlAtGrain.Contains(';') && !measure.SqlAtGrain.Contains("--"),
                $"measure {measure.Id}: sql_at_grain must be one aggregate expression");
            if (measure.IsRatio)
            {
                Require(measure.Sql is null && measure.Denominator is not null, $"measure {measure.Id}: a ratio has numerator and denominator, no sql");
                var parts = new[] { measure.Numerator!, measure.Denominator! }.Select(p => cube.Measures.FirstOrDefault(m => m.Id == p));
                Require(parts.All(p => p is { IsRatio: false }), $"measure {measure.Id}: numerator and denominator must be aggregate measures of this cube");
            }
            else
            {
                Require(!string.IsNullOrWhiteSpace(measure.Sql) && !measure.Sql.Contains(';') && !measure.Sql.Contains("--"),
                    $"measure {measure.Id}: sql must be one aggregate expression");
            }
        }
    }

    [GeneratedRegex("^[a-z][a-z0-9_]*$")]
    internal static partial Regex Identifier();

    [GeneratedRegex("^[a-z0-9_]+(/[a-z0-9_]+)*\\.sql$")]
    private static partial Regex SourcePath();
}
