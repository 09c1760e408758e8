using RetentionAnalytics.Core.Customers;
using RetentionAnalytics.Core.Exports;

namespace RetentionAnalytics.Core.Reports;

/// <summary>A column of a result: its definition and its header in the viewer's language.</summary>
public sealed record ResultColumn(ReportColumn Definition, string Header, int Index)
{
    public string Name => Definition.Name;
    public ColumnFormat Format => Definition.Format;
    public bool Hidden => Definition.Hidden;
}

/// <summary>
/// A report as the page shows it: every column (hidden ones too, they hold drill keys and ratio parts), the rows in
/// screen order with their subtotal and total rows, the filters used and the data-as-of stamp.
/// </summary>
public sealed record ReportResult(
    ReportDefinition Definition,
    string Title,
    IReadOnlyList<ResultColumn> Columns,
    IReadOnlyList<ExportRow> Rows,
    IReadOnlyList<ExportFilter> Filters,
    DateTime? DataAsOf,
    IReadOnlyDictionary<string, object?> Parameters,
    string Language,
    NameBook Names)
{
    public IReadOnlyList<ResultColumn> Visible => Columns.Where(c => !c.Hidden).ToList();

    public ResultColumn Column(string name) => Columns.Single(c => c.Name == name);

    /// <summary>
    /// A cell as a reader sees it: a code of a named column as its name in the result's language (the row keeps the
    /// code for sorting and drill-through), any other cell as it is.
    /// </summary>
    public object? Shown(ExportRow row, ResultColumn column) => Shown(row.Cells[column.Index], column.Definition, Names);

    internal static object? Shown(object? cell, ReportColumn column, NameBook names) => cell switch
    {
        string code when column.Names is { } dimension => names.Name(dimension, code),
        string code when column.Labels is { } labels && labels.TryGetValue(code, out var label) => label.In(names.Language),
        _ => cell,
    };

    /// <summary>
    /// What an export writes: the visible columns of the same rows, in the same order, codes named; a month column's
    /// yyyy-MM as a date on the month's first day, so a spreadsheet sorts and filters it as a date.
    /// </summary>
    public ExportTable ToExportTable()
    {
        var visible = Visible;
        return new ExportTable(
            Title, Filters, DataAsOf,
            visible.Select(c => new ExportColumn(c.Header, IsMonth(c) ? ColumnFormat.Month : c.Format)).ToList(),
            Rows.Select(r => new ExportRow(visible.Select(c => IsMonth(c) ? ExportCells.MonthCell(Shown(r, c)) : Shown(r, c)).ToArray(), r.Kind)).ToList(),
            Rows.Count,
            Language: Language);
    }

    private static bool IsMonth(ResultColumn column) => column.Definition.Period == "month";

}

/// <summary>The subscribers behind an aggregate cell, identifiers masked unless the viewer works with customers.</summary>
public sealed record DrillResult(string Title, IReadOnlyList<ExportColumn> Columns, IReadOnlyList<string> Names,
    IReadOnlyList<object?[]> Rows, long RowCount, IReadOnlyList<ExportFilter> Filters, DateTime? DataAsOf, string Language);

public sealed record CityChoice(string CityCode, string Name);
