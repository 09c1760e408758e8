namespace RetentionAnalytics.Core.Transforms;

/// <summary>
/// What changed in one input as one reader sees it: nothing, everything, some months, or some keys (in the reader's key
/// columns, held in a temporary table). A staging input changes by business dates: the deliveries since the last build.
/// </summary>
internal sealed record InputChange
{
    public static InputChange None { get; } = new();

    /// <summary>The input was rebuilt without a record of its old rows (first build, or a full rebuild of a large model).</summary>
    public static InputChange Everything { get; } = new() { Any = true, All = true };

    public bool Any { get; init; }
    public bool All { get; init; }

    /// <summary>Month starts of the changed rows, when the input knows the month of a row.</summary>
    public IReadOnlySet<DateOnly>? Months { get; init; }

    /// <summary>Temporary table with the changed rows' values of the reader's key columns (and, for diffs, _change).</summary>
    public string? Rows { get; init; }

    /// <summary>Staging only: the business dates delivered since the last build.</summary>
    public IReadOnlyList<DateOnly>? BusinessDates { get; init; }

    public string Describe(string relation)
    {
        if (BusinessDates is { Count: > 0 } dates)
        {
            return $"{relation} {Summary.Dates(dates)}";
        }
        if (Months is { Count: > 0 } months)
        {
            return $"{relation} {Summary.Months(months)}";
        }
        return relation;
    }
}

internal static class Summary
{
    public static string Dates(IReadOnlyCollection<DateOnly> dates) => List(dates.Order().Select(d => d.ToString("yyyy-MM-dd")), dates.Count);

    public static string Months(IReadOnlyCollection<DateOnly> months) => List(months.Order().Select(d => d.ToString("yyyy-MM")), months.Count);

    private static string List(IEnumerable<string> values, int count)
    {
        var shown = values.Take(3).ToList();
        return count <= 3 ? string.Join(", ", shown) : $"{string.Join(", ", shown)} … (+{count - 3})";
    }
}
