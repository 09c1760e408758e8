using DuckDB.NET.Data;
using Microsoft.Extensions.Logging;
using RetentionAnalytics.Core.Etl.Contracts;
using RetentionAnalytics.Core.Etl.Quality;

namespace RetentionAnalytics.Core.Etl.Loading;

public sealed partial class Loader
{
    /// <summary>
    /// Loads every recognised CSV file of a folder (not its sub-folders), ordered by business date, then by the
    /// contracts' load order, then by delivery sequence, so reference data precedes facts.
    /// </summary>
    /// <param name="forceReplace">As <c>--replace</c>: a changed file under a loaded name, or an older sequence, replaces its business date.</param>
    public IReadOnlyList<FileLoadResult> LoadDirectory(string folder, IProgress<LoadProgress>? progress = null,
        CancellationToken ct = default, bool forceReplace = false)
    {
        var files = Directory.Exists(folder)
            ? DeliveriesIn(folder, contracts)
            : throw new DirectoryNotFoundException($"folder {folder} not found");
        var ordered = files
            .Select(f => (Path: f, Match: contracts.Match(Path.GetFileName(f))))
            .OrderBy(f => f.Match?.BusinessDate ?? DateOnly.MaxValue)
            .ThenBy(f => f.Match?.Contract?.LoadOrder ?? int.MaxValue)
            .ThenBy(f => f.Match?.Sequence ?? 0)
            .ThenBy(f => f.Path, StringComparer.Ordinal)
            .ToList();

        // files of one business date and load order are independent when they belong to different extracts: they load
        // side by side (each in its own connection and transaction); one extract's deliveries stay in sequence order
        var results = new FileLoadResult?[ordered.Count];
        var done = 0;
        var position = ordered.Select((f, i) => (f.Path, i)).ToDictionary(x => x.Path, x => x.i);
        foreach (var group in ordered.GroupBy(f => (f.Match?.BusinessDate, f.Match?.Contract?.LoadOrder)))
        {
            var lanes = group.GroupBy(f => f.Match?.Contract?.Extract ?? f.Path).Select(lane => lane.Select(f => f.Path).ToList()).ToList();
            // the relationships check of the group's loads runs once they are all staged, in one pass: the files of a group
            // do not change what it reads (the subscription snapshots load in a group of their own, before the facts)
            var staged = new List<StagedLoad>();
            try
            {
                Parallel.ForEach(lanes, new ParallelOptions { MaxDegreeOfParallelism = MaxParallelFiles, CancellationToken = ct }, lane =>
                {
                    var laneStaged = new List<StagedLoad>();
                    try
                    {
                        foreach (var path in lane)
                        {
                            ct.ThrowIfCancellationRequested();
                            // a later delivery of the lane's extract may replace the date a load of the lane staged: that one is checked first
                            CheckRelationships(laneStaged);
                            progress?.Report(new LoadProgress(Path.GetFileName(path), Volatile.Read(ref done), ordered.Count, "loading"));
                            results[position[path]] = LoadFile(path, forceReplace, ct, laneStaged);
                            Interlocked.Increment(ref done);
                        }
                    }
                    finally
                    {
                        lock (staged)
                        {
                            staged.AddRange(laneStaged);
                        }
                    }
                });
            }
            finally
            {
                CheckRelationships(staged);
            }
        }
        progress?.Report(new LoadProgress("", ordered.Count, ordered.Count, "done"));
        return results.Select(r => r!).ToList();
    }

    /// <summary>
    /// The deliveries waiting in a folder (not its sub-folders): every CSV file, whatever the letter case of its
    /// extension (<c>.CSV</c> from a Windows or mainframe export), and every other file a contract claims by name
    /// (<c>.txt</c>, <c>.dat</c>), so that no delivery stays behind without an audit row.
    /// </summary>
    public static string[] DeliveriesIn(string folder, ContractCatalog contracts) =>
        Directory.GetFiles(folder, "*", SearchOption.TopDirectoryOnly)
            .Where(f => IsDelivery(Path.GetFileName(f), contracts))
            .ToArray();

    /// <summary>A file name the loader takes from a folder: a CSV file (any letter case) or a name a contract claims.</summary>
    public static bool IsDelivery(string fileName, ContractCatalog contracts) =>
        fileName.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) || contracts.Match(fileName) is not null;

    /// <summary>How many files load at once (different extracts of the same date and load order).</summary>
    public int MaxParallelFiles { get; init; } = Math.Clamp(Environment.ProcessorCount, 1, 2);

    /// <summary>The relationships check of staged loads, in one pass; the list is emptied.</summary>
    private void CheckRelationships(List<StagedLoad> staged)
    {
        if (staged.Count == 0)
        {
            return;
        }
        try
        {
            using var connection = db.Connect();
            quality.CheckRelationships(connection, staged);
        }
        catch (DuckDBException ex)
        {
            // the loads are committed; a check that could not run must not stop the folder's other files. Only the type is
            // logged: a database message can quote a delivered value
            _log.LogWarning("The relationships check of {Count} staged load(s) could not run ({ExceptionType})", staged.Count, ex.GetType().Name);
        }
        staged.Clear();
    }
}
