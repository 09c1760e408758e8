using System.Globalization;
using System.Text;
using RetentionAnalytics.Core.Etl.Contracts;

namespace RetentionAnalytics.Core.Etl.Loading;

/// <summary>
/// Turns a contract into the set-based SQL that types and checks every raw row in DuckDB at once.
/// Identifiers come from the validated contract (lower snake case) and literals are escaped;
/// nothing here comes from a user at run time.
/// </summary>
internal static class ValidationSql
{
    /// <summary>
    /// Select list over <c>raw</c> (columns <c>c0..cN</c>, all varchar, plus <c>_line</c>) that yields the typed
    /// target columns, <c>_line</c> and <c>_reason</c> (null when the row is good).
    /// </summary>
    public static string CheckedSelect(ExtractContract contract, IReadOnlyDictionary<string, int> positions, int fieldCount, char delimiter,
        IReadOnlyList<(ReferenceContract Reference, string Table)> references)
    {
        var select = new List<string>();
        var reasons = new List<string>();
        var joins = new List<string>();
        var values = new Dictionary<string, string>();
        foreach (var col in contract.Columns)
        {
            var raw = positions.TryGetValue(col.Name, out var pos) ? $"nullif(trim(c{pos}), '')" : "null::varchar";
            var value = col.Map is { Count: > 0 } map
                ? $"case {raw} {string.Join(" ", map.Select(kv => $"when {Lit(kv.Key)} then {Lit(kv.Value)}"))} else {raw} end"
                : raw;
            values[col.Name] = value;
            var type = SqlTypes.Normalise(col.Type)!;
            var typed = TypedExpression(col, type, value);
            select.Add($"{typed} as {col.Name}");

            var shown = col.Personal ? "'value'" : $"'''' || {value} || ''''";
            if (col.Required)
            {
                reasons.Add($"case when {value} is null then 'missing required {col.Name}' end");
            }
            if (type != "varchar")
            {
                var what = type switch
                {
                    "date" or "timestamp" => $"a valid {type}{(col.Format is null ? "" : $" ({col.Format})")}",
                    "boolean" => "a known yes/no value",
                    _ => $"a valid {type}",
                };
                reasons.Add($"case when {value} is not null and {typed} is null then '{col.Name}: ' || {shown} || ' is not {Esc(what)}' end");
            }
            if (col.Allowed is { Count: > 0 } allowed)
            {
                reasons.Add($"case when {value} is not null and {value} not in ({string.Join(", ", allowed.Select(Lit))}) " +
                            $"then '{col.Name}: ' || {shown} || ' is not one of {Esc(string.Join(", ", allowed))}' end");
            }
            if (col.Min is { } min)
            {
                reasons.Add($"case when {typed} < {Num(min)} then '{col.Name}: ' || {shown} || ' is below the minimum {Num(min)}' end");
            }
            if (col.Max is { } max)
            {
                reasons.Add($"case when {typed} > {Num(max)} then '{col.Name}: ' || {shown} || ' is above the maximum {Num(max)}' end");
            }
            if (col.Pattern is { } pattern)
            {
                reasons.Add($"case when {value} is not null and not regexp_full_match({value}, {Lit(pattern)}) " +
                            $"then '{col.Name}: ' || {shown} || ' does not match the expected pattern' end");
            }
        }

        for (var i = 0; i < references.Count; i++)
        {
            var (reference, table) = references[i];
            var value = values[reference.Column];
            joins.Add($"left join (select distinct {reference.Key} as k from {table}) ref{i} on ref{i}.k = {value}");
            reasons.Add($"case when {value} is not null and ref{i}.k is null then '{reference.Column}: ' || '''' || {value} || '''' || ' not found in {reference.Extract}' end");
        }

        var rawLine = RawLine(fieldCount, delimiter);
        var reason = reasons.Count == 0 ? "null::varchar" : $"nullif(concat_ws('; ', {string.Join(", ", reasons)}), '')";
        var sb = new StringBuilder();
        sb.Append("select _line, ").Append(string.Join(", ", select));
        sb.Append(", ").Append(reason).Append(" as _reason");
        sb.Append(", ").Append(rawLine).Append(" as _raw");
        sb.Append(" from raw");
        foreach (var join in joins)
        {
            sb.Append(' ').Append(join);
        }
        return sb.ToString();
    }

    /// <summary>The delivered line, rebuilt from its fields, for the rejected-row record.</summary>
    public static string RawLine(int fieldCount, char delimiter) =>
        string.Join($" || {Lit(delimiter.ToString())} || ", Enumerable.Range(0, fieldCount).Select(i => $"coalesce(c{i}, '')"));

    private static string TypedExpression(ColumnContract col, string type, string value) => type switch
    {
        "varchar" => value,
        "date" when col.Format is not null => $"try_strptime({value}, {Lit(col.Format)})::date",
        "timestamp" when col.Format is not null => $"try_strptime({value}, {Lit(col.Format)})",
        "boolean" => $"case when {value} in ({string.Join(", ", (col.TrueValues ?? ["true", "1", "Y", "yes"]).Select(Lit))}) then true " +
                     $"when {value} in ({string.Join(", ", (col.FalseValues ?? ["false", "0", "N", "no"]).Select(Lit))}) then false end",
        _ when SqlTypes.IsNumeric(type) && col.DecimalSeparator is { } sep && sep != "."
            => $"try_cast(replace({value}, {Lit(sep)}, '.') as {type})",
        _ => $"try_cast({value} as {type})",
    };

    public static string Lit(string s) => "'" + s.Replace("'", "''", StringComparison.Ordinal) + "'";

    private static string Esc(string s) => s.Replace("'", "''", StringComparison.Ordinal);

    private static string Num(decimal d) => d.ToString(CultureInfo.InvariantCulture);
}
