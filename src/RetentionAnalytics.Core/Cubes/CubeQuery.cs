using System.Text;
using Dapper;
using RetentionAnalytics.Core.Access;

namespace RetentionAnalytics.Core.Cubes;

/// <summary>An axis column resolved against the definition: what the generator may name in SQL.</summary>
public sealed record ResolvedAxis(CubeDimension Dimension, CubeLevel Level);

/// <summary>
/// Turns a <see cref="PivotRequest"/> into one DuckDB query: the cube's base relation, the scope predicate and the
/// member filters (bound), an optional top-N, then GROUP BY GROUPING SETS for the cells, the row totals (over all
/// columns), the column totals (over all rows) and the grand total. Only the aggregated cells leave DuckDB. A cube
/// with a grain level (<see cref="CubeDefinition.Grain"/>) gets the sets that group by it in a block of their own, with
/// the measures' forms at the grain (a count of rows for a distinct count), joined to the others by UNION ALL.
/// Output columns: per axis column i: k{i} (key as text), l{i} (label), s{i} (sort), g{i} (1 when rolled up);
/// per measure j: m{j}.
/// </summary>
public sealed class CubeQuery
{
    public const int MaxAxisLevels = 4;
    public const int MaxFilterMembers = 500;
    public const int MaxTopN = 1000;

    public CubeDefinition Cube { get; }
    public IReadOnlyList<ResolvedAxis> Rows { get; }
    public IReadOnlyList<ResolvedAxis> Columns { get; }
    public IReadOnlyList<CubeMeasure> Measures { get; }
    public string Sql { get; }
    public DynamicParameters Parameters { get; }

    public IEnumerable<ResolvedAxis> Axes => Rows.Concat(Columns);

    private CubeQuery(CubeDefinition cube, IReadOnlyList<ResolvedAxis> rows, IReadOnlyList<ResolvedAxis> columns,
        IReadOnlyList<CubeMeasure> measures, string sql, DynamicParameters parameters)
    {
        Cube = cube;
        Rows = rows;
        Columns = columns;
        Measures = measures;
        Sql = sql;
        Parameters = parameters;
    }

    /// <exception cref="ArgumentException">The request names something the cube does not define, or is out of bounds.</exception>
    public static CubeQuery Build(CubeDefinition cube, string sourceSql, PivotRequest request, RegionScope scope, string language)
    {
        if (request.Cube != cube.Id)
        {
            throw new CubeRequestException(CubeRefusal.WrongCube, $"the request is for cube '{CubeDefinition.Short(request.Cube)}', not {cube.Id}", CubeDefinition.Short(request.Cube), cube.Id);
        }
        var rows = request.Rows.Select(a => Resolve(cube, a)).ToList();
        var columns = request.Columns.Select(a => Resolve(cube, a)).ToList();
        if (rows.Count + columns.Count > MaxAxisLevels)
        {
            throw new CubeRequestException(CubeRefusal.TooManyAxes, $"at most {MaxAxisLevels} dimensions on rows and columns together", MaxAxisLevels);
        }
        var axes = rows.Concat(columns).ToList();
        if (axes.Select(a => a.Dimension.Id).Distinct().Count() != axes.Count)
        {
            throw new CubeRequestException(CubeRefusal.DimensionTwice, "a dimension can be on one axis only, at one level");
        }
        if (request.Measures.Count == 0)
        {
            throw new CubeRequestException(CubeRefusal.NoMeasure, "choose at least one measure");
        }
        var measures = request.Measures.Distinct().Select(cube.Measure).ToList();

        var rowKeys = rows.Select(r => r.Level.Key).ToList();
        var columnKeys = columns.Select(c => c.Level.Key).ToList();
        var sets = new List<List<string>> { rowKeys.Concat(columnKeys).ToList(), rowKeys, columnKeys, new List<string>() }
            .DistinctBy(s => string.Join(",", s)).ToList();
        // the cells grouped by the grain level count its rows where the other sets need a distinct count: two blocks
        var grain = cube.GrainKey;
        var atGrain = sets.Where(s => grain is not null && s.Contains(grain)).ToList();
        var elsewhere = sets.Except(atGrain).ToList();
        List<(List<List<string>> Sets, bool AtGrain)> blocks = atGrain.Count == 0 || !measures.Any(m => UsesGrain(cube, m))
            ? [(sets, false)]
            : elsewhere.Count == 0 ? [(sets, true)] : [(atGrain, true), (elsewhere, false)];
        // two blocks read the rows twice: inlined in each, not materialised (a copy of every column of every row)
        var cte = blocks.Count > 1 ? "not materialized " : "";

        var parameters = scope.AddTo(new DynamicParameters());
        var sql = new StringBuilder();
        sql.Append("with\n\nbase as ").Append(cte).Append("(\n").Append(sourceSql.TrimEnd().TrimEnd(';')).Append("\n),\n\n");

        sql.Append("scoped as ").Append(cte).Append("(\n    select * from base\n    where ($scope_all or list_contains(string_split($scope_cities, ','), ")
            .Append(cube.ScopeColumn).Append("))\n");
        var f = 0;
        foreach (var filter in request.FilterList)
        {
            var level = cube.Dimension(filter.Dimension).Level(filter.Level);
            if (filter.Members.Count == 0)
            {
                continue;
            }
            if (filter.Members.Count > MaxFilterMembers)
            {
                throw new CubeRequestException(CubeRefusal.TooManyFilterMembers, $"a filter holds at most {MaxFilterMembers} members", MaxFilterMembers);
            }
            var names = new List<string>();
            for (var i = 0; i < filter.Members.Count; i++)
            {
                var name = $"f{f}_{i}";
                parameters.Add(name, filter.Members[i] ?? "");
                names.Add("$" + name);
            }
            sql.Append("        and cast(").Append(level.Key).Append(" as varchar) in (").Append(string.Join(", ", names)).Append(")\n");
            f++;
        }
        sql.Append("),\n\n");

        var from = "scoped";
        if (request.Top is { } top)
        {
            if (top.RowAxis < 0 || top.RowAxis >= rows.Count)
            {
                throw new CubeRequestException(CubeRefusal.TopNOnRows, "top-N applies to a dimension on the rows");
            }
            if (top.Count < 1 || top.Count > MaxTopN)
            {
                throw new CubeRequestException(CubeRefusal.TopNCount, $"top-N count must be 1..{MaxTopN}", MaxTopN);
            }
            var key = rows[top.RowAxis].Level.Key;
            parameters.Add("top_n", top.Count);
            sql.Append("top_members as (\n    select ").Append(key).Append(" as member\n    from scoped\n    group by ").Append(key)
                .Append("\n    order by ").Append(MeasureSql(cube, cube.Measure(top.Measure))).Append(" desc nulls last, ").Append(key)
                .Append("\n    limit $top_n\n),\n\n");
            sql.Append("top_scoped as ").Append(cte).Append("(\n    select * from scoped\n    where ").Append(key).Append(" in (select member from top_members)\n),\n\n");
            from = "top_scoped";
        }

        sql.Append("final as (\n")
            .Append(string.Join("\n\n    union all\n\n", blocks.Select(b => Block(cube, axes, measures, b.Sets, b.AtGrain, from, language))))
            .Append("\n)\n\nselect * from final\n");

        return new CubeQuery(cube, rows, columns, measures, sql.ToString(), parameters);
    }

    /// <summary>
    /// The labels of some members of one level in the reader's language (a filter "City = Hangzhou" instead of 571):
    /// key and label columns from the definition, the keys bound, the scope applied as for every read.
    /// </summary>
    public static (string Sql, DynamicParameters Parameters) Labels(CubeDefinition cube, string sourceSql, MemberFilter filter, RegionScope scope, string language)
    {
        var level = cube.Dimension(filter.Dimension).Level(filter.Level);
        if (filter.Members.Count > MaxFilterMembers)
        {
            throw new CubeRequestException(CubeRefusal.TooManyFilterMembers, $"a filter holds at most {MaxFilterMembers} members", MaxFilterMembers);
        }
        var parameters = scope.AddTo(new DynamicParameters());
        var names = new List<string>();
        for (var i = 0; i < filter.Members.Count; i++)
        {
            parameters.Add($"m{i}", filter.Members[i] ?? "");
            names.Add($"$m{i}");
        }
        var sql = new StringBuilder();
        sql.Append("with\n\nbase as (\n").Append(sourceSql.TrimEnd().TrimEnd(';')).Append("\n),\n\n")
            .Append("scoped as (\n    select * from base\n    where ($scope_all or list_contains(string_split($scope_cities, ','), ")
            .Append(cube.ScopeColumn).Append("))\n")
            .Append("        and cast(").Append(level.Key).Append(" as varchar) in (").Append(names.Count == 0 ? "null" : string.Join(", ", names)).Append(")\n),\n\n")
            .Append("final as (\n    select cast(").Append(level.Key).Append(" as varchar) as member, cast(min(").Append(level.LabelColumn(language))
            .Append(") as varchar) as label\n    from scoped\n    group by 1\n)\n\nselect * from final\n");
        return (sql.ToString(), parameters);
    }

    /// <summary>
    /// One select over <paramref name="from"/> grouped by <paramref name="sets"/>: every axis column's key, label, sort and
    /// grouping flag (a column no set groups by is rolled up throughout), then the measures.
    /// </summary>
    private static string Block(CubeDefinition cube, IReadOnlyList<ResolvedAxis> axes, IReadOnlyList<CubeMeasure> measures,
        List<List<string>> sets, bool atGrain, string from, string language)
    {
        var selects = new List<string>();
        for (var i = 0; i < axes.Count; i++)
        {
            var level = axes[i].Level;
            if (!sets.Any(s => s.Contains(level.Key)))
            {
                selects.Add($"        cast(null as varchar) as k{i}, cast(null as varchar) as l{i}, cast(null as varchar) as s{i}, 1 as g{i}");
                continue;
            }
            selects.Add($"        cast({level.Key} as varchar) as k{i}");
            selects.Add($"        cast(min({level.LabelColumn(language)}) as varchar) as l{i}");
            selects.Add(level.Sort is null ? $"        cast(null as varchar) as s{i}" : $"        cast(min({level.Sort}) as varchar) as s{i}");
            selects.Add($"        grouping({level.Key}) as g{i}");
        }
        for (var j = 0; j < measures.Count; j++)
        {
            selects.Add($"        {MeasureSql(cube, measures[j], atGrain)} as m{j}");
        }
        return "    select\n" + string.Join(",\n", selects) + "\n    from " + from + "\n"
            + "    group by grouping sets (" + string.Join(", ", sets.Select(s => "(" + string.Join(", ", s) + ")")) + ")";
    }

    /// <summary>Whether the measure (or a part of the ratio) has a form for cells at the cube's grain.</summary>
    private static bool UsesGrain(CubeDefinition cube, CubeMeasure measure) =>
        measure.IsRatio
            ? UsesGrain(cube, cube.Measure(measure.Numerator!)) || UsesGrain(cube, cube.Measure(measure.Denominator!))
            : measure.SqlAtGrain is not null;

    private static ResolvedAxis Resolve(CubeDefinition cube, AxisLevel axis)
    {
        var dimension = cube.Dimension(axis.Dimension);
        return new ResolvedAxis(dimension, dimension.Level(axis.Level));
    }

    /// <summary>A ratio divides the aggregated parts within each grouping set, so every total is a ratio of sums.</summary>
    /// <remarks>At the grain (<paramref name="atGrain"/>) an aggregate's <see cref="CubeMeasure.SqlAtGrain"/> where it has one.</remarks>
    internal static string MeasureSql(CubeDefinition cube, CubeMeasure measure, bool atGrain = false)
    {
        string Aggregate(CubeMeasure m) => atGrain && m.SqlAtGrain is not null ? m.SqlAtGrain : m.Sql!;
        if (!measure.IsRatio)
        {
            return "(" + Aggregate(measure) + ")";
        }
        var numerator = Aggregate(cube.Measure(measure.Numerator ?? ""));
        var denominator = Aggregate(cube.Measure(measure.Denominator ?? ""));
        return "cast(" + numerator + " as double) / nullif(" + denominator + ", 0)";
    }
}
