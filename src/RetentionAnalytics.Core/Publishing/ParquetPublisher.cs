using System.Reflection;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Dapper;
using DuckDB.NET.Data;
using RetentionAnalytics.Core.Warehouse;

namespace RetentionAnalytics.Core.Publishing;

/// <summary>
/// Publishes the facts and marts as Hive-partitioned Parquet for tools outside the portal (a data lake, a BI server,
/// another DuckDB): one folder per table, partitioned by its month column and <c>city_code</c> where it has them, and
/// a <c>manifest.json</c> that says what is there (columns, partition keys, rows, totals of every numeric column,
/// a SHA-256 per file) and which warehouse build it came from. A publication is written beside the target and
/// renamed into place when complete, so a reader sees the previous publication or the new one, never half of one.
/// </summary>
public sealed class ParquetPublisher(Db db)
{
    public const string ManifestName = "manifest.json";
    private const string PartitionColumn = "city_code";

    private static readonly HashSet<string> NumericTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        "TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT",
        "UHUGEINT", "FLOAT", "DOUBLE",
    };

    public static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        // readable city names and versions (+, non-ASCII) in a file people open
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private sealed record ColumnRow(string SchemaName, string TableName, string ColumnName, string DataType, int ColumnIndex);

    private sealed record SourceRow(DateOnly? AsOfDate, long? LastLoadId, DateTime? LastLoadAt, long CurrentFiles);

    /// <summary>
    /// Writes the publication to <paramref name="directory"/>, replacing a previous publication there. A folder that
    /// holds anything else is refused, untouched.
    /// </summary>
    public PublicationManifest Publish(string directory, IProgress<string>? progress = null, CancellationToken ct = default)
    {
        var target = Path.GetFullPath(directory.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar));
        CheckReplaceable(target);

        using var c = db.Connect();
        // one transaction: every table, total and the source build are read from the same committed state, even while
        // a pipeline run commits beside it
        using var tx = c.BeginTransaction();
        var tables = c.Query<ColumnRow>(db.Sql.Get("publish/tables.sql"))
            .GroupBy(r => (r.SchemaName, r.TableName))
            .Select(g => g.OrderBy(r => r.ColumnIndex).ToList())
            .ToList();
        if (tables.Count == 0)
        {
            throw new PublishException("The warehouse has no facts or marts yet: load extracts first (ra load DIR).");
        }
        var source = c.QuerySingle<SourceRow>(db.Sql.Get("publish/source.sql"));

        var parent = Path.GetDirectoryName(target)!;
        var name = Path.GetFileName(target);
        Directory.CreateDirectory(parent);
        RemoveLeftovers(parent, name);

        // the staging folder is a sibling, on the same file system, so that the final rename is atomic
        var staging = Path.Combine(parent, $".{name}.publishing-{Guid.NewGuid():N}");
        Directory.CreateDirectory(staging);
        try
        {
            var published = new List<PublishedTable>();
            foreach (var columns in tables)
            {
                ct.ThrowIfCancellationRequested();
                var table = PublishTable(c, staging, columns);
                progress?.Report($"{table.Name}: {table.Rows:N0} rows in {table.Files.Count:N0} file(s)");
                published.Add(table);
            }
            var manifest = new PublicationManifest(
                FormatVersion: 1,
                PublishedAt: DateTimeOffset.Now,
                Source: new PublicationSource(
                    Path.GetFileName(db.Options.DatabasePath),
                    source.AsOfDate,
                    source.LastLoadId, source.LastLoadAt, source.CurrentFiles,
                    typeof(ParquetPublisher).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion),
                Tables: published);
            File.WriteAllText(Path.Combine(staging, ManifestName), JsonSerializer.Serialize(manifest, Json));
            tx.Commit();
            SwapIn(staging, target, parent, name);
            return manifest;
        }
        catch
        {
            TryDelete(staging);
            throw;
        }
    }

    private static PublishedTable PublishTable(DuckDBConnection c, string staging, List<ColumnRow> columns)
    {
        var schema = columns[0].SchemaName;
        var table = columns[0].TableName;
        var relation = $"{Quote(schema)}.{Quote(table)}";
        var folder = Path.Combine(staging, schema, table);
        Directory.CreateDirectory(Path.GetDirectoryName(folder)!);

        var keys = PartitionKeys(columns);
        var options = keys.Count > 0
            ? $"format parquet, compression zstd, partition_by ({string.Join(", ", keys.Select(k => Quote(k.Name)))})"
            : "format parquet, compression zstd";
        // copy cannot bind its target: the path is this process's own staging folder, quoted as a literal
        var to = folder;
        if (keys.Count == 0)
        {
            Directory.CreateDirectory(folder);
            to = Path.Combine(folder, "data_0.parquet");
        }
        c.Execute($"copy (select * from {relation}) to {Literal(to)} ({options})");

        var numeric = columns.Where(col => IsNumeric(col.DataType) && keys.All(k => k.Name != col.ColumnName)).ToList();
        var aggregates = new List<string> { "count(*)" };
        aggregates.AddRange(numeric.Select(col => $"cast(sum({Quote(col.ColumnName)}) as double)"));
        using var command = c.CreateCommand();
        command.CommandText = $"select {string.Join(", ", aggregates)} from {relation}";
        using var reader = command.ExecuteReader();
        reader.Read();
        var rows = reader.GetInt64(0);
        var totals = new SortedDictionary<string, double?>(StringComparer.Ordinal);
        for (var i = 0; i < numeric.Count; i++)
        {
            totals[numeric[i].ColumnName] = reader.IsDBNull(i + 1) ? null : reader.GetDouble(i + 1);
        }

        var files = Directory.GetFiles(folder, "*.parquet", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal)
            .Select(f => DescribeFile(c, staging, f))
            .ToList();
        return new PublishedTable(
            $"{schema}.{table}",
            Path.GetRelativePath(staging, folder).Replace(Path.DirectorySeparatorChar, '/'),
            columns.Select(col => new PublishedColumn(col.ColumnName, col.DataType)).ToList(),
            keys,
            rows,
            totals,
            files);
    }

    /// <summary>The month (a date column named <c>month</c>, else the first named <c>*_month</c>) and the city, where present.</summary>
    private static List<PublishedColumn> PartitionKeys(List<ColumnRow> columns)
    {
        var keys = new List<PublishedColumn>();
        var month = columns.FirstOrDefault(col => col.ColumnName == "month" && col.DataType == "DATE")
            ?? columns.FirstOrDefault(col => col.ColumnName.EndsWith("_month", StringComparison.Ordinal) && col.DataType == "DATE");
        if (month is not null)
        {
            keys.Add(new PublishedColumn(month.ColumnName, month.DataType));
        }
        if (columns.FirstOrDefault(col => col.ColumnName == PartitionColumn) is { } city)
        {
            keys.Add(new PublishedColumn(city.ColumnName, city.DataType));
        }
        return keys;
    }

    private static PublishedFile DescribeFile(DuckDBConnection c, string staging, string file)
    {
        using var stream = File.OpenRead(file);
        var sha = Convert.ToHexStringLower(SHA256.HashData(stream));
        var rows = c.ExecuteScalar<long>("select cast(sum(num_rows) as bigint) from parquet_file_metadata($path)", new { path = file });
        return new PublishedFile(Path.GetRelativePath(staging, file).Replace(Path.DirectorySeparatorChar, '/'),
            new FileInfo(file).Length, rows, sha);
    }

    private static void CheckReplaceable(string target)
    {
        if (File.Exists(target))
        {
            throw new PublishException($"{target} is a file; give a folder for the publication.");
        }
        if (Directory.Exists(target) && !File.Exists(Path.Combine(target, ManifestName))
            && Directory.EnumerateFileSystemEntries(target).Any())
        {
            throw new PublishException(
                $"{target} is not empty and holds no earlier publication ({ManifestName}); nothing was written. Give a new or empty folder.");
        }
    }

    private static void SwapIn(string staging, string target, string parent, string name)
    {
        if (!Directory.Exists(target))
        {
            Directory.Move(staging, target);
            return;
        }
        // the previous publication steps aside by a rename, the new one takes its name, then the old one goes
        var replaced = Path.Combine(parent, $".{name}.replaced-{Guid.NewGuid():N}");
        Directory.Move(target, replaced);
        Directory.Move(staging, target);
        TryDelete(replaced);
    }

    /// <summary>Staging and replaced folders left by a publish that was killed half-way.</summary>
    private static void RemoveLeftovers(string parent, string name)
    {
        if (!Directory.Exists(parent))
        {
            return;
        }
        foreach (var dir in Directory.EnumerateDirectories(parent, $".{name}.publishing-*")
                     .Concat(Directory.EnumerateDirectories(parent, $".{name}.replaced-*")))
        {
            TryDelete(dir);
        }
    }

    private static void TryDelete(string dir)
    {
        try
        {
            Directory.Delete(dir, recursive: true);
        }
        catch (IOException)
        {
            // removed by the next publish
        }
    }

    private static bool IsNumeric(string type) => NumericTypes.Contains(type) || type.StartsWith("DECIMAL", StringComparison.OrdinalIgnoreCase);

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static string Literal(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";
}

public sealed class PublishException(string message) : Exception(message);

public sealed record PublicationManifest(int FormatVersion, DateTimeOffset PublishedAt, PublicationSource Source, IReadOnlyList<PublishedTable> Tables);

/// <summary>The warehouse build: its file, the as-of date of its facts, the newest file loaded, and the product version that published.</summary>
public sealed record PublicationSource(string Warehouse, DateOnly? AsOfDate, long? LastLoadId, DateTime? LastLoadAt, long CurrentFiles, string? ProductVersion);

public sealed record PublishedTable(
    string Name, string Folder, IReadOnlyList<PublishedColumn> Columns, IReadOnlyList<PublishedColumn> PartitionKeys,
    long Rows, IReadOnlyDictionary<string, double?> Totals, IReadOnlyList<PublishedFile> Files);

public sealed record PublishedColumn(string Name, string Type);

public sealed record PublishedFile(string Path, long Bytes, long Rows, string Sha256);
