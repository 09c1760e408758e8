using System.Collections.Concurrent;

namespace RetentionAnalytics.Core.Warehouse;

/// <summary>
/// All SQL lives in <c>sql/</c> as files; C# reads them by relative path. Several roots may be layered (an operator's
/// definitions folder over the shipped one): a path is read from the first root that has it.
/// </summary>
public sealed class SqlFiles
{
    private readonly ConcurrentDictionary<string, string> _cache = new();

    public SqlFiles(string root) : this([root])
    {
    }

    /// <param name="roots">Highest priority first; the last is the shipped <c>sql/</c> folder.</param>
    public SqlFiles(IReadOnlyList<string> roots)
    {
        Roots = roots.Count > 0 ? roots : throw new ArgumentException("at least one SQL root", nameof(roots));
    }

    public IReadOnlyList<string> Roots { get; }

    /// <summary>The shipped root.</summary>
    public string Root => Roots[^1];

    public string Get(string relativePath) =>
        _cache.GetOrAdd(relativePath, p => Find(p) is { } full
            ? File.ReadAllText(full)
            : throw new FileNotFoundException($"SQL file {p} not found under {string.Join(" or ", Roots)}", Path.Combine(Root, p)));

    public bool Exists(string relativePath) => Find(relativePath) is not null;

    /// <summary>The file a relative path reads, or null.</summary>
    public string? Find(string relativePath) =>
        Roots.Select(r => Path.Combine(r, relativePath)).FirstOrDefault(File.Exists);

    /// <summary>Files of one folder in name order (numbered files run in their numbering), as relative paths.</summary>
    public IReadOnlyList<string> List(string folder, string pattern = "*.sql") =>
        Roots.Select(r => Path.Combine(r, folder))
            .Where(Directory.Exists)
            .SelectMany(dir => Directory.GetFiles(dir, pattern).Select(f => Path.Combine(folder, Path.GetFileName(f))))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();

    /// <summary>Forgets what was read, so that edited files are read again (a reload of the definitions).</summary>
    public void Forget() => _cache.Clear();
}
