using RetentionAnalytics.Core.Exports;
using RetentionAnalytics.Core.Reports;

namespace RetentionAnalytics.Portal.Features.Shared.Charts;

/// <summary>A count per city (subscribers a rule or threshold would flag), the cities by name in the reader's language.</summary>
public static class CityCounts
{
    public static ChartData Chart(IReadOnlyList<(string CityCode, long Count)> counts, NameBook names, string title) =>
        new(counts.Select(c => new ChartMember(c.CityCode, names.Name("city", c.CityCode))).ToList(), [],
            [new ChartMeasure("count", title, ColumnFormat.Integer)], (_, _, c) => counts[c].Count, kind: ChartKind.Column);
}
