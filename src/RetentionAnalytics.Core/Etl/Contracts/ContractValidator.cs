using System.Globalization;
using System.Text.RegularExpressions;
using RetentionAnalytics.Core.Etl.Contracts.Expressions;

namespace RetentionAnalytics.Core.Etl.Contracts;

/// <summary>
/// Everything a contract must satisfy before a file is loaded with it. Each problem names the YAML node it is about,
/// so that it can be reported as <c>file:line: message</c>; expressions are parsed here, once.
/// </summary>
internal static partial class ContractValidator
{
    public static List<(string Path, string Message)> Validate(ExtractContract c)
    {
        var problems = new List<(string Path, string Message)>();
        void Fail(string path, string message) => problems.Add((path, message));

        if (!Identifier().IsMatch(c.Extract ?? ""))
        {
            Fail("extract", $"extract name '{c.Extract}' must be lower snake case");
        }
        CheckFilePattern(c, Fail);
        if (c.Delimiter is not { Length: 1 } || c.Quote is not { Length: <= 1 })
        {
            Fail("delimiter", "delimiter and quote must be single characters");
        }
        else if (c.Delimiter == c.Quote || c.Delimiter is "\n" or "\r")
        {
            Fail("delimiter", "the delimiter must differ from the quote and from a line break");
        }
        if (!TextEncodings.IsKnown(c.Encoding ?? ""))
        {
            Fail("encoding", $"unknown encoding {c.Encoding} (use utf-8, utf-8-bom, gbk or gb18030)");
        }
        if (c.NullTokens.Any(t => t is null))
        {
            Fail("null_tokens", "null_tokens holds an empty entry (write '' for the empty string)");
        }
        if (c.MaxFieldLength is < 1 or > 16 * 1024 * 1024)
        {
            Fail("max_field_length", "max_field_length must be between 1 and 16777216 characters");
        }
        if (c.HoldRejectRate is < 0 or > 1)
        {
            Fail("hold_reject_rate", "hold_reject_rate is a share of rows between 0 and 1 (0.05 = 5 %)");
        }
        if (c.Columns.Count == 0)
        {
            Fail("columns", "no columns");
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < c.Columns.Count; i++)
        {
            var col = c.Columns[i];
            var at = $"columns[{i}]";
            if (col is null)
            {
                Fail(at, "an empty column entry");
                continue;
            }
            if (!Identifier().IsMatch(col.Name ?? "") || col.Name!.StartsWith('_'))
            {
                Fail($"{at}.name", $"column name '{col.Name}' must be lower snake case");
            }
            else if (!names.Add(col.Name))
            {
                Fail($"{at}.name", $"column {col.Name} declared twice");
            }
        }
        var derived = c.Columns.Where(col => col is { IsDerived: true }).Select(col => col.Name).ToHashSet(StringComparer.Ordinal);
        for (var i = 0; i < c.Columns.Count; i++)
        {
            if (c.Columns[i] is { } col)
            {
                CheckColumn(c, col, $"columns[{i}]", names, derived, Fail);
            }
        }

        if (c.Target is { } target)
        {
            CheckTarget(c, target, Fail);
        }
        if (c.BusinessDateColumn is { } dateColumn)
        {
            if (c.Column(dateColumn) is not { } dc)
            {
                Fail("business_date_column", $"business_date_column {dateColumn} is not a declared column");
            }
            else if (SqlTypes.Normalise(dc.Type) is not ("date" or "timestamp") || dc.IsDerived)
            {
                Fail("business_date_column", $"business_date_column {dateColumn} must be a date or timestamp column read from the file (not an expression)");
            }
        }
        for (var i = 0; i < c.Keys.Count; i++)
        {
            if (!names.Contains(c.Keys[i] ?? ""))
            {
                Fail($"keys[{i}]", $"key or reference column {c.Keys[i]} is not a declared column");
            }
        }
        for (var i = 0; i < c.References.Count; i++)
        {
            if (!names.Contains(c.References[i].Column ?? ""))
            {
                Fail($"references[{i}].column", $"key or reference column {c.References[i].Column} is not a declared column");
            }
        }
        for (var i = 0; i < c.Checks.Count; i++)
        {
            var check = c.Checks[i];
            if (string.IsNullOrWhiteSpace(check.Expr))
            {
                Fail($"checks[{i}].expr", "a check needs an expr");
                continue;
            }
            check.Parsed = ParseExpression(check.Expr, $"checks[{i}].expr", "check", names, derivedAllowed: true, derived, Fail);
        }
        return problems;
    }

    /// <summary>A target contract feeds the core: its core-named columns must be able to stand in for the province's.</summary>
    private static void CheckTarget(ExtractContract c, string target, Action<string, string> fail)
    {
        if (target != CoreSnapshot.Extract)
        {
            fail("target", $"target '{target}' is not a core extract (the core is '{CoreSnapshot.Extract}', docs/warehouse.md)");
            return;
        }
        if (c.Extract == CoreSnapshot.Extract)
        {
            fail("target", $"the {CoreSnapshot.Extract} contract is the core itself and needs no target");
        }
        foreach (var required in CoreSnapshot.RequiredColumns.Where(r => c.Column(r) is null))
        {
            fail("target", $"a contract with target {target} declares the core column {required}");
        }
        if (c.Column("status") is { Allowed: { } allowed } && allowed.FirstOrDefault(a => !CoreSnapshot.Statuses.Contains(a)) is { } odd)
        {
            var at = $"columns[{c.Columns.FindIndex(col => col.Name == "status")}].allowed";
            fail(at, $"status '{odd}' is not a core status ({string.Join(", ", CoreSnapshot.Statuses)}): map the file's values onto them");
        }
        if (c.Column("activation_date") is null && c.Column("tenure_months") is null)
        {
            fail("target", $"a contract with target {target} declares activation_date or tenure_months (the tenure of every report and of the model)");
        }
    }

    private static void CheckFilePattern(ExtractContract c, Action<string, string> fail)
    {
        if (string.IsNullOrWhiteSpace(c.FilePattern))
        {
            fail("file_pattern", "file_pattern is required: a regular expression for this extract's file names");
            return;
        }
        Regex regex;
        try
        {
            regex = new Regex(c.FilePattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException ex)
        {
            fail("file_pattern", $"file_pattern is not a valid regular expression: {ex.Message}");
            return;
        }
        var capturesDate = regex.GetGroupNames().Contains("date");
        var sources = (capturesDate ? 1 : 0) + (c.BusinessDate is null ? 0 : 1) + (c.BusinessDateColumn is null ? 0 : 1);
        if (sources == 0)
        {
            fail("file_pattern", "file_pattern must capture the business date as (?<date>...), or set business_date (a fixed date) or business_date_column");
        }
        else if (sources > 1)
        {
            fail(c.BusinessDate is null ? "business_date_column" : "business_date",
                "the business date comes from one place: the file name's (?<date>...), business_date or business_date_column");
        }
        if (capturesDate && string.IsNullOrWhiteSpace(c.DateFormat))
        {
            fail("date_format", "date_format is required to read the file name's (?<date>...), e.g. yyyyMMdd");
        }
        if (capturesDate && !string.IsNullOrWhiteSpace(c.DateFormat) && !ReadsDates(c.DateFormat))
        {
            fail("date_format", $"date_format {c.DateFormat} does not read a date: it is a .NET date format such as yyyyMMdd or yyyy-MM-dd " +
                                "(strptime's %Y%m%d is for a column's format)");
        }
        if (c.BusinessDate is { } fixedDate && !DateOnly.TryParseExact(fixedDate, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            fail("business_date", $"business_date '{fixedDate}' is not a date (yyyy-MM-dd)");
        }
    }

    private static void CheckColumn(ExtractContract c, ColumnContract col, string at, HashSet<string> names, HashSet<string> derived,
        Action<string, string> fail)
    {
        var type = SqlTypes.Normalise(col.Type ?? "");
        if (type is null)
        {
            fail($"{at}.type", $"column {col.Name}: unknown type {col.Type}");
        }
        var kinds = (col.Source is null ? 0 : 1) + (col.IsDerived ? 1 : 0) + (col.IsConstant ? 1 : 0);
        if (kinds > 1)
        {
            fail(at, $"column {col.Name}: source, expr and constant exclude each other");
        }
        if (col.Aliases.Count > 0 && !col.ReadsSource)
        {
            fail($"{at}.aliases", $"column {col.Name}: aliases name source headers; this column has none");
        }
        if (col.IsDerived)
        {
            foreach (var (key, set) in new[] { ("format", col.Format is not null), ("true_values", col.TrueValues is not null),
                         ("false_values", col.FalseValues is not null), ("decimal_separator", col.DecimalSeparator is not null),
                         ("thousands_separator", col.ThousandsSeparator is not null) })
            {
                if (set)
                {
                    fail($"{at}.{key}", $"column {col.Name}: {key} reads source text; an expression parses its own values (e.g. strptime)");
                }
            }
            col.ParsedExpr = ParseExpression(col.Expr!, $"{at}.expr", $"column {col.Name}", names, derivedAllowed: false, derived, fail);
        }
        if (col.Pattern is not null)
        {
            try
            {
                _ = new Regex(col.Pattern);
            }
            catch (ArgumentException ex)
            {
                fail($"{at}.pattern", $"column {col.Name}: pattern is not a valid regular expression: {ex.Message}");
            }
        }
        if (col.Format is { } format && type is "date" or "timestamp" && StrptimeProblem(format) is { } formatProblem)
        {
            fail($"{at}.format", $"column {col.Name}: format '{format}' {formatProblem}");
        }
        if ((col.Min is not null || col.Max is not null) && type is not null && !SqlTypes.IsNumeric(type))
        {
            fail($"{at}.{(col.Min is null ? "max" : "min")}", $"column {col.Name}: min and max apply to number columns");
        }
        CheckSeparators(c, col, at, type, fail);
        if (col.MaxLength is < 1)
        {
            fail($"{at}.max_length", $"column {col.Name}: max_length must be at least 1");
        }
        foreach (var (key, list) in new[] { ("null_tokens", col.NullTokens), ("allowed", col.Allowed), ("aliases", col.Aliases),
                     ("true_values", col.TrueValues), ("false_values", col.FalseValues) })
        {
            if (list?.Any(t => t is null) == true)
            {
                fail($"{at}.{key}", $"column {col.Name}: {key} holds an empty entry (write '' for the empty string)");
            }
        }
        if (col.Map?.Keys.Any(k => k is null) == true)
        {
            fail($"{at}.map", $"column {col.Name}: a map key is empty");
        }
        if (col.Default is not null && col.IsConstant)
        {
            fail($"{at}.default", $"column {col.Name}: a constant needs no default");
        }
        if (type is not null && col.Default is { } def && !FitsType(def, type, col))
        {
            fail($"{at}.default", $"column {col.Name}: default '{def}' is not a valid {type}");
        }
        if (type is not null && col.Constant is { } constant && !FitsType(constant, type, col))
        {
            fail($"{at}.constant", $"column {col.Name}: constant '{constant}' is not a valid {type}");
        }
        if (col.RequiredIf is { } other && (!names.Contains(other) || other == col.Name))
        {
            fail($"{at}.required_if", $"column {col.Name}: required_if names {other}, which is not another column of this contract");
        }
        if (col.RequiredWhen is { } when)
        {
            col.ParsedRequiredWhen = ParseExpression(when, $"{at}.required_when", $"column {col.Name}: required_when", names, derivedAllowed: true, derived, fail);
        }
        if (c.Keys.Contains(col.Name) && col.IsConstant)
        {
            fail(at, $"column {col.Name}: a key cannot be a constant (every row would share it)");
        }
    }

    /// <summary>
    /// A number column's decimal and thousands separators: one character each, not a digit, sign or letter, not each other
    /// (a whole number's thousands separator may be the point it has no use for), and not the file's delimiter or quote.
    /// </summary>
    private static void CheckSeparators(ExtractContract c, ColumnContract col, string at, string? type, Action<string, string> fail)
    {
        foreach (var (key, separator) in new[] { ("decimal_separator", col.DecimalSeparator), ("thousands_separator", col.ThousandsSeparator) })
        {
            if (separator is null)
            {
                continue;
            }
            if (type is not null && !SqlTypes.IsNumeric(type))
            {
                fail($"{at}.{key}", $"column {col.Name}: {key} applies to number columns");
            }
            else if (separator.Length != 1 || char.IsLetterOrDigit(separator[0]) || separator is "+" or "-" || char.IsControl(separator[0]))
            {
                fail($"{at}.{key}", $"column {col.Name}: {key} must be one character that is no digit, letter or sign");
            }
            else if (separator == c.Delimiter || separator == c.Quote)
            {
                fail($"{at}.{key}", $"column {col.Name}: {key} '{separator}' is the file's {(separator == c.Delimiter ? "delimiter" : "quote")}");
            }
        }
        // a whole number has no decimals: only a decimal separator it declares can be mistaken for its thousands
        if (col.ThousandsSeparator is { } thousands && thousands == (col.DecimalSeparator ?? (type is not null && SqlTypes.IsWhole(type) ? null : ".")))
        {
            fail($"{at}.thousands_separator", $"column {col.Name}: thousands_separator '{thousands}' is the decimal separator as well");
        }
    }

    private static Expr? ParseExpression(string text, string path, string what, HashSet<string> names, bool derivedAllowed,
        HashSet<string> derived, Action<string, string> fail)
    {
        Expr parsed;
        try
        {
            parsed = ExpressionParser.Parse(text);
        }
        catch (ExpressionException ex)
        {
            fail(path, $"{what}: {ex.Message} (at character {ex.Position + 1} of the expression)");
            return null;
        }
        var ok = true;
        foreach (var problem in ExpressionCompiler.CheckFunctions(parsed))
        {
            fail(path, $"{what}: {problem}");
            ok = false;
        }
        if (!derivedAllowed)
        {
            foreach (var name in ExpressionCompiler.Identifiers(parsed).Where(derived.Contains))
            {
                fail(path, $"{what}: reads the expression column {name}; an expression reads the file's columns and columns with a source or a constant");
                ok = false;
            }
        }
        return ok ? parsed : null;
    }

    private static bool FitsType(string value, string type, ColumnContract col) => type switch
    {
        "integer" or "bigint" => long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _),
        "double" => double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _),
        "boolean" => (col.TrueValues ?? ValidationDefaults.TrueValues).Concat(col.FalseValues ?? ValidationDefaults.FalseValues).Contains(value),
        "date" when col.Format is null => DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _),
        _ when type.StartsWith("decimal", StringComparison.Ordinal) =>
            decimal.TryParse((col.ThousandsSeparator is { } thousands ? value.Replace(thousands, "", StringComparison.Ordinal) : value).Replace(col.DecimalSeparator ?? ".", ".", StringComparison.Ordinal),
                NumberStyles.Number, CultureInfo.InvariantCulture, out _),
        _ => true,
    };

    /// <summary>True when a .NET date format writes a date that it reads back as the same date (yyyyMM reads the 1st).</summary>
    private static bool ReadsDates(string format)
    {
        var probe = new DateOnly(2003, 10, 1);
        try
        {
            return DateOnly.TryParseExact(probe.ToString(format, CultureInfo.InvariantCulture), format, CultureInfo.InvariantCulture,
                DateTimeStyles.None, out var back) && back == probe;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    // the specifiers DuckDB's strptime knows (%-d and the like drop the leading zero)
    private const string StrptimeSpecifiers = "aAbBcdfgGhHIjmMnpSuUVwWxXyYzZ%";

    /// <summary>Why a column's date or timestamp format is not one DuckDB's strptime reads; null when it is.</summary>
    private static string? StrptimeProblem(string format)
    {
        var specifiers = 0;
        for (var i = 0; i < format.Length; i++)
        {
            if (format[i] != '%')
            {
                continue;
            }
            var next = i + 1 < format.Length && format[i + 1] == '-' ? i + 2 : i + 1;
            if (next >= format.Length || !StrptimeSpecifiers.Contains(format[next]))
            {
                return $"is not a strptime format: {format[i..Math.Min(next + 1, format.Length)]} is no specifier (use %Y, %m, %d, %H, %M, %S, …)";
            }
            specifiers += format[next] == '%' ? 0 : 1;
            i = next;
        }
        return specifiers == 0 ? "has no strptime specifier: a column's format is strptime's, e.g. %d.%m.%Y or %Y/%m/%d" : null;
    }

    [GeneratedRegex("^[a-z][a-z0-9_]*$")]
    private static partial Regex Identifier();
}

/// <summary>The yes/no values a boolean column accepts when its contract lists none.</summary>
public static class ValidationDefaults
{
    public static readonly IReadOnlyList<string> TrueValues = ["true", "1", "Y", "yes"];
    public static readonly IReadOnlyList<string> FalseValues = ["false", "0", "N", "no"];
}
