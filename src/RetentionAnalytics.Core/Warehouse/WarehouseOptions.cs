using System.Globalization;
using RetentionAnalytics.Core.Definitions;

namespace RetentionAnalytics.Core.Warehouse;

/// <summary>Where the warehouse lives, how much memory and scratch disk DuckDB may use, and where its declarative artefacts are read from.</summary>
public sealed class WarehouseOptions
{
    /// <summary>Used when <see cref="MemoryLimit"/> is empty: a share of the machine's memory, leaving the rest to the machine's other work.</summary>
    public const double DefaultMemoryShare = 0.5;

    /// <summary>
    /// Of <see cref="MemoryLimitBytes"/>, this share stays outside DuckDB's buffer manager (at least
    /// <see cref="MinimumHeapReserve"/>): the .NET heap, DuckDB's allocations outside its pool and the allocator's slack.
    /// </summary>
    public const double HeapShare = 0.25;

    /// <summary>
    /// What the runtime, DuckDB's own allocations and the allocator's slack take whatever the size: 0.58 GB above
    /// DuckDB's 1.5 GB in a full build of 200,000 subscribers, up to 0.85 GB above its 1.19 GB at their month end
    /// (docs/benchmarks.md).
    /// </summary>
    public const long MinimumHeapReserve = 896L << 20;

    /// <summary>The DuckDB file. The portal and the CLI default to the same one.</summary>
    public string DatabasePath { get; set; } = DefaultDatabasePath;

    /// <summary>Folder holding <c>sql/</c> and <c>etl/contracts/</c>; the build copies them beside the binaries.</summary>
    public string ArtefactRoot { get; set; } = AppContext.BaseDirectory;

    /// <summary>
    /// The memory the process may hold: a size ("8GB") or a share of the machine's memory ("40%"); empty means
    /// <see cref="DefaultMemoryShare"/> of it. DuckDB's buffer manager gets it less the heap's share
    /// (<see cref="DuckDbMemoryBytes"/>) and spills what does not fit to <see cref="TempDirectory"/>; training lends
    /// DuckDB's share to the heap while it holds its rows (<see cref="Db.LendToHeap"/>).
    /// The CLI reads <c>Warehouse__MemoryLimit</c> from the environment, as the portal's configuration does.
    /// </summary>
    public string? MemoryLimit { get; set; } = Environment.GetEnvironmentVariable("Warehouse__MemoryLimit");

    /// <summary>Where DuckDB spills what does not fit in memory; empty means a folder beside the file (&lt;file&gt;.tmp).</summary>
    public string? TempDirectory { get; set; } = Environment.GetEnvironmentVariable("Warehouse__TempDirectory");

    /// <summary>DuckDB worker threads; 0 keeps DuckDB's default (all cores).</summary>
    public int Threads { get; set; }

    /// <summary>Compact the file after a build when at least this share of its blocks is free (0 never compacts).</summary>
    public double CompactAtFreeShare { get; set; } = 0.3;

    /// <summary>
    /// Compact the file after a build when it (with its write-ahead log) grew by more than this share since its baseline:
    /// its size at the first check after the last compaction, or at the first check ever (0 never compacts for growth).
    /// </summary>
    public double CompactAtGrowth { get; set; } = DefaultCompactAtGrowth;

    public const double DefaultCompactAtGrowth = 0.25;

    /// <summary>Files smaller than this are never compacted: the copy would cost more than the space it gives back.</summary>
    public long CompactMinimumBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>Where the operational data lives (the <c>Ops</c> section): this file (default) or PostgreSQL.</summary>
    public OpsOptions Ops { get; set; } = new();

    /// <summary>
    /// The province's time zones (the <c>Region</c> section). Every time the product stores is the province's wall
    /// clock: <c>now()</c> in SQL (DuckDB and PostgreSQL sessions run in <see cref="RegionTimeOptions.TimeZone"/>) and
    /// <see cref="Db.Clock"/> in code alike, whatever zone the server keeps.
    /// </summary>
    public Regions.RegionTimeOptions Region { get; set; } = new();

    public static string DefaultDatabasePath =>
        Environment.GetEnvironmentVariable("RA_DB") is { Length: > 0 } fromEnv
            ? fromEnv
            : Path.Combine(FindRepositoryRoot() ?? Directory.GetCurrentDirectory(), "data", "warehouse.duckdb");

    /// <summary>
    /// Definitions (contracts, reports, cubes, scenarios and the SQL they name) read before the shipped ones, in the
    /// repository's layout: <c>Definitions:Folder</c> or <c>RA_DEFINITIONS</c>; by default the checkout the binaries run from.
    /// </summary>
    public string? DefinitionsFolder { get; set; } = DefaultDefinitionsFolder;

    /// <summary>A contract folder used instead of every <c>etl/contracts</c> (<c>Definitions:Contracts</c>, <c>ra load --contracts</c>).</summary>
    public string? ContractsFolder { get; set; }

    public static string? DefaultDefinitionsFolder =>
        Environment.GetEnvironmentVariable("RA_DEFINITIONS") is { Length: > 0 } fromEnv ? Path.GetFullPath(fromEnv) : FindRepositoryRoot();

    public DefinitionFolders Definitions => new(DefinitionsFolder, ArtefactRoot, ContractsFolder);

    public string SqlRoot => Path.Combine(ArtefactRoot, "sql");
    public string ContractRoot => Path.Combine(ArtefactRoot, "etl", "contracts");

    /// <summary>The memory the process may hold, in bytes (<see cref="MemoryLimit"/>).</summary>
    public long MemoryLimitBytes => ParseMemoryLimit(MemoryLimit, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes);

    /// <summary>What stays outside DuckDB's buffer manager: <see cref="HeapShare"/> of the process's memory, at least <see cref="MinimumHeapReserve"/>, at most half.</summary>
    public long HeapReserveBytes => HeapReserve(MemoryLimitBytes);

    /// <summary>DuckDB's memory limit: the process's memory less the heap's reserve.</summary>
    public long DuckDbMemoryBytes => MemoryLimitBytes - HeapReserveBytes;

    public static long HeapReserve(long processBytes) =>
        Math.Min(processBytes / 2, Math.Max(MinimumHeapReserve, (long)(processBytes * HeapShare)));

    public string EffectiveTempDirectory =>
        string.IsNullOrWhiteSpace(TempDirectory) ? DatabasePath + ".tmp" : Path.GetFullPath(TempDirectory);

    /// <summary>The connection string every connection of the process uses (DuckDB settings are per database instance).</summary>
    public string ConnectionString()
    {
        var cs = $"Data Source={DatabasePath};memory_limit={DuckDbMemoryBytes / (1024 * 1024)}MiB;temp_directory={EffectiveTempDirectory}";
        if (Threads > 0)
        {
            cs += $";threads={Threads}";
        }
        return cs;
    }

    /// <summary>"8GB", "512MB", "40%" or empty (the default share) as bytes of the given machine memory.</summary>
    public static long ParseMemoryLimit(string? limit, long machineBytes)
    {
        if (string.IsNullOrWhiteSpace(limit))
        {
            return (long)(machineBytes * DefaultMemoryShare);
        }
        var text = limit.Trim().ToUpperInvariant().Replace(" ", "", StringComparison.Ordinal);
        if (text.EndsWith('%') && double.TryParse(text[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var percent)
            && percent is > 0 and <= 100)
        {
            return (long)(machineBytes * percent / 100);
        }
        foreach (var (unit, factor) in new (string, long)[]
                 {
                     ("TIB", 1L << 40), ("GIB", 1L << 30), ("MIB", 1L << 20), ("KIB", 1L << 10),
                     ("TB", 1_000_000_000_000), ("GB", 1_000_000_000), ("MB", 1_000_000), ("KB", 1_000), ("B", 1),
                 })
        {
            if (text.EndsWith(unit, StringComparison.Ordinal)
                && double.TryParse(text[..^unit.Length], NumberStyles.Float, CultureInfo.InvariantCulture, out var amount) && amount > 0)
            {
                return (long)(amount * factor);
            }
        }
        throw new ArgumentException($"Warehouse:MemoryLimit '{limit}' is not a size (8GB, 512MB) or a share of memory (40%)");
    }

    /// <summary>The checkout's root (the folder with RetentionAnalytics.sln), so that the portal and the CLI agree on one file.</summary>
    public static string? FindRepositoryRoot()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "RetentionAnalytics.sln")))
                {
                    return dir.FullName;
                }
            }
        }
        return null;
    }
}
