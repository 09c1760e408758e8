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
    /// A query over <c>raw</c> (columns <c>c0..cN</c>, all varchar, plus <c>_line</c>) that yields <c>_line</c>, the typed
    /// target columns, <c>_reason</c> (null when the row is good) and the raw fields <c>c0..cN</c>. Layered so that each value is
    /// trimmed, mapped and typed once (v_ then t_ columns) and the checks only compare: checks that repeated the
    /// casts inside CASE branches cost more than reading the file.
    /// </summary>
    public static string CheckedSelect(ExtractContract contract, IReadOnlyDictionary<string, int> positions, int fieldCount, char delimiter,
        IReadOnlyList<(ReferenceContract Reference, string Table)> references)
    {
        var valueColumns = new List<string>();
        var typedColumns = new List<string>();
        var output = new List<string>();
        var failures = new List<(string Condition, string Message)>();
        foreach (var col in contract.Columns)
        {
            var raw = positions.TryGetValue(col.Name, out var pos) ? $"nullif(trim(c{pos}), '')" : "null::varchar";
            var mapped = col.Map is { Count: > 0 } map
                ? $"case {raw} {string.Join(" ", map.Select(kv => $"when {Lit(kv.Key)} then {Lit(kv.Value)}"))} else {raw} end"
                : raw;
            var v = $"v_{col.Name}";
            var t = $"t_{col.Name}";
            valueColumns.Add($"{mapped} as {v}");
            var type = SqlTypes.Normalise(col.Type)!;
            typedColumns.Add($"{TypedExpression(col, type, v)} as {t}");
            output.Add($"{t} as {col.Name}");

            var shown = col.Personal ? "'value'" : $"'''' || {v} || ''''";
            if (col.Required)
            {
                failures.Add(($"{v} is null", $"'missing required {col.Name}'"));
            }
            if (type != "varchar")
            {
                var what = type switch
                {
                    "date" or "timestamp" => $"a valid {type}{(col.Format is null ? "" : $" ({col.Format})")}",
                    "boolean" => "a known yes/no value",
                    _ => $"a valid {type}",
                };
                failures.Add(($"{v} is not null and {t} is null", $"'{col.Name}: ' || {shown} || ' is not {Esc(what)}'"));
            }
            if (col.Allowed is { Count: > 0 } allowed)
            {
                failures.Add(($"{v} is not null and {v} not in ({string.Join(", ", allowed.Select(Lit))})",
                    $"'{col.Name}: ' || {shown} || ' is not one of {Esc(string.Join(", ", allowed))}'"));
            }
            if (col.Min is { } min)
            {
                failures.Add(($"{t} < {Num(min)}", $"'{col.Name}: ' || {shown} || ' is below the minimum {Num(min)}'"));
            }
            if (col.Max is { } max)
            {
                failures.Add(($"{t} > {Num(max)}", $"'{col.Name}: ' || {shown} || ' is above the maximum {Num(max)}'"));
            }
            if (col.Pattern is { } pattern)
            {
                failures.Add(($"{v} is not null and not regexp_full_match({v}, {Lit(pattern)})",
                    $"'{col.Name}: ' || {shown} || ' does not match the expected pattern'"));
            }
        }

        var joins = new StringBuilder();
        for (var i = 0; i < references.Count; i++)
        {
            var (reference, table) = references[i];
            var v = $"v_{reference.Column}";
            joins.Append($" left join (select distinct {reference.Key} as k from {table}) ref{i} on ref{i}.k = typed.{v}");
            failures.Add(($"{v} is not null and ref{i}.k is null",
                $"'{reference.Column}: ' || '''' || {v} || '''' || ' not found in {reference.Extract}'"));
        }

        // the message is only built for rows that fail a check: most rows pass and pay for the comparisons only
        var reason = failures.Count == 0
            ? "null::varchar"
            : $"case when ({string.Join(") or (", failures.Select(f => f.Condition))}) then " +
              $"nullif(concat_ws('; ', {string.Join(", ", failures.Select(f => $"case when {f.Condition} then {f.Message} end"))}), '') end";
        var sb = new StringBuilder();
        sb.Append("with valued as (select _line, ").Append(string.Join(", ", Enumerable.Range(0, fieldCount).Select(i => $"c{i}")));
        sb.Append(", ").Append(string.Join(", ", valueColumns)).Append(" from raw), ");
        sb.Append("typed as (select *, ").Append(string.Join(", ", typedColumns)).Append(" from valued) ");
        sb.Append("select _line, ").Append(string.Join(", ", output));
        sb.Append(", ").Append(reason).Append(" as _reason");
        sb.Append(", ").Append(string.Join(", ", Enumerable.Range(0, fieldCount).Select(i => $"c{i}")));
        sb.Append(" from typed").Append(joins);
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
