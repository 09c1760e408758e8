using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using RetentionAnalytics.Core.Warehouse;

namespace RetentionAnalytics.Core.Transforms;

/// <summary>How a model's table is brought up to date (docs/warehouse.md, "refresh").</summary>
public enum RefreshKind
{
    /// <summary>Rebuilt as a whole whenever one of its inputs changed (small tables, one-row tables).</summary>
    Full,

    /// <summary>Rebuilt partition by partition: the rows of the affected values of one date column are replaced.</summary>
    Partition,

    /// <summary>Rebuilt key by key: the rows of the affected key values (an event id, a subscriber) are replaced.</summary>
    Key,

    /// <summary>A view: created once, and again when its SQL changes.</summary>
    View,
}

/// <summary>How an input's changes decide what a model refreshes.</summary>
public enum InputMapping
{
    /// <summary>The model's natural reading: months for partitioned models, keys for keyed ones, anything for full ones.</summary>
    Default,

    /// <summary>Staging input of a partitioned model: the partition values the delivered (and the replaced) rows carry.</summary>
    Rows,

    /// <summary>The changed months and every later month (a state at each month end: open complaints, arrears).</summary>
    From,

    /// <summary>Each changed month c refreshes months c+a .. c+b (look-back and look-ahead of windows).</summary>
    Window,

    /// <summary>Any change refreshes the newest month only, before and after the build (as-of measures).</summary>
    Newest,

    /// <summary>Any change refreshes the whole model.</summary>
    All,
}

/// <summary>One input of a model as its header declares it: <c>-- input: dw.as_of (as_of_date) all</c>.</summary>
public sealed record TransformInput(string Relation, IReadOnlyList<string> Columns, InputMapping Mapping, int WindowFrom = 0, int WindowTo = 0)
{
    public bool IsStaging => Relation.StartsWith("stg.", StringComparison.Ordinal);

    public string StagingExtract => Relation["stg.".Length..];

    public override string ToString() =>
        Relation + (Columns.Count > 0 ? $" ({string.Join(", ", Columns)})" : "") + Mapping switch
        {
            InputMapping.Default => "",
            InputMapping.Window => $" window {WindowFrom} {WindowTo}",
            _ => " " + Mapping.ToString().ToLowerInvariant(),
        };
}

/// <summary>
/// One transform of <c>sql/transforms</c>: a file that builds one table (or view), named <c>NNN_schema_table.sql</c>.
/// Its header declares grain, refresh, inputs, month column and order, the way dbt's incremental models configure
/// themselves; its body is a query, optionally preceded by statements that run before an incremental refresh, with
/// <c>{% if is_incremental() %}</c> blocks that narrow the reads to what is refreshed.
/// </summary>
public sealed partial class TransformModel
{
    public required string File { get; init; }
    public required string Schema { get; init; }
    public required string Table { get; init; }
    public required string Grain { get; init; }
    public required RefreshKind Refresh { get; init; }
    public string? PartitionColumn { get; init; }
    public IReadOnlyList<string> KeyColumns { get; init; } = [];
    public required IReadOnlyList<TransformInput> Inputs { get; init; }

    /// <summary>Keyed models: the date column whose month a row belongs to, for models that read it by month.</summary>
    public string? MonthColumn { get; init; }

    /// <summary>
    /// The columns that identify a row (default: the refresh key). A reader of the states at each month end pairs a
    /// row's old and new version by them: a complaint closed today changes the months from today on, not from its start.
    /// </summary>
    public IReadOnlyList<string> UniqueColumns { get; init; } = [];

    /// <summary>Physical order of a full build (point look-ups by subscriber, month scans).</summary>
    public string? Order { get; init; }

    /// <summary>
    /// A column read by key while someone waits (the serving profile by subscriber): an ART index is created on it after
    /// each full build (DuckDB keeps it up to date through the incremental deletes and inserts).
    /// </summary>
    public string? IndexColumn { get; init; }

    /// <summary>
    /// How a full build is cut into slices (<c>-- slices: 200000</c>), so that a model whose aggregation would hold all of
    /// its inputs at once (the serving profile, the monthly fact and the marts over it) stays within the memory limit
    /// at any size. A model refreshed by one key column: about this many keys of its first input per slice (cut by a
    /// hash). A model refreshed by partition: whole partitions in order, about this many rows of its first input per
    /// slice (at least one partition). Each slice runs the model's incremental form. With <c>per 10GB</c> the number is
    /// for that much of DuckDB's memory and scales with the limit it has (<see cref="PerSlice"/>).
    /// </summary>
    public int? SliceSize { get; init; }

    /// <summary>The DuckDB memory <see cref="SliceSize"/> is meant for (<c>-- slices: 200000 per 10GB</c>); null: any.</summary>
    public long? SliceMemoryBytes { get; init; }

    /// <summary>Keys or rows per slice with DuckDB's memory limit at <paramref name="duckDbMemoryBytes"/> (at least 1,000).</summary>
    public long? PerSlice(long duckDbMemoryBytes) =>
        SliceSize is not { } size ? null
        : SliceMemoryBytes is not { } per ? size
        : (long)Math.Max((double)size * duckDbMemoryBytes / per, 1_000);

    public required string Body { get; init; }
    public required string Fingerprint { get; init; }

    public string Name => $"{Schema}.{Table}";

    public override string ToString() => Name;

    public static TransformModel Parse(string file, string text)
    {
        var fileName = Path.GetFileName(file);
        var nameMatch = FileName().Match(fileName);
        if (!nameMatch.Success)
        {
            throw new TransformException(fileName, 1, "file name must be NNN_<schema>_<table>.sql with schema dw or mart");
        }
        var lines = text.ReplaceLineEndings("\n").Split('\n');
        string? grain = null, refresh = null, month = null, order = null, index = null, slices = null, materialized = null, alias = null, unique = null;
        var refreshLine = 0;
        var inputs = new List<TransformInput>();
        var bodyStart = lines.Length;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (!line.StartsWith("--", StringComparison.Ordinal))
            {
                if (line.Length > 0)
                {
                    bodyStart = i;
                    break;
                }
                continue;
            }
            var setting = Setting().Match(line);
            if (!setting.Success)
            {
                continue;
            }
            var value = setting.Groups["value"].Value.Trim();
            switch (setting.Groups["key"].Value)
            {
                case "grain": grain = value; break;
                case "refresh": refresh = value; refreshLine = i + 1; break;
                case "month": month = value; break;
                case "order": order = value; break;
                case "index": index = value; break;
                case "slices": slices = value; break;
                case "materialized": materialized = value; break;
                case "alias": alias = value; break;
                case "unique": unique = value; break;
                case "input": inputs.Add(ParseInput(fileName, i + 1, value)); break;
            }
        }
        if (grain is null || !lines[0].TrimStart().StartsWith("-- grain:", StringComparison.Ordinal))
        {
            throw new TransformException(fileName, 1, "line 1 must state the grain (-- grain: ...)");
        }

        RefreshKind kind;
        string? partition = null;
        IReadOnlyList<string> keys = [];
        if (materialized == "view")
        {
            kind = RefreshKind.View;
        }
        else if (materialized is not (null or "table"))
        {
            throw new TransformException(fileName, 1, $"materialized must be table or view, not '{materialized}'");
        }
        else
        {
            var parts = (refresh ?? throw new TransformException(fileName, 1, "no '-- refresh:' line (full | partition <column> | key <columns>)"))
                .Split(' ', 2, StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            switch (parts[0])
            {
                case "full":
                    kind = RefreshKind.Full;
                    break;
                case "partition" when parts.Length == 2 && Identifier().IsMatch(parts[1]):
                    kind = RefreshKind.Partition;
                    partition = parts[1];
                    break;
                case "key" when parts.Length == 2:
                    kind = RefreshKind.Key;
                    keys = parts[1].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
                    if (keys.Count == 0 || keys.Any(k => !Identifier().IsMatch(k)))
                    {
                        throw new TransformException(fileName, refreshLine, "refresh key needs column names: key <column>[, <column>]");
                    }
                    break;
                default:
                    throw new TransformException(fileName, refreshLine, $"refresh must be full, partition <column> or key <columns>, not '{refresh}'");
            }
        }

        var body = string.Join('\n', lines[bodyStart..]);
        var model = new TransformModel
        {
            File = fileName,
            Schema = nameMatch.Groups["schema"].Value,
            // like dbt's alias: the table's name when it is not the file's (mart tables carry the layer in their name)
            Table = alias ?? nameMatch.Groups["table"].Value,
            Grain = grain,
            Refresh = kind,
            PartitionColumn = partition,
            KeyColumns = keys,
            Inputs = inputs,
            MonthColumn = month,
            UniqueColumns = unique?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) ?? keys,
            Order = order,
            IndexColumn = index,
            SliceSize = slices is null ? null : ParseSlices(fileName, slices).Size,
            SliceMemoryBytes = slices is null ? null : ParseSlices(fileName, slices).PerBytes,
            Body = body,
            Fingerprint = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ReplaceLineEndings("\n")))).ToLowerInvariant(),
        };
        model.Validate();
        return model;
    }

    /// <summary><c>200000</c> or <c>200000 per 10GB</c>.</summary>
    private static (int Size, long? PerBytes) ParseSlices(string fileName, string value)
    {
        var parts = value.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length is 1 or 3
            && int.TryParse(parts[0], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var keys) && keys > 0)
        {
            if (parts.Length == 1)
            {
                return (keys, null);
            }
            if (parts[1] == "per" && !parts[2].EndsWith('%'))
            {
                try
                {
                    return (keys, WarehouseOptions.ParseMemoryLimit(parts[2], machineBytes: 0));
                }
                catch (ArgumentException)
                {
                    // refused below with the file named
                }
            }
        }
        throw new TransformException(fileName, 1, "-- slices: is a positive number of keys (or rows) per slice, optionally per a memory size (200000 per 10GB)");
    }

    private void Validate()
    {
        if (SliceSize is not null && (Refresh == RefreshKind.Full || (Refresh == RefreshKind.Key && KeyColumns.Count != 1) || Inputs.Count == 0))
        {
            throw new TransformException(File, 1, "-- slices: needs refresh: key with one column, or refresh: partition, and an input that holds the keys or partitions");
        }
        if (IndexColumn is not null && !Identifier().IsMatch(IndexColumn))
        {
            throw new TransformException(File, 1, "-- index: names one column of the model (lower case, digits, _)");
        }
        if (Refresh != RefreshKind.View && Inputs.Count == 0)
        {
            throw new TransformException(File, 1, "a table model declares its inputs (-- input: stg.x or dw.y)");
        }
        foreach (var input in Inputs)
        {
            var valid = (Refresh, input.Mapping) switch
            {
                (_, InputMapping.Default or InputMapping.All) => true,
                (RefreshKind.Partition, InputMapping.Rows) => input.IsStaging,
                (RefreshKind.Partition, InputMapping.From or InputMapping.Window or InputMapping.Newest) => true,
                _ => false,
            };
            if (!valid)
            {
                throw new TransformException(File, 1, $"input {input}: '{input.Mapping.ToString().ToLowerInvariant()}' does not apply to a {Refresh.ToString().ToLowerInvariant()} refresh");
            }
        }
        // both texts of the body must parse into statements ending in the model's query
        _ = Render(incremental: false);
        _ = Render(incremental: true);
    }

    /// <summary>
    /// The body for a full or an incremental build: the statements to run first (incremental only, by convention) and
    /// the model's query. Statements end with a semicolon at the end of a line.
    /// </summary>
    public (IReadOnlyList<string> Before, string Query) Render(bool incremental)
    {
        var text = Template().Replace(Body, m =>
            incremental ? m.Groups["then"].Value : m.Groups["else"].Success ? m.Groups["else"].Value : "");
        if (text.Contains("{%", StringComparison.Ordinal))
        {
            throw new TransformException(File, 1, "unbalanced {% if is_incremental() %} ... {% endif %} block");
        }
        var statements = Statements(text)
            .Where(s => !s.Split('\n').All(l => l.TrimStart().StartsWith("--", StringComparison.Ordinal) || l.Trim().Length == 0))
            .ToList();
        if (statements.Count == 0)
        {
            throw new TransformException(File, 1, "no query");
        }
        var query = statements[^1];
        if (!QueryStart().IsMatch(query))
        {
            throw new TransformException(File, 1, "the last statement must be the model's query (with ... select or select)");
        }
        return (statements[..^1], query);
    }

    /// <summary>Statements end with a semicolon at the end of a line that is not a comment.</summary>
    private static IEnumerable<string> Statements(string text)
    {
        var current = new StringBuilder();
        foreach (var line in text.Split('\n'))
        {
            var trimmed = line.TrimEnd();
            if (!trimmed.TrimStart().StartsWith("--", StringComparison.Ordinal) && trimmed.EndsWith(';'))
            {
                current.Append(trimmed[..^1]);
                yield return current.ToString().Trim();
                current.Clear();
            }
            else
            {
                current.Append(line).Append('\n');
            }
        }
        if (current.ToString().Trim().Length > 0)
        {
            yield return current.ToString().Trim();
        }
    }

    private static TransformInput ParseInput(string file, int line, string value)
    {
        var m = InputLine().Match(value);
        if (!m.Success)
        {
            throw new TransformException(file, line, $"input '{value}' is not '<schema>.<table> [(<columns>)] [rows|from|window <a> <b>|newest|all]'");
        }
        var columns = m.Groups["columns"].Success
            ? m.Groups["columns"].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            : [];
        var mapping = m.Groups["mapping"].Success ? m.Groups["mapping"].Value : "";
        return mapping switch
        {
            "" => new TransformInput(m.Groups["relation"].Value, columns, InputMapping.Default),
            "rows" => new TransformInput(m.Groups["relation"].Value, columns, InputMapping.Rows),
            "from" => new TransformInput(m.Groups["relation"].Value, columns, InputMapping.From),
            "newest" => new TransformInput(m.Groups["relation"].Value, columns, InputMapping.Newest),
            "all" => new TransformInput(m.Groups["relation"].Value, columns, InputMapping.All),
            _ when m.Groups["a"].Success => new TransformInput(m.Groups["relation"].Value, columns, InputMapping.Window,
                int.Parse(m.Groups["a"].Value, System.Globalization.CultureInfo.InvariantCulture),
                int.Parse(m.Groups["b"].Value, System.Globalization.CultureInfo.InvariantCulture)),
            _ => throw new TransformException(file, line, $"unknown input mapping '{mapping}'"),
        };
    }

    [GeneratedRegex(@"^\d+_(?<schema>dw|mart)_(?<table>[a-z][a-z0-9_]*)\.sql$")]
    private static partial Regex FileName();

    [GeneratedRegex(@"^--\s*(?<key>grain|refresh|input|month|order|index|slices|materialized|alias|unique):(?<value>.*)$")]
    private static partial Regex Setting();

    [GeneratedRegex(@"^(?<relation>(stg|dw|mart)\.[a-z][a-z0-9_]*)\s*(\((?<columns>[a-z0-9_,\s]+)\))?\s*(?<mapping>rows|from|newest|all|window\s+(?<a>[+-]?\d+)\s+(?<b>[+-]?\d+))?\s*$")]
    private static partial Regex InputLine();

    [GeneratedRegex(@"^[a-z][a-z0-9_]*$")]
    private static partial Regex Identifier();

    [GeneratedRegex(@"\{%\s*if\s+is_incremental\(\)\s*%\}(?<then>.*?)(\{%\s*else\s*%\}(?<else>.*?))?\{%\s*endif\s*%\}", RegexOptions.Singleline)]
    private static partial Regex Template();

    [GeneratedRegex(@"^(--[^\n]*\n\s*)*(with|select)\b", RegexOptions.IgnoreCase)]
    private static partial Regex QueryStart();
}

/// <summary>A transform that cannot be run as declared (names the file and line), or that failed in a build.</summary>
public sealed class TransformException : Exception
{
    public TransformException(string file, int line, string message) : base($"{file}:{line}: {message}")
    {
    }

    public TransformException(string message, Exception inner) : base(message, inner)
    {
    }
}
