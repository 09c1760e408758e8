using RetentionAnalytics.Core.Definitions;

namespace RetentionAnalytics.Core.Warehouse;

/// <summary>Where the warehouse lives and where its declarative artefacts are read from.</summary>
public sealed class WarehouseOptions
{
    /// <summary>The DuckDB file. The portal and the CLI default to the same one.</summary>
    public string DatabasePath { get; set; } = DefaultDatabasePath;

    /// <summary>Folder holding <c>sql/</c> and <c>etl/contracts/</c>; the build copies them beside the binaries.</summary>
    public string ArtefactRoot { get; set; } = AppContext.BaseDirectory;

    /// <summary>DuckDB memory limit, e.g. "4GB"; empty keeps DuckDB's default (80% of RAM).</summary>
    public string? MemoryLimit { get; set; }

    /// <summary>DuckDB worker threads; 0 keeps DuckDB's default (all cores).</summary>
    public int Threads { get; set; }

    /// <summary>Where the operational data lives (the <c>Ops</c> section): this file (default) or PostgreSQL.</summary>
    public OpsOptions Ops { get; set; } = new();

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
