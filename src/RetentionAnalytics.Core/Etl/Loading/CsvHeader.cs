using System.Text;
using RetentionAnalytics.Core.Etl.Contracts;

namespace RetentionAnalytics.Core.Etl.Loading;

/// <summary>The header line of a delivery and how its names map onto the contract's columns.</summary>
internal sealed record CsvHeader(IReadOnlyList<string> Names, IReadOnlyDictionary<string, int> Positions,
    IReadOnlyList<string> Ignored, string? Error)
{
    public int FieldCount => Names.Count;

    /// <summary>Reads the first line (BOM stripped, names trimmed, quotes removed), or null for an empty file.</summary>
    public static IReadOnlyList<string>? ReadNames(string utf8Path, char delimiter, char quote)
    {
        using var reader = new StreamReader(utf8Path, new UTF8Encoding(false, false), detectEncodingFromByteOrderMarks: true);
        var line = reader.ReadLine();
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

    /// <summary>Maps header names (case-insensitive, aliases accepted) to contract columns; a missing required column is an error.</summary>
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
                return new CsvHeader(names, positions, [], $"header names column {names[i]} twice");
            }
        }
        var used = new HashSet<int>();
        var missing = new List<string>();
        foreach (var col in contract.Columns)
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
        }
        var ignored = names.Where((n, i) => !used.Contains(i)).ToList();
        var error = missing.Count > 0
            ? $"header lacks required column(s) {string.Join(", ", missing)} (found: {string.Join(", ", names)})"
            : null;
        return new CsvHeader(names, positions, ignored, error);
    }
}
