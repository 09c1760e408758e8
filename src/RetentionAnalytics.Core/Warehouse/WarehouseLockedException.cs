namespace RetentionAnalytics.Core.Warehouse;

/// <summary>Another process (normally the portal) holds the warehouse file; DuckDB allows one writer per file.</summary>
public sealed class WarehouseLockedException(string path, Exception inner)
    : Exception($"The warehouse {path} is in use by another process (is the portal running?). " +
                "Stop it or use the portal's operations page; nothing was changed.", inner);
