namespace RetentionAnalytics.Core.Definitions;

/// <summary>
/// Where definitions are read: an operator's folder (optional) over the ones shipped with the binaries, both in the
/// repository's layout (<c>etl/contracts</c>, <c>reports/fixed</c>, <c>reports/cubes</c>, <c>sql/…</c>). A file in the
/// operator's folder replaces the shipped file of the same name; any other file is added.
/// </summary>
public sealed class DefinitionFolders
{
    public const string Contracts = "etl/contracts";
    public const string Reports = "reports/fixed";
    public const string Cubes = "reports/cubes";
    public const string Sql = "sql";

    /// <param name="operatorRoot">The configured definitions folder, or null.</param>
    /// <param name="shippedRoot">The folder the build copied the repository's definitions to.</param>
    /// <param name="contractsOverride">A contract folder used instead of every etl/contracts, or null.</param>
    public DefinitionFolders(string? operatorRoot, string shippedRoot, string? contractsOverride = null)
    {
        var roots = new List<string>();
        if (operatorRoot is { Length: > 0 } && !SamePath(operatorRoot, shippedRoot))
        {
            roots.Add(Path.GetFullPath(operatorRoot));
        }
        roots.Add(Path.GetFullPath(shippedRoot));
        Roots = roots;
        ContractsOverride = contractsOverride is { Length: > 0 } ? Path.GetFullPath(contractsOverride) : null;
    }

    /// <summary>Highest priority first; the last is the shipped folder.</summary>
    public IReadOnlyList<string> Roots { get; }

    public string? ContractsOverride { get; }

    /// <summary>The same folders with every <c>etl/contracts</c> in use again: the contracts a contract folder replaced.</summary>
    public DefinitionFolders WithoutContractsOverride() =>
        ContractsOverride is null ? this : new DefinitionFolders(Roots.Count > 1 ? Roots[0] : null, Roots[^1]);

    /// <summary>The folders of one kind of definition, highest priority first, those that exist.</summary>
    public IReadOnlyList<string> FoldersOf(string relative) =>
        relative == Contracts && ContractsOverride is { } only
            ? [only]
            : Roots.Select(r => Path.Combine(r, relative)).Where(Directory.Exists).ToList();

    /// <summary>The effective files of one kind: by file name, the highest-priority folder's copy; in name order.</summary>
    public IReadOnlyList<string> Files(string relative, string pattern = "*.yaml")
    {
        var byName = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var folder in FoldersOf(relative))
        {
            foreach (var file in Directory.GetFiles(folder, pattern))
            {
                byName.TryAdd(Path.GetFileName(file), file);
            }
        }
        return byName.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Value).ToList();
    }

    /// <summary>The SQL roots, highest priority first.</summary>
    public IReadOnlyList<string> SqlRoots => Roots.Select(r => Path.Combine(r, Sql)).ToList();

    /// <summary>A readable description for messages: the folders searched.</summary>
    public string Describe(string relative) => string.Join(", ", relative == Contracts && ContractsOverride is { } only
        ? [only] : Roots.Select(r => Path.Combine(r, relative)));

    private static bool SamePath(string a, string b) =>
        string.Equals(Path.GetFullPath(a).TrimEnd(Path.DirectorySeparatorChar), Path.GetFullPath(b).TrimEnd(Path.DirectorySeparatorChar),
            StringComparison.Ordinal);
}
