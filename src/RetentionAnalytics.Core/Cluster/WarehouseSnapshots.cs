using System.Diagnostics;
using Dapper;
using Microsoft.Extensions.Logging;
using RetentionAnalytics.Core.Warehouse;

namespace RetentionAnalytics.Core.Cluster;

/// <summary>
/// Read copies of the writer's warehouse for the other nodes. After each successful pipeline run the writer copies its
/// checkpointed file to <c>SnapshotFolder/&lt;build&gt;.duckdb</c> (flushed to disk) and then names it in the
/// <c>current</c> pointer (written aside, flushed, renamed over: a reader sees the old build or the new one). Every
/// node works on its own file; a node that is not the writer replaces its file with a copy of a newer build when one
/// appears (<see cref="Db"/> swaps files under open connections once they have closed), and at start before the file
/// is opened. The file beside the warehouse, <c>&lt;file&gt;.build</c>, names the build it holds. The churn models the
/// warehouse names (<c>models/*.zip</c> beside the file, never changed once written) travel through
/// <c>SnapshotFolder/models</c>, copied before the build that names them.
/// </summary>
public sealed class WarehouseSnapshots(Db db, ClusterOptions options, ILogger<WarehouseSnapshots> log)
{
    public const string Pointer = "current";
    private const string Extension = ".duckdb";
    private const string Models = "models";
    private const string BuildTime = "yyyyMMdd'T'HHmmssfff'Z'";

    /// <summary>The build this node's file holds (null: none adopted or published yet).</summary>
    public string? Held => HeldBuild(db.Options.DatabasePath);

    /// <summary>The newest published build, or null.</summary>
    public string? Current => CurrentBuild(options.SnapshotFolder!);

    /// <summary>Publishes this node's file as the newest build; the writer calls it after a successful run.</summary>
    public string Publish(TimeSpan drain)
    {
        var folder = options.SnapshotFolder!;
        Directory.CreateDirectory(folder);
        var build = $"{DateTime.UtcNow.ToString(BuildTime, System.Globalization.CultureInfo.InvariantCulture)}-{Safe(options.Node)}";
        var partial = Path.Combine(folder, $".{build}{Extension}.partial");
        var clock = Stopwatch.StartNew();
        // no connection is open while the file is copied: every committed write is in it, and nothing changes it meanwhile
        var copied = db.Exclusive(drain, anchor =>
        {
            anchor.Execute("force checkpoint");
            CopyDurably(db.Options.DatabasePath, partial);
            return null;
        });
        if (!copied)
        {
            File.Delete(partial);
            throw new TimeoutException($"connections stayed open for more than {drain.TotalSeconds:N0} s; the snapshot was not published");
        }
        File.Move(partial, Path.Combine(folder, build + Extension));
        CopyMissing(ModelsBeside(db.Options.DatabasePath), Path.Combine(folder, Models));
        WriteDurably(Path.Combine(folder, Pointer), build);
        WriteDurably(db.Options.DatabasePath + ".build", build);
        Prune(folder, build);
        log.LogInformation("Snapshot {Build} published in {Seconds:N1} s", build, clock.Elapsed.TotalSeconds);
        return build;
    }

    /// <summary>
    /// Replaces this node's file with the newest build when it holds an older one; false when it is up to date, or when
    /// connections stayed open past the drain time (the next call tries again).
    /// </summary>
    public bool Follow(TimeSpan drain)
    {
        var current = Current;
        if (current is null || current == Held)
        {
            return false;
        }
        var path = db.Options.DatabasePath;
        var incoming = path + ".incoming";
        CopyMissing(Path.Combine(options.SnapshotFolder!, Models), ModelsBeside(path));
        CopyDurably(Path.Combine(options.SnapshotFolder!, current + Extension), incoming);
        var swapped = db.Exclusive(drain, _ => () =>
        {
            File.Move(incoming, path, overwrite: true);
            File.Delete(path + ".wal");
        });
        if (!swapped)
        {
            File.Delete(incoming);
            return false;
        }
        WriteDurably(path + ".build", current);
        log.LogInformation("Snapshot {Build} adopted", current);
        return true;
    }

    /// <summary>
    /// Before the warehouse is opened: the node's file becomes a copy of the newest build unless it already holds it,
    /// so a node that starts (or starts again) works on what the cluster last published. False when none is published,
    /// and when the file still owes the agents' journal rows (work saved while PostgreSQL was out of reach, before the
    /// process ended): they are in no build, so the node starts on its own file and writes them before it adopts one.
    /// </summary>
    public static bool AdoptAtStart(string databasePath, string snapshotFolder, SqlFiles sql)
    {
        var current = CurrentBuild(snapshotFolder);
        if (current is null || current == HeldBuild(databasePath))
        {
            return false;
        }
        if (OwedRows(databasePath, sql) > 0)
        {
            // the node's first look writes them (and logs how many), then adopts the newest build
            return false;
        }
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(databasePath))!);
        var incoming = databasePath + ".incoming";
        CopyMissing(Path.Combine(snapshotFolder, Models), ModelsBeside(databasePath));
        CopyDurably(Path.Combine(snapshotFolder, current + Extension), incoming);
        File.Move(incoming, databasePath, overwrite: true);
        File.Delete(databasePath + ".wal");
        WriteDurably(databasePath + ".build", current);
        return true;
    }

    /// <summary>The journal rows a node's file owes (0 when there is no file, or it is of a version that keeps none).</summary>
    private static long OwedRows(string databasePath, SqlFiles sql)
    {
        if (!File.Exists(databasePath))
        {
            return 0;
        }
        try
        {
            // read-write: the process owns the file before the warehouse opens it, and rows in its log are read too
            using var c = new DuckDB.NET.Data.DuckDBConnection($"Data Source={databasePath}");
            c.Open();
            return c.ExecuteScalar<long>(sql.Get("cluster/journal_owed_left.sql"));
        }
        catch (DuckDB.NET.Data.DuckDBException)
        {
            return 0;
        }
    }

    /// <summary>When a build was published (UTC, from its name), or null.</summary>
    public static DateTime? PublishedAtUtc(string? build) =>
        build is not null
        && DateTime.TryParseExact(build.Split('-')[0], BuildTime, System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal, out var at)
            ? at : null;

    private static string? CurrentBuild(string folder)
    {
        var pointer = Path.Combine(folder, Pointer);
        if (!File.Exists(pointer))
        {
            return null;
        }
        var build = File.ReadAllText(pointer).Trim();
        return build.Length > 0 && File.Exists(Path.Combine(folder, build + Extension)) ? build : null;
    }

    private static string? HeldBuild(string databasePath) =>
        File.Exists(databasePath + ".build") && File.Exists(databasePath) ? File.ReadAllText(databasePath + ".build").Trim() : null;

    /// <summary>
    /// Keeps the current build and the <see cref="ClusterOptions.KeepSnapshots"/> before it: nodes copy a build into their
    /// own file and never keep it open, so an older one is only read by a node still copying the previous build.
    /// </summary>
    private void Prune(string folder, string current)
    {
        var builds = Directory.GetFiles(folder, "*" + Extension)
            .Select(f => Path.GetFileNameWithoutExtension(f))
            .Where(b => b != current)
            .OrderDescending(StringComparer.Ordinal)
            .Skip(options.KeepSnapshots);
        foreach (var old in builds)
        {
            File.Delete(Path.Combine(folder, old + Extension));
        }
    }

    private static string ModelsBeside(string databasePath) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(databasePath))!, Models);

    /// <summary>Files of <paramref name="from"/> that <paramref name="to"/> lacks (models are written once, never changed).</summary>
    private static void CopyMissing(string from, string to)
    {
        if (!Directory.Exists(from))
        {
            return;
        }
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from))
        {
            var target = Path.Combine(to, Path.GetFileName(file));
            if (!File.Exists(target) && !file.EndsWith(".partial", StringComparison.Ordinal))
            {
                CopyDurably(file, target + ".partial");
                File.Move(target + ".partial", target);
            }
        }
    }

    private static void CopyDurably(string from, string to)
    {
        using (var source = new FileStream(from, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
        using (var target = new FileStream(to, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            source.CopyTo(target, 1 << 20);
            target.Flush(flushToDisk: true);
        }
    }

    private static void WriteDurably(string path, string text)
    {
        var aside = path + ".new";
        using (var target = new FileStream(aside, FileMode.Create, FileAccess.Write, FileShare.None))
        using (var writer = new StreamWriter(target))
        {
            writer.Write(text);
            writer.Flush();
            target.Flush(flushToDisk: true);
        }
        File.Move(aside, path, overwrite: true);
    }

    private static string Safe(string node) =>
        new(node.Select(ch => char.IsAsciiLetterOrDigit(ch) || ch is '-' or '_' ? ch : '_').ToArray());
}
