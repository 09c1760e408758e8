using System.Globalization;
using RetentionAnalytics.Core.Exports;

namespace RetentionAnalytics.Portal.Features.Shared.Charts;

/// <summary>A point as Radzen reads it: the category's label, the value (null: no point) and the value as a reader reads it.</summary>
public sealed record ChartPoint(string Category, double? Value, string Text);

/// <summary>One series of a panel: a measure, or a member of the second dimension (a city).</summary>
public sealed record PanelSeries(string Key, string Title, IReadOnlyList<ChartPoint> Points);

/// <summary>
/// One chart on the screen: the series that share a value axis (one unit, one scale), drawn as lines, columns or
/// horizontal bars, with axis numbers in the reader's culture.
/// </summary>
public sealed record ChartPanel(
    string Key,
    string? Title,
    ChartKind Kind,
    ColumnFormat Format,
    IReadOnlyList<string> Categories,
    IReadOnlyList<PanelSeries> Series,
    string? CategoryTitle,
    int OmittedSeries,
    CultureInfo Culture)
{
    /// <summary>Bars grow with their categories so that every label has its line; lines and columns keep one height.</summary>
    public int Height => Kind == ChartKind.Bar
        ? Math.Clamp(60 + Categories.Count * (10 + 12 * Math.Max(1, Series.Count)), 180, 3000)
        : 300;

    /// <summary>Many bars take the whole width; other panels sit side by side.</summary>
    public bool Wide => Kind == ChartKind.Bar && Categories.Count > ChartLayout.ManyCategories;

    public bool ShowLegend => Series.Count > 1;

    /// <summary>
    /// Axis numbers in the reader's culture ("1,5 %" in German): percentages with one decimal, counts whole, or as many
    /// more decimals as the spread of the values needs, so that ticks a fifth of it apart never read alike (rates of
    /// 2.12 % to 2.14 % get "2.12 %", "2.13 %", not "2.1 %" four times).
    /// </summary>
    public string Axis(object value)
    {
        var v = Convert.ToDouble(value, CultureInfo.InvariantCulture);
        return Format switch
        {
            ColumnFormat.Percent => v.ToString("P" + Math.Max(1, AxisDecimals), Culture),
            _ => v.ToString("N" + (AxisDecimals > 0 ? AxisDecimals : Math.Abs(v) >= 10 || v == Math.Round(v) ? 0 : 1), Culture),
        };
    }

    /// <summary>The decimals a tick needs: a fifth of the values' spread (from zero for columns and bars, which start there), at most 4.</summary>
    private int AxisDecimals => _axisDecimals ??= Decimals();

    private int? _axisDecimals;

    private int Decimals()
    {
        var values = Series.SelectMany(s => s.Points).Select(p => p.Value).OfType<double>().ToList();
        if (values.Count == 0)
        {
            return 0;
        }
        var scale = Format == ColumnFormat.Percent ? 100 : 1;
        var low = Kind == ChartKind.Line ? values.Min() : Math.Min(0, values.Min());
        var high = Kind == ChartKind.Line ? values.Max() : Math.Max(0, values.Max());
        var step = (high - low) * scale / 5;
        return step <= 0 ? 0 : Math.Clamp((int)Math.Ceiling(-Math.Log10(step)), 0, 4);
    }
}

/// <summary>
/// Decides how <see cref="ChartData"/> is drawn, the way a reader expects it: lines over time with one series per city
/// (or per member of the second dimension), columns for a few categories, horizontal bars for many or long ones; one
/// panel per measure when there is a second dimension, otherwise the measures of one unit and scale share a panel, so
/// that a churn rate of 2 % never lies flat beside a retention rate of 97 %.
/// </summary>
public static class ChartLayout
{
    /// <summary>Above this many categories, or labels this long, columns turn into horizontal bars.</summary>
    public const int ManyCategories = 12;

    public const int LongLabel = 18;

    /// <summary>More series than this are unreadable in one chart (colours repeat): the rest are left out and counted.</summary>
    public const int MaxSeries = 12;

    /// <summary>Measures whose largest values differ by more than this factor get separate panels.</summary>
    public const double ScaleFactor = 8;

    public static IReadOnlyList<ChartPanel> Plan(ChartData data, CultureInfo culture)
    {
        if (data.IsEmpty)
        {
            return [];
        }
        var kind = KindOf(data);
        if (data.CategoriesAreTime && data.Categories.Count == 1 && data.Series.Count > 0)
        {
            // one month of lines is a row of dots: compare the series members side by side instead
            data = data.SeriesAsCategories(ChartKind.Auto);
            kind = KindOf(data);
        }
        var categories = data.Categories.Select(c => c.Label).ToList();

        if (data.Series.Count > 0)
        {
            var shown = Math.Min(data.Series.Count, MaxSeries);
            return data.Measures.Select((measure, m) => new ChartPanel(
                measure.Id, measure.Title, kind, measure.Format, categories,
                data.Series.Take(shown).Select((member, s) => new PanelSeries(member.Key, member.Label, Points(data, m, s, culture))).ToList(),
                data.CategoryTitle, data.Series.Count - shown, culture)).ToList();
        }

        return Groups(data).Select(group => new ChartPanel(
            string.Join("+", group.Select(m => data.Measures[m].Id)),
            group.Count == 1 ? data.Measures[group[0]].Title : null,
            kind, data.Measures[group[0]].Format, categories,
            group.Select(m => new PanelSeries(data.Measures[m].Id, data.Measures[m].Title, Points(data, m, 0, culture))).ToList(),
            data.CategoryTitle, 0, culture)).ToList();
    }

    private static ChartKind KindOf(ChartData data)
    {
        var many = data.Categories.Count > ManyCategories || data.Categories.Any(c => c.Label.Length > LongLabel);
        return data.Kind switch
        {
            ChartKind.Line when data.Categories.Count < 2 => ChartKind.Column,
            ChartKind.Column when many => ChartKind.Bar,
            ChartKind.Auto when data.CategoriesAreTime && data.Categories.Count > 1 => ChartKind.Line,
            ChartKind.Auto => many ? ChartKind.Bar : ChartKind.Column,
            var chosen => chosen,
        };
    }

    /// <summary>Measures grouped by unit (percent, money, counts), then by scale within the unit, largest first.</summary>
    private static List<List<int>> Groups(ChartData data)
    {
        var groups = new List<List<int>>();
        var ordered = Enumerable.Range(0, data.Measures.Count)
            .Select(m => (Index: m, Unit: Unit(data.Measures[m].Format), Max: MaxAbs(data, m)))
            .ToList();
        foreach (var unit in ordered.Select(o => o.Unit).Distinct().ToList())
        {
            List<int>? current = null;
            double top = 0;
            foreach (var (index, _, max) in ordered.Where(o => o.Unit == unit).OrderByDescending(o => o.Max))
            {
                // a measure of zeros fits any scale
                if (current is null || max > 0 && max * ScaleFactor < top)
                {
                    current = [];
                    groups.Add(current);
                    top = max;
                }
                current.Add(index);
            }
        }
        // within a panel the measures keep the order the definition gave them
        foreach (var group in groups)
        {
            group.Sort();
        }
        return groups.OrderBy(g => g[0]).ToList();
    }

    private static int Unit(ColumnFormat format) => format switch
    {
        ColumnFormat.Percent => 1,
        ColumnFormat.Money => 2,
        _ => 0,
    };

    private static double MaxAbs(ChartData data, int measure)
    {
        var max = 0.0;
        for (var s = 0; s < Math.Max(1, data.Series.Count); s++)
        {
            for (var c = 0; c < data.Categories.Count; c++)
            {
                if (data.Value(measure, s, c) is double v)
                {
                    max = Math.Max(max, Math.Abs(v));
                }
            }
        }
        return max;
    }

    private static List<ChartPoint> Points(ChartData data, int measure, int series, CultureInfo culture) =>
        data.Categories.Select((category, c) =>
        {
            var value = data.Value(measure, series, c);
            return new ChartPoint(category.Label, value, Text(value, data.Measures[measure].Format, culture));
        }).ToList();

    /// <summary>A value as the report tables show it.</summary>
    public static string Text(double? value, ColumnFormat format, CultureInfo culture) => value is not double v ? "–" : format switch
    {
        ColumnFormat.Percent => v.ToString("P2", culture),
        ColumnFormat.Integer => v.ToString("N0", culture),
        _ => v.ToString("N2", culture),
    };
}
