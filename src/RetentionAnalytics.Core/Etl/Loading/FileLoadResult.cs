namespace RetentionAnalytics.Core.Etl.Loading;

/// <summary>How one delivered file ended. Rows read = rows loaded + rows rejected, always.</summary>
public sealed record FileLoadResult(
    long LoadId, string Extract, string FileName, DateOnly? BusinessDate, string Status,
    long RowsRead, long RowsLoaded, long RowsRejected, string? Message, TimeSpan Duration);

public sealed record LoadProgress(string FileName, int FileIndex, int FileCount, string Stage);
