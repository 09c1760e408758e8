using System.Collections.Concurrent;

namespace RetentionAnalytics.Core.Warehouse;

/// <summary>All SQL lives in <c>sql/</c> as files; C# reads them by relative path.</summary>
public sealed class SqlFiles(string root)
{
    private readonly ConcurrentDictionary<string, string> _cache = new();

    public string Root { get; } = root;

    public string Get(string relativePath) =>
        _cache.GetOrAdd(relativePath, p =>
        {
            var full = Path.Combine(Root, p);
            return File.Exists(full)
                ? File.ReadAllText(full)
                : throw new FileNotFoundException($"SQL file {p} not found under {Root}", full);
        });

    /// <summary>Files of one folder in name order (numbered files run in their numbering).</summary>
    public IReadOnlyList<string> List(string folder) =>
        Directory.Exists(Path.Combine(Root, folder))
            ? Directory.GetFiles(Path.Combine(Root, folder), "*.sql")
                .Select(f => Path.GetRelativePath(Root, f))
                .Order(StringComparer.Ordinal)
                .ToList()
            : [];
}
