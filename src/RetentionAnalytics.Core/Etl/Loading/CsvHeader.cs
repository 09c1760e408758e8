using System.Text;
using RetentionAnalytics.Core.Etl.Contracts;
using RetentionAnalytics.Core.Etl.Contracts.Expressions;

namespace RetentionAnalytics.Core.Etl.Loading;

/// <summary>The header line of a delivery and how its names map onto the contract's columns.</summary>
internal sealed record CsvHeader(IReadOnlyList<string> Names, IReadOnlyDictionary<string, int> Positions,
    IReadOnlyDictionary<string, int> ByHeader, IReadOnlyList<string> Ignored, string? Error)
{
    /// <summary>The contract's optional columns the header lacks: loaded as empty values, and said so in the load's message.</summary>
    public IReadOnlyList<string> Absent { get; init; } = [];

    /// <summary>A header longer than this is not a header (a binary file, or a file without line breaks).</summary>
    public const int MaxHeaderChars = 1 << 20;

    public int FieldCount => Names.Count;

    /// <summary>The position of a header name (trimmed, any letter case), or null.</summary>
    public int? PositionOf(string header) => ByHeader.TryGetValue(header.Trim(), out var p) ? p : null;

    /// <summary>Reads the first line (BOM stripped, names trimmed, quotes removed), or null for an empty file.</summary>
    public static IReadOnlyList<string>? ReadNames(string utf8Path, char delimiter, char quote)
    {
        using var reader = new StreamReader(utf8Path, new UTF8Encoding(false, false), detectEncodingFromByteOrderMarks: true);
        var line = ReadFirstLine(reader);
        if (line is null)
        {
            return null;
        }
        var names = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var ch = line[i];
            if (ch == quote)
            {
                if (quoted && i + 1 < line.Length && line[i + 1] == quote)
                {
                    field.Append(quote);
                    i++;
                }
                else
                {
                    quoted = !quoted;
                }
            }
            else if (ch == delimiter && !quoted)
            {
                names.Add(field.ToString().Trim());
                field.Clear();
            }
            else
            {
                field.Append(ch);
            }
        }
        names.Add(field.ToString().Trim().TrimStart('\uFEFF'));
        names[0] = names[0].TrimStart('\uFEFF').Trim();
        return names;
    }

    private static string? ReadFirstLine(StreamReader reader)
    {
        var sb = new StringBuilder();
        int ch;
        while ((ch = reader.Read()) >= 0)
        {
            if (ch == '\n')
            {
                return sb.ToString().TrimEnd('\r');
            }
            if (sb.Length >= MaxHeaderChars)
            {
                throw new FileRefusedException($"the first line is longer than {MaxHeaderChars:N0} characters: it is not a CSV header");
            }
            sb.Append((char)ch);
        }
        return sb.Length == 0 ? null : sb.ToString().TrimEnd('\r');
    }

    /// <summary>
    /// Maps header names (case-insensitive, aliases accepted) to contract columns. A missing required column, or a
    /// column an expression reads that the header lacks, is an error for the whole file.
    /// </summary>
    public static CsvHeader Map(IReadOnlyList<string> names, ExtractContract contract)
    {
        var positions = new Dictionary<string, int>();
        var byHeader = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < names.Count; i++)
        {
            if (names[i].Length == 0)
            {
                continue;
            }
            if (!byHeader.TryAdd(names[i], i))
            {
                return new CsvHeader(names, positions, byHeader, [], $"header names column {names[i]} twice");
            }
        }
        var used = new HashSet<int>();
        var missing = new List<string>();
        var absent = new List<string>();
        foreach (var col in contract.Columns.Where(c => c.ReadsSource))
        {
            var hit = col.AcceptedHeaders.Select(h => byHeader.TryGetValue(h, out var p) ? p : -1).FirstOrDefault(p => p >= 0, -1);
            if (hit >= 0)
            {
                positions[col.Name] = hit;
                used.Add(hit);
            }
            else if (col.Required)
            {
                missing.Add(col.SourceName);
            }
            else
            {
                absent.Add(col.SourceName);
            }
        }
        var unknown = new List<string>();
        foreach (var read in ExpressionInputs(contract))
        {
            if (byHeader.TryGetValue(read, out var p))
            {
                used.Add(p);
            }
            else if (!unknown.Contains(read, StringComparer.OrdinalIgnoreCase))
            {
                unknown.Add(read);
            }
        }
        // a field without a header (a trailing delimiter, an export's filler column) is named by its place
        var ignored = names.Select((n, i) => (Name: n, Index: i)).Where(f => !used.Contains(f.Index))
            .Select(f => f.Name.Length > 0 ? f.Name : $"(unnamed field {f.Index + 1})").ToList();
        var error = missing.Count > 0
            ? $"header lacks required column(s) {string.Join(", ", missing)} (found: {string.Join(", ", names)})"
            : unknown.Count > 0
                ? $"the contract's expressions read column(s) {string.Join(", ", unknown.Select(u => $"\"{u}\""))}, which the header lacks (found: {string.Join(", ", names)})"
                : null;
        return new CsvHeader(names, positions, byHeader, ignored, error) { Absent = absent };
    }

    /// <summary>The header names the contract's expressions read: every identifier that is not one of its columns.</summary>
    public static IEnumerable<string> ExpressionInputs(ExtractContract contract)
    {
        var targets = contract.Columns.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        var expressions = contract.Columns.SelectMany(c => new[] { c.ParsedExpr, c.ParsedRequiredWhen })
            .Concat(contract.Checks.Select(k => k.Parsed))
            .OfType<Expr>();
        foreach (var e in expressions)
        {
            foreach (var id in ExpressionCompiler.Identifiers(e).Where(id => !targets.Contains(id)))
            {
                yield return id;
            }
        }
    }
}
