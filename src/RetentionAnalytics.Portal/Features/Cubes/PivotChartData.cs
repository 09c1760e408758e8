using RetentionAnalytics.Core.Cubes;
using RetentionAnalytics.Core.Exports;
using RetentionAnalytics.Portal.Features.Shared.Charts;

namespace RetentionAnalytics.Portal.Features.Cubes;

/// <summary>
/// The pivot as a chart: the row members are the categories and the column members the series (a city's column per
/// month, a line per value tier); when only the columns are time, they become the categories instead, so that time
/// always runs along the axis. Without a column dimension each measure is one series of the row totals.
/// </summary>
public static class PivotChartData
{
    public const string TimeDimension = "time";

    public static ChartData From(PivotResult result)
    {
        var measures = result.Measures.Select(m => new ChartMeasure(m.Id, m.Title, Format(m.Format))).ToList();
        var rows = result.Rows.Select(r => new ChartMember(r.Id, string.Join(" / ", r.Labels))).ToList();
        var columns = result.Columns.Select(c => new ChartMember(c.Id, string.Join(" / ", c.Labels))).ToList();
        var rowsAreTime = result.RowAxes.Count > 0 && result.RowAxes[0].Dimension == TimeDimension;
        var columnsAreTime = result.ColumnAxes.Count > 0 && result.ColumnAxes[0].Dimension == TimeDimension;
        var rowTitle = result.RowAxes.Count > 0 ? string.Join(" / ", result.RowAxes.Select(a => a.Title)) : null;
        var columnTitle = result.ColumnAxes.Count > 0 ? string.Join(" / ", result.ColumnAxes.Select(a => a.Title)) : null;

        if (result.ColumnAxes.Count == 0)
        {
            return new ChartData(rows, [], measures, (m, _, c) => result.RowTotals[c][m], rowsAreTime, categoryTitle: rowTitle);
        }
        if (result.RowAxes.Count == 0)
        {
            return new ChartData(columns, [], measures, (m, _, c) => result.ColumnTotals[c][m], columnsAreTime, categoryTitle: columnTitle);
        }
        return columnsAreTime && !rowsAreTime
            ? new ChartData(columns, rows, measures, (m, s, c) => result.Cells[s][c][m], true, categoryTitle: columnTitle)
            : new ChartData(rows, columns, measures, (m, s, c) => result.Cells[c][s][m], rowsAreTime, categoryTitle: rowTitle);
    }

    private static ColumnFormat Format(MeasureFormat format) => format switch
    {
        MeasureFormat.Percent => ColumnFormat.Percent,
        MeasureFormat.Money => ColumnFormat.Money,
        MeasureFormat.Decimal => ColumnFormat.Decimal,
        _ => ColumnFormat.Integer,
    };
}
