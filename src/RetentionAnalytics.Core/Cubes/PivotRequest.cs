using RetentionAnalytics.Core.Refusals;

namespace RetentionAnalytics.Core.Cubes;

/// <summary>Why a pivot request or a saved view is refused (texts: CubeRefusal_* in the portal's refusal resources).</summary>
public enum CubeRefusal
{
    WrongCube, TooManyAxes, DimensionTwice, NoMeasure, TooManyFilterMembers, TopNOnRows, TopNCount, NoDimension,
    NoMeasureNamed, NoLevel, LowestLevel, TopLevel, SortMeasure, ViewNameTaken, ViewName, EmptyView,
}

/// <summary>A pivot request the cube cannot answer; an <see cref="ArgumentException"/> to callers that check requests.</summary>
public sealed class CubeRequestException(CubeRefusal code, string message, params object[] args) : ArgumentException(message), IRefusal
{
    public Enum Code { get; } = code;

    public IReadOnlyList<object> Args { get; } = args;
}

/// <summary>One dimension on an axis, at one level of its hierarchy (region at city, time at month).</summary>
public sealed record AxisLevel(string Dimension, string Level);

/// <summary>Keep only these members of a dimension level (keys, e.g. city codes "571", months "2026-03").</summary>
public sealed record MemberFilter(string Dimension, string Level, IReadOnlyList<string> Members);

/// <summary>Keep the <see cref="Count"/> members of row axis <see cref="RowAxis"/> with the largest <see cref="Measure"/>.</summary>
public sealed record TopN(int RowAxis, int Count, string Measure);

/// <summary>Row order: by the members' own order (null measure), or by a measure's row total.</summary>
public sealed record PivotSort(string? Measure, bool Descending);

/// <summary>
/// What a user asks of a cube: the state of the pivot screen, and what a saved view stores as JSON. Nothing here
/// reaches SQL as text: names are looked up in the cube definition, member values are bound parameters.
/// </summary>
public sealed record PivotRequest(
    string Cube,
    IReadOnlyList<AxisLevel> Rows,
    IReadOnlyList<AxisLevel> Columns,
    IReadOnlyList<string> Measures,
    IReadOnlyList<MemberFilter>? Filters = null,
    TopN? Top = null,
    PivotSort? Sort = null)
{
    public IReadOnlyList<MemberFilter> FilterList => Filters ?? [];

    /// <summary>
    /// False when JSON left out a part the request cannot do without (a cube, the axes, the measures) or put a null in
    /// a list: such a request comes from a damaged link or a hand-written body, never from the screen.
    /// </summary>
    public bool IsComplete =>
        !string.IsNullOrEmpty(Cube)
        && Rows is not null && Rows.All(Complete)
        && Columns is not null && Columns.All(Complete)
        && Measures is not null && Measures.All(m => m is not null)
        && FilterList.All(f => f is { Dimension: not null, Level: not null, Members: not null } && f.Members.All(m => m is not null))
        && Top is null or { Measure: not null };

    private static bool Complete(AxisLevel? axis) => axis is { Dimension: not null, Level: not null };
}
