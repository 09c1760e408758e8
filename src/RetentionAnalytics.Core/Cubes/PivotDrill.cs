namespace RetentionAnalytics.Core.Cubes;

/// <summary>
/// Drilling a hierarchy on the pivot: clicking a member (city 571) moves its axis one level down (districts) and keeps
/// only that member's children; drilling up moves back one level and drops the filter the drill-down added.
/// </summary>
public static class PivotDrill
{
    public static PivotRequest Down(CubeDefinition cube, PivotRequest request, bool onRows, int axis, string memberKey)
    {
        var axes = (onRows ? request.Rows : request.Columns).ToList();
        var current = axes[axis];
        var dimension = cube.Dimension(current.Dimension);
        var below = dimension.Below(current.Level) ?? throw new CubeRequestException(CubeRefusal.LowestLevel, $"{dimension.Id} is at its lowest level");
        axes[axis] = current with { Level = below.Id };
        var filters = request.FilterList.Where(f => !(f.Dimension == current.Dimension && f.Level == current.Level)).ToList();
        filters.Add(new MemberFilter(current.Dimension, current.Level, [memberKey]));
        var top = request.Top is { } t && onRows && t.RowAxis == axis ? null : request.Top;
        return onRows
            ? request with { Rows = axes, Filters = filters, Top = top }
            : request with { Columns = axes, Filters = filters };
    }

    public static PivotRequest Up(CubeDefinition cube, PivotRequest request, bool onRows, int axis)
    {
        var axes = (onRows ? request.Rows : request.Columns).ToList();
        var current = axes[axis];
        var dimension = cube.Dimension(current.Dimension);
        var above = dimension.Above(current.Level) ?? throw new CubeRequestException(CubeRefusal.TopLevel, $"{dimension.Id} is at its top level");
        axes[axis] = current with { Level = above.Id };
        var filters = request.FilterList.Where(f => !(f.Dimension == current.Dimension && f.Level == above.Id)).ToList();
        return onRows ? request with { Rows = axes, Filters = filters } : request with { Columns = axes, Filters = filters };
    }
}
