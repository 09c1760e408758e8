using RetentionAnalytics.Core.Exports;

namespace RetentionAnalytics.Portal.Features.Shared.Charts;

/// <summary>How a chart draws its points; <see cref="Auto"/> lets <see cref="ChartLayout"/> choose from the data.</summary>
public enum ChartKind { Auto, Line, Column, Bar }

/// <summary>A member of an axis: its key (unique on the axis) and the name a reader sees.</summary>
public sealed record ChartMember(string Key, string Label)
{
    /// <summary>The key of a series that stands for the whole scope beside its members (all cities beside each city).</summary>
    public const string TotalKey = "*";
}

/// <summary>A measure as a chart plots it; the format picks the axis (percentages on their own axis) and the tooltip.</summary>
public sealed record ChartMeasure(string Id, string Title, ColumnFormat Format);

/// <summary>
/// What a chart shows, before deciding how: the categories (x) in order, the members of an optional second dimension
/// (one series each: a city, a channel), the measures, and at most one value per measure, series and category. Every
/// category and series member is unique by construction, so a series never gets two points for one category.
/// </summary>
public sealed class ChartData
{
    private readonly double?[][][] _values;

    /// <param name="value">The value of (measure, series, category) by index; series is 0 when there is no second dimension.</param>
    /// <exception cref="ArgumentException">A category or series key repeats: the caller must aggregate first.</exception>
    public ChartData(
        IReadOnlyList<ChartMember> categories,
        IReadOnlyList<ChartMember> series,
        IReadOnlyList<ChartMeasure> measures,
        Func<int, int, int, double?> value,
        bool categoriesAreTime = false,
        ChartKind kind = ChartKind.Auto,
        string? categoryTitle = null)
    {
        Categories = Unique(categories, "category");
        Series = Unique(series, "series member");
        Measures = measures;
        CategoriesAreTime = categoriesAreTime;
        Kind = kind;
        CategoryTitle = categoryTitle;
        var seriesCount = Math.Max(1, Series.Count);
        _values = measures.Select((_, m) => Enumerable.Range(0, seriesCount)
            .Select(s => Enumerable.Range(0, Categories.Count).Select(c => Finite(value(m, s, c))).ToArray()).ToArray()).ToArray();
    }

    public IReadOnlyList<ChartMember> Categories { get; }

    /// <summary>Empty: one series per measure.</summary>
    public IReadOnlyList<ChartMember> Series { get; }

    public IReadOnlyList<ChartMeasure> Measures { get; }

    /// <summary>Months or dates in time order: drawn as lines.</summary>
    public bool CategoriesAreTime { get; }

    public ChartKind Kind { get; }

    /// <summary>What the categories are (the x column's header), shown under the category axis.</summary>
    public string? CategoryTitle { get; }

    public double? Value(int measure, int series, int category) => _values[measure][series][category];

    public bool IsEmpty => Categories.Count == 0 || Measures.Count == 0
        || _values.All(m => m.All(s => s.All(v => v is null)));

    /// <summary>A single category's series as categories (one month of lines per city becomes a column per city).</summary>
    public ChartData SeriesAsCategories(ChartKind kind) =>
        Categories.Count == 1 ? new(Series, [], Measures, (m, _, c) => Value(m, c, 0), false, kind, null) : this;

    private static double? Finite(double? v) => v is double d && (double.IsNaN(d) || double.IsInfinity(d)) ? null : v;

    /// <summary>Keys must not repeat; two members with one name (two districts called Xihu) are told apart by their keys.</summary>
    private static List<ChartMember> Unique(IReadOnlyList<ChartMember> members, string what)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var m in members)
        {
            if (!keys.Add(m.Key))
            {
                throw new ArgumentException($"chart {what} '{m.Key}' appears twice: aggregate the rows first");
            }
        }
        var repeated = members.GroupBy(m => m.Label, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet(StringComparer.Ordinal);
        return members.Select(m => repeated.Contains(m.Label) ? m with { Label = $"{m.Label} ({m.Key})" } : m).ToList();
    }
}
