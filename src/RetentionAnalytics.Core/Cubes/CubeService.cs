using System.Data;
using System.Numerics;
using Dapper;
using RetentionAnalytics.Core.Access;
using RetentionAnalytics.Core.Warehouse;

namespace RetentionAnalytics.Core.Cubes;

/// <summary>Runs pivot requests against the warehouse: one generated query each, only aggregated cells come back.</summary>
public sealed class CubeService(Db db, CubeCatalog catalog, Definitions.DataRequirements? requirements = null)
{
    public CubeCatalog Catalog { get; } = catalog;

    public static string Language(string? language) => language is "de" or "zh" ? language : "en";

    public CubeQuery Plan(PivotRequest request, RegionScope scope, string language)
    {
        var cube = Catalog.Get(request.Cube);
        return CubeQuery.Build(cube, db.Sql.Get(cube.Source), request, scope, Language(language));
    }

    /// <summary>The pivot for <paramref name="scope"/>; no scope reads nothing (default deny).</summary>
    public PivotResult Run(PivotRequest request, RegionScope scope, string language)
    {
        language = Language(language);
        var query = Plan(request, scope, language);
        requirements?.Require($"cube {request.Cube}", Catalog.Get(request.Cube).Requires);
        if (scope.IsEmpty)
        {
            return Shape(query, request, language, [], null);
        }
        using var c = db.Connect();
        return Execute(c, query, request, language);
    }

    /// <summary>The filter's members by name in the reader's language; a member the scope hides keeps its key.</summary>
    public IReadOnlyList<string> MemberLabels(string cubeId, MemberFilter filter, RegionScope scope, string language)
    {
        var cube = Catalog.Get(cubeId);
        if (scope.IsEmpty || filter.Members.Count == 0)
        {
            return filter.Members.ToList();
        }
        var (sql, parameters) = CubeQuery.Labels(cube, db.Sql.Get(cube.Source), filter, scope, Language(language));
        using var c = db.Connect();
        var labels = c.Query<(string Member, string? Label)>(sql, parameters).ToDictionary(r => r.Member, r => r.Label);
        return filter.Members.Select(m => labels.GetValueOrDefault(m) ?? m).ToList();
    }

    /// <summary>Runs a planned query on an open connection (the benchmark's read-only one) and shapes the pivot.</summary>
    public static PivotResult Execute(IDbConnection c, CubeQuery query, PivotRequest request, string language)
    {
        using var reader = c.ExecuteReader(query.Sql, query.Parameters);
        var rows = ReadAll(reader);
        return Shape(query, request, language, rows, DataAsOf(c));
    }

    internal static List<object?[]> ReadAll(IDataReader reader)
    {
        var rows = new List<object?[]>();
        while (reader.Read())
        {
            var values = new object?[reader.FieldCount];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }
            rows.Add(values);
        }
        return rows;
    }

    private static DateTime? DataAsOf(IDbConnection c)
    {
        var hasAsOf = c.ExecuteScalar<long>(
            "select count(*) from information_schema.tables where table_schema = 'dw' and table_name = 'as_of'") > 0;
        return hasAsOf ? c.ExecuteScalar<DateTime?>("select cast(max(as_of_date) as timestamp) from dw.as_of") : null;
    }

    /// <summary>Sorts the grouping-set rows into cells, row totals, column totals and the grand total.</summary>
    public static PivotResult Shape(CubeQuery query, PivotRequest request, string language, IReadOnlyList<object?[]> rows, DateTime? asOf)
    {
        var axes = query.Axes.ToList();
        var rowCount = query.Rows.Count;
        var measureCount = query.Measures.Count;
        var measureOffset = axes.Count * 4;
        var none = PivotResult.NoneLabel(language);

        PivotMember Member(object?[] row, int from, int count) => new(
            Enumerable.Range(from, count).Select(i => row[i * 4] as string).ToList(),
            Enumerable.Range(from, count).Select(i => row[i * 4 + 1] as string ?? row[i * 4] as string ?? none).ToList());

        bool Keyed(object?[] row, int from, int count) =>
            count > 0 && Enumerable.Range(from, count).All(i => Convert.ToInt64(row[i * 4 + 3]) == 0);

        double?[] Values(object?[] row) =>
            Enumerable.Range(0, measureCount).Select(j => ToDouble(row[measureOffset + j])).ToArray();

        var rowMembers = new Dictionary<string, (PivotMember Member, object?[] Row)>();
        var columnMembers = new Dictionary<string, (PivotMember Member, object?[] Row)>();
        var cells = new Dictionary<(string, string), double?[]>();
        var rowTotals = new Dictionary<string, double?[]>();
        var columnTotals = new Dictionary<string, double?[]>();
        var grand = new double?[measureCount];
        foreach (var row in rows)
        {
            var rowKeyed = Keyed(row, 0, rowCount);
            var columnKeyed = Keyed(row, rowCount, query.Columns.Count);
            var rowMember = rowKeyed ? Member(row, 0, rowCount) : null;
            var columnMember = columnKeyed ? Member(row, rowCount, query.Columns.Count) : null;
            if (rowKeyed && columnKeyed)
            {
                cells[(rowMember!.Id, columnMember!.Id)] = Values(row);
            }
            else if (rowKeyed)
            {
                rowMembers[rowMember!.Id] = (rowMember, row);
                rowTotals[rowMember.Id] = Values(row);
            }
            else if (columnKeyed)
            {
                columnMembers[columnMember!.Id] = (columnMember, row);
                columnTotals[columnMember.Id] = Values(row);
            }
            else
            {
                grand = Values(row);
            }
        }

        var orderedRows = Order(rowMembers.Values, 0, rowCount).ToList();
        if (request.Sort is { Measure: { } sortMeasure } sort)
        {
            var j = query.Measures.ToList().FindIndex(m => m.Id == sortMeasure);
            if (j < 0)
            {
                throw new CubeRequestException(CubeRefusal.SortMeasure, $"sort measure '{CubeDefinition.Short(sortMeasure)}' is not among the chosen measures", CubeDefinition.Short(sortMeasure));
            }
            orderedRows = sort.Descending
                ? orderedRows.OrderByDescending(m => rowTotals[m.Id][j] ?? double.MinValue).ToList()
                : orderedRows.OrderBy(m => rowTotals[m.Id][j] ?? double.MaxValue).ToList();
        }
        var orderedColumns = Order(columnMembers.Values, rowCount, query.Columns.Count).ToList();
        var empty = new double?[measureCount];

        return new PivotResult(
            query.Cube.Id,
            query.Cube.Title.In(language),
            query.Rows.Select(a => Info(a, language)).ToList(),
            query.Columns.Select(a => Info(a, language)).ToList(),
            query.Measures.Select(m => new PivotMeasureInfo(m.Id, m.Title.In(language), m.Format)).ToList(),
            orderedRows,
            orderedColumns,
            orderedRows.Select(r => orderedColumns.Select(c => cells.GetValueOrDefault((r.Id, c.Id)) ?? empty).ToArray()).ToArray(),
            orderedRows.Select(r => rowTotals[r.Id]).ToArray(),
            orderedColumns.Select(c => columnTotals[c.Id]).ToArray(),
            grand,
            asOf);
    }

    private static PivotAxisInfo Info(ResolvedAxis axis, string language) =>
        new(axis.Dimension.Id, axis.Level.Id, axis.Level.Title.In(language),
            axis.Dimension.Below(axis.Level.Id) is not null, axis.Dimension.Above(axis.Level.Id) is not null,
            axis.Level.Period == "month");

    /// <summary>Members in their own order: the level's sort column if any, else the key (numbers as numbers).</summary>
    private static IEnumerable<PivotMember> Order(IEnumerable<(PivotMember Member, object?[] Row)> members, int from, int count)
    {
        IOrderedEnumerable<(PivotMember Member, object?[] Row)>? ordered = null;
        for (var i = from; i < from + count; i++)
        {
            var index = i;
            Func<(PivotMember Member, object?[] Row), (int, double, string)> key = m =>
            {
                var text = (m.Row[index * 4 + 2] ?? m.Row[index * 4]) as string;
                return text is null ? (1, 0, "")
                    : double.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var number) ? (0, number, text)
                    : (0, double.MaxValue, text);
            };
            ordered = ordered is null ? members.OrderBy(key) : ordered.ThenBy(key);
        }
        return (ordered ?? members.OrderBy(_ => 0)).Select(m => m.Member);
    }

    internal static double? ToDouble(object? value) => value switch
    {
        null => null,
        BigInteger big => (double)big,
        double d => double.IsNaN(d) ? null : d,
        _ => Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture),
    };
}
