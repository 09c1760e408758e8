using Dapper;
using RetentionAnalytics.Core.Access;
using RetentionAnalytics.Core.Warehouse;
using RetentionAnalytics.Portal.Features.Warehouse;

namespace RetentionAnalytics.Portal.Features.Overview;

/// <summary>One row of mart.mart_retention_kpi_city_month (docs/warehouse.md, KPIs).</summary>
public sealed class KpiRow
{
    public string YearMonth { get; init; } = "";
    public string CityCode { get; init; } = "";
    public string? CityName { get; init; }
    public string? CityNameZh { get; init; }
    public bool IsProvinceTotal { get; init; }
    public long Subscribers { get; init; }
    public long ActiveSubscribers { get; init; }
    public long? ActivePreviousMonth { get; init; }
    public long Churned { get; init; }
    public double? ChurnRate { get; init; }
    public long NewActivations { get; init; }
    public long NetAdds { get; init; }
    public long? BaseSize { get; init; }
    public long? BaseRetained { get; init; }
    public double? RetentionRate { get; init; }
    public double Revenue { get; init; }
    public double? Arpu { get; init; }
}

/// <summary>The KPIs of one month over the whole scope: the province row, or the scope's cities added up.</summary>
public sealed record KpiTotals(
    string YearMonth, long Subscribers, long ActiveSubscribers, long Churned, double? ChurnRate, long NetAdds,
    double? RetentionRate, double? Arpu);

/// <summary>The KPI overview's reads; every one takes the user's region scope.</summary>
public sealed class OverviewQueries(Db db, WarehouseCatalog catalog)
{
    /// <summary>False until the first load has built the mart.</summary>
    public bool MartExists() => catalog.HasColumns("mart", "mart_retention_kpi_city_month", "city_code", "year_month");

    public IReadOnlyList<KpiRow> Kpis(RegionScope scope)
    {
        if (scope.IsEmpty || !MartExists())
        {
            return [];
        }
        using var c = db.Connect();
        return c.Query<KpiRow>(db.Sql.Get("overview/kpi_city_month.sql"), scope.AddTo(new DynamicParameters())).ToList();
    }

    /// <summary>
    /// Per month over the scope: the province total row where the scope has it, otherwise the sum of the cities,
    /// with the rates recomputed from the summed counts (an average of city rates would weigh small cities too much).
    /// </summary>
    public static IReadOnlyList<KpiTotals> Totals(IEnumerable<KpiRow> rows) =>
        rows.GroupBy(r => r.YearMonth)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(month =>
            {
                if (month.FirstOrDefault(r => r.IsProvinceTotal) is { } all)
                {
                    return new KpiTotals(all.YearMonth, all.Subscribers, all.ActiveSubscribers, all.Churned, all.ChurnRate,
                        all.NetAdds, all.RetentionRate, all.Arpu);
                }
                var cities = month.ToList();
                long? previous = cities.All(r => r.ActivePreviousMonth is not null) ? cities.Sum(r => r.ActivePreviousMonth!.Value) : null;
                long? baseSize = cities.Any(r => r.BaseSize is not null) ? cities.Sum(r => r.BaseSize ?? 0) : null;
                long? retained = cities.Any(r => r.BaseRetained is not null) ? cities.Sum(r => r.BaseRetained ?? 0) : null;
                var active = cities.Sum(r => r.ActiveSubscribers);
                var churned = cities.Sum(r => r.Churned);
                return new KpiTotals(month.Key, cities.Sum(r => r.Subscribers), active, churned,
                    previous is > 0 ? (double)churned / previous.Value : null,
                    cities.Sum(r => r.NetAdds),
                    baseSize is > 0 && retained is not null ? (double)retained.Value / baseSize.Value : null,
                    active > 0 ? Math.Round(cities.Sum(r => r.Revenue) / active, 2) : null);
            })
            .ToList();
}
