namespace RetentionAnalytics.Core.Etl.Loading;

/// <summary>How one delivered file ended. Rows read = rows loaded + rows rejected, always.</summary>
public sealed record FileLoadResult(
    long LoadId, string Extract, string FileName, DateOnly? BusinessDate, string Status,
    long RowsRead, long RowsLoaded, long RowsRejected, string? Message, TimeSpan Duration)
{
    /// <summary>Staged through DuckDB's typed read in one pass (a clean file), not through the text path.</summary>
    public bool Typed { get; init; }
}

public sealed record LoadProgress(string FileName, int FileIndex, int FileCount, string Stage);
