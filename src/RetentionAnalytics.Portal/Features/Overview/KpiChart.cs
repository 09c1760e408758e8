using System.Globalization;
using RetentionAnalytics.Core.Exports;
using RetentionAnalytics.Core.Reports;
using RetentionAnalytics.Portal.Features.Shared.Charts;

namespace RetentionAnalytics.Portal.Features.Overview;

/// <summary>
/// The overview's trend: retention and churn rate over the months, a line per city of the scope and one for the scope
/// as a whole (the province row, or the cities added up); each rate on its own panel and scale.
/// </summary>
public static class KpiChart
{
    public const string ScopeSeries = ChartMember.TotalKey;

    public static ChartData Trend(IReadOnlyList<KpiRow> rows, IReadOnlyList<KpiTotals> totals, string language,
        string retentionTitle, string churnTitle, CultureInfo culture)
    {
        var months = totals.Select(t => new ChartMember(t.YearMonth, MonthLabel(t.YearMonth, culture))).ToList();
        var cities = rows.Where(r => !r.IsProvinceTotal).GroupBy(r => r.CityCode).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new ChartMember(g.Key, CityName(g.First(), language))).ToList();
        var series = cities.Count > 1 ? [new ChartMember(ScopeSeries, TotalLabels.AllCities(language)), .. cities] : cities;
        var byKey = rows.Where(r => !r.IsProvinceTotal).ToDictionary(r => (r.CityCode, r.YearMonth));
        var byMonth = totals.ToDictionary(t => t.YearMonth);

        return new ChartData(months, series,
            [new("retention_rate", retentionTitle, ColumnFormat.Percent), new("churn_rate", churnTitle, ColumnFormat.Percent)],
            (m, s, c) =>
            {
                var month = months[c].Key;
                if (series[s].Key == ScopeSeries)
                {
                    var total = byMonth[month];
                    return m == 0 ? total.RetentionRate : total.ChurnRate;
                }
                return byKey.TryGetValue((series[s].Key, month), out var row) ? (m == 0 ? row.RetentionRate : row.ChurnRate) : null;
            },
            categoriesAreTime: true);
    }

    public static string CityName(KpiRow row, string language) =>
        (language == "zh" ? row.CityNameZh ?? row.CityName : row.CityName) ?? row.CityCode;

    /// <summary>A yyyy-MM month in the reader's words ("Oktober 2026", "2026年10月").</summary>
    public static string MonthLabel(string yearMonth, CultureInfo culture) =>
        ReportMonth.TryParse(yearMonth, out var month)
            ? month.ToString("Y", culture) : yearMonth;
}
