using System.Globalization;
using System.Text.RegularExpressions;
using RetentionAnalytics.Core.Exports;
using RetentionAnalytics.Core.Reports;
using RetentionAnalytics.Portal.Features.Shared.Charts;

namespace RetentionAnalytics.Portal.Features.Reports;

/// <summary>
/// A report's chart data from its result: one category per distinct value of the chart's x column in the report's row
/// order, one series per distinct value of its series column, and the rows that share both added up with the columns'
/// own total rules (sums summed, ratios recomputed from their summed parts) — never one point per table row.
/// </summary>
public static partial class ReportChartData
{
    public static ChartData? From(ReportResult result, CultureInfo culture)
    {
        if (result.Definition.Chart is not { } chart)
        {
            return null;
        }
        var x = result.Column(chart.X);
        var by = chart.Series is { } s ? result.Column(s) : null;
        var measures = chart.Values.Select(result.Column).ToList();

        var categories = new Members(result, x, culture);
        var series = new Members(result, by, culture);
        var groups = new Dictionary<(int Category, int Series), List<object?[]>>();
        foreach (var row in result.Rows.Where(r => r.Kind == ExportRowKind.Data))
        {
            var key = (categories.IndexOf(row), series.IndexOf(row));
            if (!groups.TryGetValue(key, out var rows))
            {
                groups[key] = rows = [];
            }
            rows.Add(row.Cells);
        }
        var totals = groups.ToDictionary(g => g.Key, g => ReportEngine.Aggregate(g.Value, result.Columns, "", -1));

        return new ChartData(
            categories.List,
            series.List,
            measures.Select(m => new ChartMeasure(m.Name, m.Header, m.Format)).ToList(),
            (m, si, c) => totals.TryGetValue((c, by is null ? 0 : si), out var cells) && cells[measures[m].Index] is { } v
                ? Convert.ToDouble(v, CultureInfo.InvariantCulture) : null,
            categoriesAreTime: x.Format is ColumnFormat.Date or ColumnFormat.Timestamp || categories.List.All(c => YearMonth().IsMatch(c.Key)),
            kind: chart.Type switch
            {
                ChartTypes.Line => ChartKind.Line,
                ChartTypes.Column => ChartKind.Column,
                ChartTypes.Bar => ChartKind.Bar,
                _ => ChartKind.Auto,
            },
            categoryTitle: x.Header);
    }

    /// <summary>The distinct values of one column in row order, keyed by their invariant text, labelled as the table shows them.</summary>
    private sealed class Members(ReportResult result, ResultColumn? column, CultureInfo culture)
    {
        private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);

        public List<ChartMember> List { get; } = [];

        public int IndexOf(ExportRow row)
        {
            if (column is null)
            {
                return 0;
            }
            var key = ReportEngine.KeyText(row.Cells[column.Index]);
            if (!_index.TryGetValue(key, out var index))
            {
                index = _index[key] = List.Count;
                var label = ReportCells.Text(result.Shown(row, column), column.Format, culture, column.Definition.Period == "month");
                List.Add(new ChartMember(key, label.Length == 0 ? "–" : label));
            }
            return index;
        }
    }

    [GeneratedRegex("^[0-9]{4}-[0-9]{2}$")]
    private static partial Regex YearMonth();
}
