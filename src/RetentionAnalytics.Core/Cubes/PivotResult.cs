using RetentionAnalytics.Core.Exports;

namespace RetentionAnalytics.Core.Cubes;

/// <summary>A member tuple on one axis: keys (null: the member "none") and labels, one per axis level.</summary>
public sealed record PivotMember(IReadOnlyList<string?> Keys, IReadOnlyList<string> Labels)
{
    public string Id => string.Join("\u001f", Keys.Select(k => k ?? "\u0000"));
}

/// <summary>An axis level as the screen titles it; <paramref name="IsMonth"/>: its members are months as yyyy-MM.</summary>
public sealed record PivotAxisInfo(string Dimension, string Level, string Title, bool CanDrillDown, bool CanDrillUp, bool IsMonth = false);

public sealed record PivotMeasureInfo(string Id, string Title, MeasureFormat Format);

/// <summary>
/// The aggregated answer to a <see cref="PivotRequest"/>: row and column members in display order, the cells, the row
/// totals (each row over all columns), the column totals (each column over all rows) and the grand total, every
/// value computed by DuckDB in its own grouping set. Values are indexed [row][column][measure].
/// </summary>
public sealed record PivotResult(
    string Cube,
    string Title,
    IReadOnlyList<PivotAxisInfo> RowAxes,
    IReadOnlyList<PivotAxisInfo> ColumnAxes,
    IReadOnlyList<PivotMeasureInfo> Measures,
    IReadOnlyList<PivotMember> Rows,
    IReadOnlyList<PivotMember> Columns,
    double?[][][] Cells,
    double?[][] RowTotals,
    double?[][] ColumnTotals,
    double?[] GrandTotals,
    DateTime? DataAsOf)
{
    public static string TotalLabel(string language) => language switch { "de" => "Gesamt", "zh" => "合计", _ => "Total" };

    public static string NoneLabel(string language) => language switch { "de" => "(keine)", "zh" => "（无）", _ => "(none)" };

    /// <summary>
    /// The pivoted layout for Excel/CSV: one header band per column dimension level above the measure headers, the
    /// row-header columns first, a block of measure columns per column member, then the row-total columns; the data rows
    /// in screen order and a grand-total row.
    /// </summary>
    public ExportTable ToExportTable(string language, IReadOnlyList<ExportFilter> filters)
    {
        var total = TotalLabel(language);
        var columns = new List<ExportColumn>();
        columns.AddRange(RowAxes.Select(a => new ExportColumn(a.Title, a.IsMonth ? ColumnFormat.Month : ColumnFormat.Text)));
        var blocks = ColumnAxes.Count == 0 ? 0 : Columns.Count;
        for (var c = 0; c < blocks; c++)
        {
            columns.AddRange(Measures.Select(m => new ExportColumn(m.Title, ToFormat(m.Format))));
        }
        columns.AddRange(Measures.Select(m => new ExportColumn(ColumnAxes.Count == 0 ? m.Title : $"{m.Title} ({total})", ToFormat(m.Format))));

        var bands = new List<IReadOnlyList<string>>();
        for (var band = 0; band < ColumnAxes.Count; band++)
        {
            var cells = new List<string>();
            cells.AddRange(RowAxes.Select((_, i) => i == 0 ? ColumnAxes[band].Title : ""));
            for (var c = 0; c < blocks; c++)
            {
                cells.AddRange(Measures.Select(_ => Columns[c].Labels[band]));
            }
            cells.AddRange(Measures.Select(_ => total));
            bands.Add(cells);
        }

        var rows = new List<ExportRow>();
        for (var r = 0; r < Rows.Count; r++)
        {
            var cells = new List<object?>();
            cells.AddRange(Rows[r].Labels.Select((label, i) => RowAxes[i].IsMonth ? ExportCells.MonthCell(label) : label));
            for (var c = 0; c < blocks; c++)
            {
                cells.AddRange(Cells[r][c].Cast<object?>());
            }
            cells.AddRange(RowTotals[r].Cast<object?>());
            rows.Add(new ExportRow(cells.ToArray()));
        }
        if (RowAxes.Count > 0)
        {
            var totalCells = new List<object?>();
            totalCells.AddRange(RowAxes.Select((_, i) => i == 0 ? total : ""));
            for (var c = 0; c < blocks; c++)
            {
                totalCells.AddRange(ColumnTotals[c].Cast<object?>());
            }
            totalCells.AddRange(GrandTotals.Cast<object?>());
            rows.Add(new ExportRow(totalCells.ToArray(), ExportRowKind.Total));
        }
        else
        {
            // no row dimension: the one row is the grand total of each column
            var cells = new List<object?>();
            for (var c = 0; c < blocks; c++)
            {
                cells.AddRange(ColumnTotals[c].Cast<object?>());
            }
            cells.AddRange(GrandTotals.Cast<object?>());
            rows.Add(new ExportRow(cells.ToArray(), ExportRowKind.Total));
        }
        return new ExportTable(Title, filters, DataAsOf, columns, rows, rows.Count, bands.Count == 0 ? null : bands, language);
    }

    private static ColumnFormat ToFormat(MeasureFormat format) => format switch
    {
        MeasureFormat.Percent => ColumnFormat.Percent,
        MeasureFormat.Money => ColumnFormat.Money,
        MeasureFormat.Decimal => ColumnFormat.Decimal,
        _ => ColumnFormat.Integer,
    };
}
