using System.Globalization;
using System.Numerics;
using Dapper;
using RetentionAnalytics.Core.Access;
using RetentionAnalytics.Core.Customers;
using RetentionAnalytics.Core.Exports;
using RetentionAnalytics.Core.Refusals;
using RetentionAnalytics.Core.Warehouse;

namespace RetentionAnalytics.Core.Reports;

/// <summary>
/// Runs fixed reports: checks the viewer's roles, binds and validates the parameters (bound, never concatenated),
/// runs the definition's SQL with the viewer's scope, sorts, and adds subtotal and total rows — ratios recomputed
/// from their numerator and denominator, never summed.
/// </summary>
public sealed class ReportEngine(Db db, ReportCatalog catalog, Definitions.DataRequirements? requirements = null)
{
    /// <summary>A drill-through list on the page stops here; the export of the list has them all.</summary>
    public const int DrillPageLimit = 5000;

    private readonly DimensionNames _names = new(db);

    public ReportCatalog Catalog => catalog;

    public ReportDefinition Authorize(string reportId, ReportViewer viewer)
    {
        var definition = catalog.Find(reportId) ?? throw new KeyNotFoundException($"no report '{reportId}'");
        if (!definition.Roles.Any(viewer.Roles.Contains))
        {
            throw new UnauthorizedAccessException($"user {viewer.Username} may not read report {reportId}");
        }
        return definition;
    }

    /// <summary>What the report needs and the warehouse lacks (the core included); empty when it can run.</summary>
    public IReadOnlyList<Definitions.MissingInput> Missing(ReportDefinition definition) =>
        requirements?.Missing(definition.Requires) ?? [];

    public static bool MayRead(ReportDefinition definition, IReadOnlySet<string> roles) => definition.Roles.Any(roles.Contains);

    public ReportResult Run(string reportId, IReadOnlyDictionary<string, string> parameters, ReportViewer viewer)
    {
        var definition = Authorize(reportId, viewer);
        requirements?.Require($"report {definition.Id}", definition.Requires);
        var bound = Bind(definition, parameters, viewer);
        var columns = definition.Columns
            .Select((c, i) => new ResultColumn(c, c.Hidden ? c.Name : c.Header.In(viewer.Language), i))
            .ToList();

        List<object?[]> data;
        using (var c = db.Connect())
        {
            var sql = db.Sql.Get(definition.Sql);
            data = c.Query(sql, Arguments(sql, bound, viewer))
                .Cast<IDictionary<string, object?>>()
                .Select(row => columns.Select(col => Normalize(Read(row, col.Name, definition.Sql), col.Format)).ToArray())
                .ToList();
        }

        var names = _names.For(viewer.Language);
        Sort(data, definition, columns, names);
        var rows = WithTotals(data, definition, columns, viewer.Language);
        return new ReportResult(definition, definition.Title.In(viewer.Language), columns, rows,
            Filters(definition, bound, viewer, names), DataAsOf(), bound, viewer.Language, names);
    }

    /// <summary>The subscribers behind the cell of <paramref name="column"/> in the row with these key values.</summary>
    public DrillResult Drill(string reportId, IReadOnlyDictionary<string, string> parameters, string column,
        IReadOnlyDictionary<string, string> keys, ReportViewer viewer, int? limit = DrillPageLimit)
    {
        var definition = Authorize(reportId, viewer);
        requirements?.Require($"report {definition.Id}", definition.Requires);
        var drill = definition.Drill.FirstOrDefault(d => d.Column == column)
            ?? throw new ArgumentException($"report {reportId} has no drill-through on column {column}");
        var bound = Bind(definition, parameters, viewer);
        var all = new Dictionary<string, object?>(bound, StringComparer.Ordinal);
        var book = _names.For(viewer.Language);
        var filters = Filters(definition, bound, viewer, book).ToList();
        foreach (var key in drill.Keys)
        {
            var keyColumn = definition.Column(key)!;
            if (!keys.TryGetValue(key, out var text) || string.IsNullOrEmpty(text))
            {
                throw new ArgumentException($"drill key {key} is missing");
            }
            all[key] = ParseKey(keyColumn, text);
            // a hidden key (a month's date, a campaign id) is named in the filters when the definition gives it a header
            if (keyColumn.Header.IsComplete)
            {
                var label = keyColumn.Header.In(viewer.Language);
                // a hidden key the definition names by a visible column (a campaign's title): that column's text of the row
                var (named, namedColumn) = keyColumn.ShownAs is { } shownAs && keys.TryGetValue(shownAs, out var shownText)
                    ? (shownText, definition.Column(shownAs)!)
                    : (text, keyColumn);
                var shown = new ExportFilter(label, Convert.ToString(ReportResult.Shown(named, namedColumn, book), CultureInfo.InvariantCulture) ?? named);
                // the clicked row narrows the report's own filter of that name ("City: all cities" becomes "City: Hangzhou")
                var same = filters.FindIndex(f => f.Label == label);
                if (same >= 0)
                {
                    filters[same] = shown;
                }
                else
                {
                    filters.Add(shown);
                }
            }
        }

        using var c = db.Connect();
        var sql = db.Sql.Get(drill.Sql);
        var arguments = Arguments(sql, all, viewer);
        var count = c.ExecuteScalar<long>($"select count(*) from ({sql.TrimEnd().TrimEnd(';')}) as drill", arguments);
        using var reader = c.ExecuteReader(sql, arguments);
        var names = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToList();
        var rows = new List<object?[]>();
        while ((limit is null || rows.Count < limit) && reader.Read())
        {
            var cells = new object?[names.Count];
            for (var i = 0; i < names.Count; i++)
            {
                var value = reader.IsDBNull(i) ? null : reader.GetValue(i);
                cells[i] = names[i] == "msisdn" && !viewer.SeesUnmaskedIdentifiers ? IdentifierMask.Phone(value as string)
                    : DrillHeaders.Named(names[i], Normalize(value, null), book);
            }
            rows.Add(cells);
        }
        var headers = names.Select(n => new ExportColumn(DrillHeaders.Of(n, viewer.Language), DrillHeaders.FormatOf(n))).ToList();
        var title = $"{definition.Title.In(viewer.Language)} · {definition.Column(column)!.Header.In(viewer.Language)}";
        return new DrillResult(title, headers, names, rows, count, filters, DataAsOf(), viewer.Language);
    }

    /// <summary>The business date of the newest successfully loaded extract file.</summary>
    public DateTime? DataAsOf()
    {
        using var c = db.Connect();
        var date = c.ExecuteScalar<DateOnly?>(db.Sql.Get("reports/data_as_of.sql"));
        return date?.ToDateTime(TimeOnly.MinValue);
    }

    /// <summary>The cities a viewer may pick: those of their scope, named in their language.</summary>
    public IReadOnlyList<CityChoice> CityChoices(ReportViewer viewer)
    {
        using var c = db.Connect();
        if (!Etl.Loading.Loader.TableExists(c, "dw", "dim_region"))
        {
            return [];
        }
        var p = viewer.Scope.AddTo(new DynamicParameters());
        p.Add("lang", viewer.Language);
        return c.Query<CityChoice>(db.Sql.Get("reports/city_choices.sql"), p).ToList();
    }

    /// <summary>The newest and the first loaded month: the bounds of every month parameter.</summary>
    public (DateOnly First, DateOnly Latest)? Months()
    {
        using var c = db.Connect();
        // a warehouse not built yet has no months: the report then says what it needs, not that a table is missing
        if (!Etl.Loading.Loader.TableExists(c, "dw", "as_of"))
        {
            return null;
        }
        var row = c.QueryFirstOrDefault<(DateOnly?, DateOnly?)>("select first_month, as_of_month from dw.as_of");
        return row is (DateOnly first, DateOnly latest) ? (first, latest) : null;
    }

    /// <summary>
    /// Typed values for every parameter of the definition (defaults for the missing ones). Unknown names and values
    /// outside the bounds or the viewer's scope are refused with an <see cref="ArgumentException"/> naming the parameter.
    /// </summary>
    public IReadOnlyDictionary<string, object?> Bind(ReportDefinition definition, IReadOnlyDictionary<string, string> raw, ReportViewer viewer)
    {
        foreach (var name in raw.Keys)
        {
            if (definition.Parameters.All(p => p.Name != name))
            {
                throw new ReportParameterException(ReportParameterRefusal.NoParameter, $"report {definition.Id} has no parameter '{name}'", name, name);
            }
        }
        var months = Months();
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var p in definition.Parameters)
        {
            var text = raw.TryGetValue(p.Name, out var given) && !string.IsNullOrWhiteSpace(given) ? given.Trim() : p.Default;
            if (string.IsNullOrEmpty(text))
            {
                if (!p.Optional)
                {
                    throw new ReportParameterException(ReportParameterRefusal.Required, $"parameter '{p.Name}' is required", p.Name, p.Label);
                }
                values[p.Name] = null;
                continue;
            }
            values[p.Name] = p.Type switch
            {
                ParameterTypes.Month => Month(p, text, months),
                ParameterTypes.City => City(p, text, viewer),
                ParameterTypes.Integer => long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) && ReportCatalog.InBounds(p, l)
                    ? l : throw OutOfBounds(p, text),
                ParameterTypes.Decimal => decimal.TryParse(text, ReportCatalog.DecimalStyle, CultureInfo.InvariantCulture, out var m) && ReportCatalog.InBounds(p, m)
                    ? (object)(double)m : throw OutOfBounds(p, text),
                _ => throw new ReportParameterException(ReportParameterRefusal.UnknownType, $"parameter '{p.Name}' has an unknown type", p.Name, p.Label),
            };
        }
        foreach (var p in definition.Parameters.Where(p => p.NotBefore is not null))
        {
            var start = definition.Parameters.Single(o => o.Name == p.NotBefore);
            if (values[p.Name] is DateOnly end && values[start.Name] is DateOnly from && end < from)
            {
                throw new ReportParameterException(ReportParameterRefusal.MonthsReversed,
                    $"parameter '{p.Name}' ({end:yyyy-MM}) must not be before '{start.Name}' ({from:yyyy-MM})", p.Name, p.Label, start.Label);
            }
        }
        return values;
    }

    private static DateOnly Month(ReportParameter p, string text, (DateOnly First, DateOnly Latest)? months)
    {
        if (ReportMonth.BeforeLatest(text) is { } before)
        {
            if (months is not { } m)
            {
                throw new ReportParameterException(ReportParameterRefusal.NoMonths, $"parameter '{p.Name}': the warehouse holds no months yet", p.Name, p.Label);
            }
            var month = m.Latest.AddMonths(-before);
            return month < m.First ? m.First : month;
        }
        if (!ReportMonth.TryParse(text, out var asked))
        {
            throw new ReportParameterException(ReportParameterRefusal.NotAMonth, $"parameter '{p.Name}' must be a month yyyy-MM", p.Name, p.Label, Shorten(text));
        }
        if (months is { } bounds && (asked < bounds.First || asked > bounds.Latest))
        {
            throw new ReportParameterException(ReportParameterRefusal.MonthOutOfRange, $"parameter '{p.Name}' must be between {bounds.First:yyyy-MM} and {bounds.Latest:yyyy-MM}", p.Name,
                p.Label, bounds.First.ToString("yyyy-MM", CultureInfo.InvariantCulture), bounds.Latest.ToString("yyyy-MM", CultureInfo.InvariantCulture));
        }
        return asked;
    }

    private static string City(ReportParameter p, string text, ReportViewer viewer) =>
        viewer.Scope.Allows(text) && text.All(char.IsAsciiDigit)
            ? text
            : throw new ReportParameterException(ReportParameterRefusal.CityOutOfScope, $"parameter '{p.Name}': city {text} is outside the viewer's scope", p.Name, p.Label, Shorten(text));

    /// <summary>The refusal of a number parameter's text: not a number, or outside the parameter's bounds.</summary>
    public static ReportParameterException OutOfBounds(ReportParameter p, string text)
    {
        // bounds as they are typed (a dot for decimals), in every language
        var bounds = string.Join(" ", new[]
        {
            p.Min is { } min ? "≥ " + min.ToString(CultureInfo.InvariantCulture) : null,
            p.Max is { } max ? "≤ " + max.ToString(CultureInfo.InvariantCulture) : null,
        }.OfType<string>());
        return new(bounds.Length == 0 ? ReportParameterRefusal.NotANumber : ReportParameterRefusal.OutOfBounds,
            $"parameter '{p.Name}': '{text}' is not a {p.Type}{(p.Min is null ? "" : $" ≥ {p.Min}")}{(p.Max is null ? "" : $" ≤ {p.Max}")}", p.Name,
            p.Label, Shorten(text), bounds);
    }

    // a parameter's value comes from the request: an error message is no place for a pasted essay
    private static string Shorten(string text) => text.Length > 40 ? text[..40] + "…" : text;

    /// <summary>The bound values the statement uses, plus the viewer's scope and language.</summary>
    private static DynamicParameters Arguments(string sql, IReadOnlyDictionary<string, object?> values, ReportViewer viewer)
    {
        var used = ReportCatalog.ParametersOf(sql);
        var p = viewer.Scope.AddTo(new DynamicParameters());
        if (used.Contains("lang"))
        {
            p.Add("lang", viewer.Language);
        }
        foreach (var (name, value) in values)
        {
            if (used.Contains(name))
            {
                p.Add(name, value);
            }
        }
        return p;
    }

    private static object ParseKey(ReportColumn column, string text) => column.Format switch
    {
        ColumnFormat.Date => DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
            ? d : throw new ArgumentException($"drill key {column.Name} must be a date yyyy-MM-dd"),
        ColumnFormat.Integer => long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l)
            ? l : throw new ArgumentException($"drill key {column.Name} must be a whole number"),
        _ => text,
    };

    /// <summary>The text a drill key travels as (query string, grid click): dates as yyyy-MM-dd, numbers invariant.</summary>
    public static string KeyText(object? value) => value switch
    {
        null => "",
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTime t => t.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static object? Read(IDictionary<string, object?> row, string name, string sqlPath) =>
        row.TryGetValue(name, out var value)
            ? value
            : throw new ReportDefinitionException($"{sqlPath} returns no column '{name}'");

    /// <summary>One CLR type per format, whatever DuckDB returned (HUGEINT sums arrive as BigInteger).</summary>
    private static object? Normalize(object? value, ColumnFormat? format)
    {
        if (value is null or DBNull)
        {
            return null;
        }
        if (value is BigInteger big)
        {
            value = (decimal)big;
        }
        return format switch
        {
            ColumnFormat.Integer => Convert.ToInt64(value, CultureInfo.InvariantCulture),
            ColumnFormat.Decimal or ColumnFormat.Percent => Convert.ToDouble(value, CultureInfo.InvariantCulture),
            ColumnFormat.Money => Convert.ToDecimal(value, CultureInfo.InvariantCulture),
            ColumnFormat.Text => value as string ?? Convert.ToString(value, CultureInfo.InvariantCulture),
            _ => value,
        };
    }

    /// <summary>By the sort columns; codes of a dimension the business orders (value tiers) in that order.</summary>
    private static void Sort(List<object?[]> rows, ReportDefinition definition, IReadOnlyList<ResultColumn> columns, NameBook names)
    {
        if (definition.Sort.Count == 0)
        {
            return;
        }
        var keys = definition.Sort.Select(s => columns.Single(c => c.Name == s.Column)).Select(c => (c.Index, definition.Sort.Single(s => s.Column == c.Name).Descending, c.Definition.Names)).ToList();
        var ordered = rows.Select((r, i) => (r, i)).ToList();
        ordered.Sort((a, b) =>
        {
            foreach (var (index, descending, dimension) in keys)
            {
                var cmp = dimension is not null && a.r[index] is string x && b.r[index] is string y
                    && names.Order(dimension, x) is int ox && names.Order(dimension, y) is int oy
                    ? ox.CompareTo(oy)
                    : CompareCells(a.r[index], b.r[index]);
                if (cmp != 0)
                {
                    return descending ? -cmp : cmp;
                }
            }
            return a.i.CompareTo(b.i); // stable: the SQL's own order breaks ties
        });
        rows.Clear();
        rows.AddRange(ordered.Select(x => x.r));
    }

    /// <summary>Nulls last; numbers by value; text ordinally.</summary>
    private static int CompareCells(object? a, object? b)
    {
        if (a is null || b is null)
        {
            return a is null ? (b is null ? 0 : 1) : -1;
        }
        if (a is string sa && b is string sb)
        {
            return string.CompareOrdinal(sa, sb);
        }
        if (a is IConvertible && b is IConvertible && a is not DateOnly && a is not string && b is not string)
        {
            return Convert.ToDouble(a, CultureInfo.InvariantCulture).CompareTo(Convert.ToDouble(b, CultureInfo.InvariantCulture));
        }
        return a is IComparable ca ? ca.CompareTo(b) : 0;
    }

    private static List<ExportRow> WithTotals(List<object?[]> data, ReportDefinition definition, IReadOnlyList<ResultColumn> columns, string language)
    {
        var rows = new List<ExportRow>(data.Count + 8);
        if (definition.SubtotalBy is { } by)
        {
            var index = columns.Single(c => c.Name == by).Index;
            var start = 0;
            for (var i = 1; i <= data.Count; i++)
            {
                if (i == data.Count || !Equals(data[i][index], data[start][index]))
                {
                    var group = data.GetRange(start, i - start);
                    rows.AddRange(group.Select(r => new ExportRow(r)));
                    start = i;
                    if (group.Count == 1)
                    {
                        continue; // a group of one row is its own subtotal: repeating it would show that row twice
                    }
                    var subtotal = Aggregate(group, columns, TotalLabels.Subtotal(language), index);
                    subtotal[index] = group[0][index];
                    SharedTexts(group, columns, subtotal);
                    rows.Add(new ExportRow(subtotal, ExportRowKind.Subtotal));
                }
            }
        }
        else
        {
            rows.AddRange(data.Select(r => new ExportRow(r)));
        }
        if (definition.GrandTotal && data.Count > 0)
        {
            rows.Add(new ExportRow(Aggregate(data, columns, TotalLabels.Total(language), -1), ExportRowKind.Total));
        }
        return rows;
    }

    /// <summary>
    /// A subtotal row also shows the texts its whole group shares (the city's name beside the city, the scenario's name),
    /// so that a reader never meets a total without its name.
    /// </summary>
    private static void SharedTexts(List<object?[]> group, IReadOnlyList<ResultColumn> columns, object?[] subtotal)
    {
        foreach (var column in columns.Where(c => c.Definition.Total == TotalKinds.None && c.Format is ColumnFormat.Text or ColumnFormat.Date))
        {
            var first = group[0][column.Index];
            if (subtotal[column.Index] is null && first is not null && group.All(r => Equals(r[column.Index], first)))
            {
                subtotal[column.Index] = first;
            }
        }
    }

    /// <summary>The total of some data rows: sums, ratios of summed parts, and the label in the first label column.</summary>
    public static object?[] Aggregate(IReadOnlyList<object?[]> rows, IReadOnlyList<ResultColumn> columns, string label, int skipLabelAt)
    {
        var cells = new object?[columns.Count];
        var labelled = false;
        foreach (var column in columns.Where(c => c.Definition.Total == TotalKinds.Sum))
        {
            cells[column.Index] = Sum(rows, column);
        }
        foreach (var column in columns)
        {
            switch (column.Definition.Total)
            {
                case TotalKinds.Ratio:
                    var numerator = columns.Single(c => c.Name == column.Definition.Numerator);
                    var denominator = columns.Single(c => c.Name == column.Definition.Denominator);
                    var n = ToDouble(cells[numerator.Index]);
                    var d = ToDouble(cells[denominator.Index]);
                    cells[column.Index] = d is null or 0 || n is null ? null : Normalize(n.Value / d.Value, column.Format);
                    break;
                case TotalKinds.Label when !labelled && column.Index != skipLabelAt:
                    cells[column.Index] = label;
                    labelled = true;
                    break;
            }
        }
        return cells;
    }

    private static object? Sum(IReadOnlyList<object?[]> rows, ResultColumn column)
    {
        var values = rows.Select(r => r[column.Index]).Where(v => v is not null).ToList();
        if (values.Count == 0)
        {
            return null;
        }
        return column.Format switch
        {
            ColumnFormat.Integer => values.Sum(v => (long)v!),
            ColumnFormat.Money => values.Sum(v => (decimal)v!),
            _ => (object)values.Sum(v => Convert.ToDouble(v, CultureInfo.InvariantCulture)),
        };
    }

    private static double? ToDouble(object? value) => value is null ? null : Convert.ToDouble(value, CultureInfo.InvariantCulture);

    private static IReadOnlyList<ExportFilter> Filters(ReportDefinition definition, IReadOnlyDictionary<string, object?> bound, ReportViewer viewer, NameBook names)
    {
        var filters = new List<ExportFilter>();
        foreach (var p in definition.Parameters)
        {
            var value = bound[p.Name];
            var text = value switch
            {
                null => TotalLabels.AllCities(viewer.Language),
                DateOnly d => d.ToString("yyyy-MM", CultureInfo.InvariantCulture),
                string city when p.Type == ParameterTypes.City => names.Name("city", city),
                IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
                _ => value.ToString() ?? "",
            };
            filters.Add(new ExportFilter(p.Label.In(viewer.Language), text));
        }
        filters.Add(new ExportFilter(TotalLabels.Scope(viewer.Language),
            viewer.Scope.Province ? TotalLabels.Province(viewer.Language) : names.Names("city", viewer.Scope.Cities)));
        return filters;
    }
}

/// <summary>Why a report's parameters are refused (texts: ReportParameterRefusal_* in the portal's refusal resources).</summary>
public enum ReportParameterRefusal { NoParameter, Required, UnknownType, NoMonths, NotAMonth, MonthOutOfRange, CityOutOfScope, NotANumber, OutOfBounds, MonthsReversed }

/// <summary>
/// A parameter value a report cannot take, naming the parameter (<see cref="ArgumentException.ParamName"/>, and its label
/// first among the values of its text); an <see cref="ArgumentException"/> to its callers.
/// </summary>
public sealed class ReportParameterException(ReportParameterRefusal code, string message, string parameter, params object[] args)
    : ArgumentException(message, parameter), IRefusal
{
    public Enum Code { get; } = code;

    public IReadOnlyList<object> Args { get; } = args;
}
