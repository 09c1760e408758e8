using System.Globalization;
using RetentionAnalytics.Core.Exports;
using RetentionAnalytics.Core.Reports;

namespace RetentionAnalytics.Portal.Features.Reports;

/// <summary>
/// Report cells as the screen shows them, in the reader's culture ("1,88 %", "31.10.2026", "Oktober 2026"); a missing
/// number is "–".
/// </summary>
public static class ReportCells
{
    public static string Text(object? value, ColumnFormat format, CultureInfo culture, bool month = false) => value switch
    {
        null => format == ColumnFormat.Text ? "" : "–",
        string s when month && ReportMonth.TryParse(s, out var m) => m.ToString("Y", culture),
        DateOnly d => d.ToString("d", culture),
        DateTime t => format == ColumnFormat.Timestamp ? t.ToString("g", culture) : t.ToString("d", culture),
        string s => s,
        _ => format switch
        {
            ColumnFormat.Integer => Convert.ToInt64(value, CultureInfo.InvariantCulture).ToString("N0", culture),
            ColumnFormat.Percent => Convert.ToDouble(value, CultureInfo.InvariantCulture).ToString("P2", culture),
            ColumnFormat.Decimal or ColumnFormat.Money => Convert.ToDouble(value, CultureInfo.InvariantCulture).ToString("N2", culture),
            _ => Convert.ToString(value, culture) ?? "",
        },
    };
}
