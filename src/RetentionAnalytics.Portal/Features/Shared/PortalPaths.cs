using RetentionAnalytics.Core.Warehouse;

namespace RetentionAnalytics.Portal.Features.Shared;

/// <summary>Relative paths in configuration are read from the checkout's root, so the portal and the CLI agree on folders.</summary>
public static class PortalPaths
{
    public static string RepositoryRoot { get; } = WarehouseOptions.FindRepositoryRoot() ?? Directory.GetCurrentDirectory();

    public static string Resolve(string? configured, params string[] fallbackUnderRoot) =>
        configured is { Length: > 0 }
            ? Path.GetFullPath(configured, RepositoryRoot)
            : Path.Combine([RepositoryRoot, .. fallbackUnderRoot]);
}
