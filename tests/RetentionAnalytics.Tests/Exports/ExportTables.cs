using System.Globalization;
using RetentionAnalytics.Core.Exports;
using RetentionAnalytics.Tests.Support;

namespace RetentionAnalytics.Tests.Exports;

/// <summary>Export tables built from real DuckDB rows, and what a spreadsheet should show for each cell.</summary>
public static class ExportTables
{
    public static readonly ExportColumn[] Columns =
    [
        new("城市 / label"), new("Subscribers", ColumnFormat.Integer), new("Revenue", ColumnFormat.Money),
        new("Churn rate", ColumnFormat.Percent), new("Change", ColumnFormat.Decimal), new("Month end", ColumnFormat.Date),
        new("Loaded at", ColumnFormat.Timestamp), new("Subscriber id"),
    ];

    public static readonly DateTime AsOf = new(2026, 10, 31, 6, 0, 0);

    /// <summary>
    /// <paramref name="count"/> data rows from a DuckDB query (Chinese text, formula-like text, leading-zero ids,
    /// negative numbers, a missing value), then a subtotal and a total row computed from them.
    /// </summary>
    public static List<ExportRow> Rows(TestWarehouse warehouse, int count)
    {
        using var c = warehouse.Db.Connect();
        using var cmd = c.CreateCommand();
        cmd.CommandText = $"""
            select case i % 5 when 0 then '杭州 Hangzhou' when 1 then '=1+1' when 2 then '-5 left' when 3 then '@SUM(A1)'
                              else '宁波 ' || i end as label,
                   i * 1000 + 7 as subscribers,
                   i * 1234.5 as revenue,
                   (i % 7) / 8.0 as churn_rate,
                   case when i % 9 = 0 then null else -i * 1.25 end as change,
                   date '2026-01-31' + cast(i as integer) as month_end,
                   timestamp '2026-10-31 08:15:00' + to_minutes(cast(i as bigint)) as loaded_at,
                   lpad(cast(i as varchar), 8, '0') as subscriber_id
            from range(1, {count + 1}) t(i)
            order by i
            """;
        var rows = new List<ExportRow>();
        using var reader = cmd.ExecuteReader();
        while (reader.Read())
        {
            var cells = new object?[reader.FieldCount];
            for (var f = 0; f < reader.FieldCount; f++)
            {
                cells[f] = reader.IsDBNull(f) ? null : reader.GetValue(f);
            }
            rows.Add(new ExportRow(cells));
        }
        var subscribers = rows.Sum(r => Convert.ToDouble(r.Cells[1], CultureInfo.InvariantCulture));
        var revenue = rows.Sum(r => Convert.ToDouble(r.Cells[2], CultureInfo.InvariantCulture));
        rows.Add(new ExportRow(["Subtotal", subscribers, revenue, null, null, null, null, null], ExportRowKind.Subtotal));
        rows.Add(new ExportRow(["Total 合计", subscribers, revenue, 0.1, null, null, null, null], ExportRowKind.Total));
        return rows;
    }

    public static ExportTable Table(IEnumerable<ExportRow> rows, long? rowCount) => new(
        "Retention KPI 保有率",
        [new ExportFilter("City", "杭州 Hangzhou"), new ExportFilter("Period", "2026-10")],
        AsOf, Columns, rows, rowCount,
        [["Region", "", "Money", "", "", "", "", ""]]);

    /// <summary>What a spreadsheet shows for a cell in a column of that format (en-US), computed independently.</summary>
    public static string Shown(object? value, ColumnFormat format)
    {
        var inv = CultureInfo.InvariantCulture;
        return value switch
        {
            null => "",
            string s => s,
            DateOnly d => d.ToString("yyyy-MM-dd", inv),
            DateTime t when format == ColumnFormat.Date => t.ToString("yyyy-MM-dd", inv),
            DateTime t => t.ToString("yyyy-MM-dd HH:mm:ss", inv),
            _ => format switch
            {
                ColumnFormat.Integer => Convert.ToDouble(value, inv).ToString("#,##0", inv),
                ColumnFormat.Decimal or ColumnFormat.Money => Convert.ToDouble(value, inv).ToString("#,##0.00", inv),
                ColumnFormat.Percent => (Convert.ToDouble(value, inv) * 100).ToString("0.00", inv) + "%",
                _ => Convert.ToString(value, inv)!,
            },
        };
    }

    /// <summary>A read-back row padded or cut to the table's width (LibreOffice pads every row to the used range).</summary>
    public static string[] Width(string[] row, int width) =>
        Enumerable.Range(0, width).Select(i => i < row.Length ? row[i] : "").ToArray();
}
