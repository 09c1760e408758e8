using System.Globalization;
using System.Text;
using RetentionAnalytics.Core.Etl.Contracts;
using RetentionAnalytics.Core.Etl.Contracts.Expressions;

namespace RetentionAnalytics.Core.Etl.Loading;

/// <summary>What the file inspection found that rows must be checked for (each check costs only the files that need it).</summary>
internal sealed record FieldChecks(bool Nul, bool Length, bool InvalidBytes);

/// <summary>
/// Turns a contract into the set-based SQL that types and checks every raw row in DuckDB at once.
/// Identifiers come from the validated contract (lower snake case) or are raw field positions; expressions are
/// compiled from their parsed tree; literals are escaped. Nothing a file or a person types is pasted as SQL.
/// </summary>
internal static class ValidationSql
{
    /// <summary>
    /// A query over <c>raw</c> (columns <c>c0..cN</c>, all varchar, plus <c>_line</c>) that yields <c>_line</c>, the typed
    /// target columns, <c>_reason</c> (null when the row is good) and the raw fields <c>c0..cN</c>. Layered so that each value is
    /// trimmed, mapped and typed once (v_ then t_ columns) and the checks only compare: checks that repeated the
    /// casts inside CASE branches cost more than reading the file. Expression columns form a second layer over the first.
    /// Fields in <paramref name="typedFields"/> were already typed by DuckDB's reader (<see cref="TypedRead"/>): their
    /// value is the field itself, and only the checks on the typed value remain.
    /// </summary>
    public static string CheckedSelect(ExtractContract contract, CsvHeader header, DateOnly businessDate,
        IReadOnlyList<(ReferenceContract Reference, string Table)> references, FieldChecks fieldChecks,
        IReadOnlySet<int>? typedFields = null)
    {
        var fieldCount = header.FieldCount;
        var businessDateSql = $"DATE '{businessDate:yyyy-MM-dd}'";
        var baseValues = new List<string>();
        var baseTyped = new List<string>();
        var derivedValues = new List<string>();
        var derivedTyped = new List<string>();
        var output = new List<string>();
        var failures = new List<(string Condition, string Message)>();

        string HeaderText(string name, IEnumerable<string> tokens) =>
            header.PositionOf(name) is { } p ? Raw($"c{p}", tokens) : "null::varchar";

        foreach (var col in contract.Columns)
        {
            var type = SqlTypes.Normalise(col.Type)!;
            var tokens = contract.NullTokens.Concat(col.NullTokens ?? []).ToList();
            var v = $"v_{col.Name}";
            var t = $"t_{col.Name}";
            if (col.IsDerived)
            {
                // names that are target columns read their typed value; any other name is a header of the file
                var sql = ExpressionCompiler.ToSql(col.ParsedExpr!, name => IsTarget(contract, name) ? $"t_{name}" : HeaderText(name, tokens), businessDateSql);
                var text = Mapped(col, $"cast({sql} as varchar)");
                derivedValues.Add($"{text} as {v}");
                derivedTyped.Add($"{(type == "varchar" ? v : col.Map is { Count: > 0 } || col.Default is not null ? $"try_cast({v} as {type})" : $"try_cast({sql} as {type})")} as {t}");
            }
            else if (TypedField(col, header, typedFields) is { } typedPos)
            {
                baseValues.Add($"c{typedPos} as {v}");
                baseTyped.Add($"{v} as {t}");
            }
            else
            {
                var raw = col.IsConstant ? Lit(col.Constant!) : header.Positions.TryGetValue(col.Name, out var pos) ? Raw($"c{pos}", tokens) : "null::varchar";
                baseValues.Add($"{Mapped(col, raw)} as {v}");
                baseTyped.Add($"{TypedExpression(col, type, v)} as {t}");
            }
            output.Add($"{t} as {col.Name}");
            ColumnFailures(col, type, v, t, TypedField(col, header, typedFields) is not null, failures);
        }

        foreach (var col in contract.Columns)
        {
            var v = $"v_{col.Name}";
            if (col.RequiredIf is { } other)
            {
                failures.Add(($"t_{other} is not null and {v} is null", Lit($"missing {col.Name} (required when {other} has a value)")));
            }
            if (col.ParsedRequiredWhen is { } when)
            {
                var sql = ExpressionCompiler.ToSql(when, name => IsTarget(contract, name) ? $"t_{name}" : HeaderText(name, contract.NullTokens), businessDateSql);
                failures.Add(($"coalesce({sql}, false) and {v} is null", Lit($"missing {col.Name} (required when {col.RequiredWhen})")));
            }
        }
        foreach (var check in contract.Checks.Where(k => k.Parsed is not null))
        {
            var sql = ExpressionCompiler.ToSql(check.Parsed!, name => IsTarget(contract, name) ? $"t_{name}" : HeaderText(name, contract.NullTokens), businessDateSql);
            failures.Add(($"not coalesce({sql}, true)", Lit(check.Message ?? $"check failed: {check.Expr}")));
        }
        FieldFailures(contract, header, fieldChecks, failures);

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
        var fields = string.Join(", ", Enumerable.Range(0, fieldCount).Select(i => $"c{i}"));
        var sb = new StringBuilder();
        sb.Append("with valued as (select _line, ").Append(fields);
        if (baseValues.Count > 0)
        {
            sb.Append(", ").Append(string.Join(", ", baseValues));
        }
        sb.Append(" from raw), typed0 as (select *");
        if (baseTyped.Count > 0)
        {
            sb.Append(", ").Append(string.Join(", ", baseTyped));
        }
        sb.Append(" from valued)");
        var last = "typed0";
        if (derivedValues.Count > 0)
        {
            sb.Append(", derived as (select *, ").Append(string.Join(", ", derivedValues)).Append(" from typed0)");
            sb.Append(", typed1 as (select *, ").Append(string.Join(", ", derivedTyped)).Append(" from derived)");
            last = "typed1";
        }
        sb.Append(" select _line, ").Append(string.Join(", ", output));
        sb.Append(", ").Append(reason).Append(" as _reason, ").Append(fields);
        sb.Append(" from ").Append(last).Append(" typed").Append(joins);
        return sb.ToString();
    }

    /// <summary>The latest date a business-date column holds, typed as the contract types it.</summary>
    public static string LatestDate(ExtractContract contract, CsvHeader header, ColumnContract column)
    {
        var type = SqlTypes.Normalise(column.Type)!;
        var tokens = contract.NullTokens.Concat(column.NullTokens ?? []);
        var raw = header.Positions.TryGetValue(column.Name, out var pos) ? Raw($"c{pos}", tokens) : "null::varchar";
        return $"select max({TypedExpression(column, type, $"({Mapped(column, raw)})")})::date from raw";
    }

    private static bool IsTarget(ExtractContract contract, string name) => contract.Columns.Any(c => c.Name == name);

    /// <summary>The field position of a column the reader typed, or null when the column's value is built from text.</summary>
    private static int? TypedField(ColumnContract col, CsvHeader header, IReadOnlySet<int>? typedFields) =>
        col.ReadsSource && typedFields is not null && header.Positions.TryGetValue(col.Name, out var p) && typedFields.Contains(p) ? p : null;

    private static void ColumnFailures(ColumnContract col, string type, string v, string t, bool typed, List<(string, string)> failures)
    {
        var shown = col.Personal ? "'value'" : typed ? $"'''' || cast({v} as varchar) || ''''" : $"'''' || {v} || ''''";
        if (col.Required)
        {
            failures.Add(($"{v} is null", $"'missing required {col.Name}'"));
        }
        // a field the reader typed holds a value of its type or none: it cannot fail to be one
        if (type != "varchar" && !typed)
        {
            var what = type switch
            {
                "date" or "timestamp" when !col.IsDerived => $"a valid {type}{(col.Format is null ? "" : $" ({col.Format})")}",
                "boolean" when !col.IsDerived => "a known yes/no value",
                _ => $"a valid {type}",
            };
            failures.Add(($"{v} is not null and {t} is null", $"'{col.Name}: ' || {shown} || ' is not {Esc(what)}'"));
        }
        // a double holds infinities and NaN, which DuckDB reads from 'inf', 'NaN' and numbers beyond its range: no amount
        if (type == "double")
        {
            failures.Add(($"not isfinite({t})", $"'{col.Name}: ' || {shown} || ' is not a finite number (out of range, infinity or NaN)'"));
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

    /// <summary>Checks on the delivered fields themselves: NUL bytes, over-long values, bytes the encoding does not know.</summary>
    private static void FieldFailures(ExtractContract contract, CsvHeader header, FieldChecks checks, List<(string, string)> failures)
    {
        for (var i = 0; i < header.FieldCount; i++)
        {
            var name = header.Names[i].Length == 0 ? $"field {i + 1}" : $"'{header.Names[i]}' (field {i + 1})";
            if (checks.Nul)
            {
                failures.Add(($"contains(c{i}, chr(0))", Lit($"{name} contains a NUL byte")));
            }
            if (checks.Length)
            {
                var limit = contract.Columns.Where(c => c.MaxLength is not null && header.Positions.TryGetValue(c.Name, out var p) && p == i)
                    .Select(c => c.MaxLength!.Value).DefaultIfEmpty(contract.MaxFieldLength).Min();
                failures.Add(($"strlen(c{i}) > {limit} and length(c{i}) > {limit}",
                    $"{Lit($"{name} is ")} || length(c{i}) || {Lit($" characters long; the limit is {limit:N0}")}"));
            }
            if (checks.InvalidBytes)
            {
                failures.Add(($"contains(c{i}, {Lit("\uFFFD")})", Lit($"{name} holds bytes that are not valid {contract.Encoding}")));
            }
        }
    }

    /// <summary>A delivered field as a value: trimmed, and null when empty or one of the null tokens (any letter case).</summary>
    private static string Raw(string field, IEnumerable<string> tokens)
    {
        var list = tokens.Where(tk => tk.Trim().Length > 0).Select(tk => tk.Trim().ToLowerInvariant()).Distinct(StringComparer.Ordinal).ToList();
        return list.Count == 0
            ? $"nullif(trim({field}), '')"
            : $"case when trim({field}) = '' or lower(trim({field})) in ({string.Join(", ", list.Select(Lit))}) then null else trim({field}) end";
    }

    private static string Mapped(ColumnContract col, string raw)
    {
        var mapped = col.Map is { Count: > 0 } map
            ? $"case {raw} {string.Join(" ", map.Select(kv => $"when {Lit(kv.Key)} then {(kv.Value is null ? "null::varchar" : Lit(kv.Value))}"))} else {raw} end"
            : raw;
        return col.Default is { } def ? $"coalesce({mapped}, {Lit(def)})" : mapped;
    }

    private static string TypedExpression(ColumnContract col, string type, string value) => type switch
    {
        "varchar" => value,
        "date" when col.Format is not null => $"try_strptime({value}, {Lit(col.Format)})::date",
        "timestamp" when col.Format is not null => $"try_strptime({value}, {Lit(col.Format)})",
        "boolean" => $"case when {value} in ({string.Join(", ", (col.TrueValues ?? ValidationDefaults.TrueValues).Select(Lit))}) then true " +
                     $"when {value} in ({string.Join(", ", (col.FalseValues ?? ValidationDefaults.FalseValues).Select(Lit))}) then false end",
        _ when SqlTypes.IsNumeric(type) && (col.DecimalSeparator is { } sep && sep != "." || col.ThousandsSeparator is not null)
            => $"try_cast({NumberText(col, type, value)} as {type})",
        _ => $"try_cast({value} as {type})",
    };

    /// <summary>
    /// A number's text with the column's separators made plain: the thousands separator is removed when the digits before
    /// the decimal separator come in whole groups of three (<c>1.234.567,8</c>; <c>1.23,4</c> is no number; a whole number
    /// has no decimals), and the decimal separator becomes a point.
    /// </summary>
    private static string NumberText(ColumnContract col, string type, string value)
    {
        var dec = col.DecimalSeparator ?? ".";
        var text = value;
        if (col.ThousandsSeparator is { } th)
        {
            var fraction = SqlTypes.IsWhole(type) ? "" : $"({RegexChar(dec[0])}[0-9]*)?";
            var grouped = $"[+-]?[0-9]{{1,3}}({RegexChar(th[0])}[0-9]{{3}})+{fraction}";
            text = $"case when contains({value}, {Lit(th)}) and not regexp_full_match({value}, {Lit(grouped)}) then null " +
                   $"else replace({value}, {Lit(th)}, '') end";
        }
        return dec == "." ? text : $"replace({text}, {Lit(dec)}, '.')";
    }

    /// <summary>One character as a regular expression that matches only it (punctuation escaped).</summary>
    private static string RegexChar(char c) => char.IsAsciiLetterOrDigit(c) || c == ' ' || c > '\x7f' ? c.ToString() : "\\" + c;

    public static string Lit(string s) => "'" + s.Replace("'", "''", StringComparison.Ordinal) + "'";

    private static string Esc(string s) => s.Replace("'", "''", StringComparison.Ordinal);

    private static string Num(decimal d) => d.ToString(CultureInfo.InvariantCulture);
}
