using System.Diagnostics;
using Dapper;
using DuckDB.NET.Data;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RetentionAnalytics.Core.Etl.Contracts;
using RetentionAnalytics.Core.Etl.Quality;
using RetentionAnalytics.Core.Warehouse;

namespace RetentionAnalytics.Core.Etl.Loading;

/// <summary>
/// Loads ODS deliveries into <c>stg</c>: DuckDB's own CSV reader does the bulk work, the contract's
/// checks run as one set-based statement, and each file commits in one transaction together with
/// its audit row — all or nothing. Rows in = rows loaded + rows rejected, for every file.
/// </summary>
public sealed class Loader(Db db, ContractCatalog contracts, QualityChecks quality, ILogger<Loader>? logger = null)
{
    private readonly ILogger _log = logger ?? NullLogger<Loader>.Instance;

    /// <summary>
    /// Loads every recognised CSV file of a folder (not its sub-folders starting with '_'), ordered by business
    /// date, then by the contracts' load order, then by delivery sequence, so reference data precedes facts.
    /// </summary>
    public IReadOnlyList<FileLoadResult> LoadDirectory(string folder, IProgress<LoadProgress>? progress = null,
        CancellationToken ct = default)
    {
        var files = Directory.Exists(folder)
            ? Directory.GetFiles(folder, "*.csv", SearchOption.TopDirectoryOnly)
            : throw new DirectoryNotFoundException($"folder {folder} not found");
        var ordered = files
            .Select(f => (Path: f, Match: contracts.Match(Path.GetFileName(f))))
            .OrderBy(f => f.Match?.BusinessDate ?? DateOnly.MaxValue)
            .ThenBy(f => f.Match?.Contract.LoadOrder ?? int.MaxValue)
            .ThenBy(f => f.Match?.Sequence ?? 0)
            .ThenBy(f => f.Path, StringComparer.Ordinal)
            .ToList();

        // files of one business date and load order are independent when they belong to different extracts: they load
        // side by side (each in its own connection and transaction); one extract's deliveries stay in sequence order
        var results = new FileLoadResult?[ordered.Count];
        var done = 0;
        var position = ordered.Select((f, i) => (f.Path, i)).ToDictionary(x => x.Path, x => x.i);
        foreach (var group in ordered.GroupBy(f => (f.Match?.BusinessDate, f.Match?.Contract.LoadOrder)))
        {
            var lanes = group.GroupBy(f => f.Match?.Contract.Extract ?? f.Path).Select(lane => lane.Select(f => f.Path).ToList()).ToList();
            Parallel.ForEach(lanes, new ParallelOptions { MaxDegreeOfParallelism = MaxParallelFiles, CancellationToken = ct }, lane =>
            {
                foreach (var path in lane)
                {
                    ct.ThrowIfCancellationRequested();
                    progress?.Report(new LoadProgress(Path.GetFileName(path), Volatile.Read(ref done), ordered.Count, "loading"));
                    results[position[path]] = LoadFile(path, forceReplace: false, ct);
                    Interlocked.Increment(ref done);
                }
            });
        }
        progress?.Report(new LoadProgress("", ordered.Count, ordered.Count, "done"));
        return results.Select(r => r!).ToList();
    }

    /// <summary>How many files load at once (different extracts of the same date and load order).</summary>
    public int MaxParallelFiles { get; init; } = Math.Clamp(Environment.ProcessorCount, 1, 2);

    public FileLoadResult LoadFile(string path, bool forceReplace = false, CancellationToken ct = default)
    {
        var started = DateTime.UtcNow;
        var clock = Stopwatch.StartNew();
        var fileName = Path.GetFileName(path);
        var info = new FileInfo(path);
        var match = contracts.Match(fileName);
        var quote = match?.Contract.Quote is { Length: 1 } q ? q[0] : '\0';
        var (checksum, hasQuote) = DeliveredFile.Inspect(path, quote);

        using var connection = db.Connect();
        if (match is null)
        {
            var msg = "no extract contract matches this file name";
            return Audit(connection, "unknown", fileName, path, null, 0, checksum, info.Length, null, "unrecognised",
                0, 0, 0, 0, msg, started, clock);
        }
        var (contract, businessDate, sequence) = match.Value;

        var previous = connection.Query<(long LoadId, string FileName, string Checksum, int Seq, string Status)>("""
            select load_id, file_name, checksum, delivery_seq, status from meta.load_audit
            where extract = $extract and business_date = $date and status in ('loaded', 'superseded')
            order by load_id
            """, new { extract = contract.Extract, date = businessDate.ToDateTime(TimeOnly.MinValue) }).ToList();

        if (previous.Any(p => p.FileName == fileName && p.Checksum == checksum && p.Status == "loaded")
            || previous.Any(p => p.Checksum == checksum && p.Status == "loaded"))
        {
            var same = previous.Last(p => p.Checksum == checksum);
            return Audit(connection, contract.Extract, fileName, path, businessDate, sequence, checksum, info.Length,
                contract.Encoding, "duplicate", 0, 0, 0, 0, $"identical to load {same.LoadId}; nothing added", started, clock);
        }
        if (!forceReplace && previous.FirstOrDefault(p => p.FileName == fileName) is { LoadId: > 0 } clash)
        {
            return Audit(connection, contract.Extract, fileName, path, businessDate, sequence, checksum, info.Length,
                contract.Encoding, "conflict", 0, 0, 0, 0,
                $"same file name as load {clash.LoadId} but different content; not merged. Deliver the correction as " +
                $"{contract.Extract}_{businessDate:yyyyMMdd}_<seq>.csv or load it with --replace", started, clock);
        }
        var current = previous.Where(p => p.Status == "loaded").ToList();
        if (!forceReplace && current.Count > 0 && current.Max(p => p.Seq) > sequence)
        {
            return Audit(connection, contract.Extract, fileName, path, businessDate, sequence, checksum, info.Length,
                contract.Encoding, "stale", 0, 0, 0, 0,
                $"delivery {sequence} is older than the loaded delivery {current.Max(p => p.Seq)} of {businessDate:yyyy-MM-dd}",
                started, clock);
        }

        string? transcoded = null;
        try
        {
            var readable = path;
            if (!TextEncodings.IsUtf8(contract.Encoding))
            {
                transcoded = DeliveredFile.Transcode(path, TextEncodings.Get(contract.Encoding), ct);
                readable = transcoded;
            }
            return LoadReadable(connection, contract, path, readable, hasQuote, fileName, businessDate, sequence, checksum,
                info.Length, current.Select(p => p.LoadId).ToList(), started, clock, ct);
        }
        finally
        {
            if (transcoded is not null)
            {
                File.Delete(transcoded);
            }
        }
    }

    private FileLoadResult LoadReadable(DuckDBConnection connection, ExtractContract contract, string path,
        string readable, bool hasQuote, string fileName, DateOnly businessDate, int sequence, string checksum, long bytes,
        IReadOnlyList<long> replacedLoads, DateTime started, Stopwatch clock, CancellationToken ct)
    {
        var delimiter = contract.Delimiter[0];
        var quote = contract.Quote.Length == 1 ? contract.Quote[0] : '\0';
        var names = CsvHeader.ReadNames(readable, delimiter, quote);
        if (names is null || names.All(n => n.Length == 0))
        {
            return Audit(connection, contract.Extract, fileName, path, businessDate, sequence, checksum, bytes,
                contract.Encoding, "rejected", 0, 0, 0, 0, "empty file: no header line", started, clock);
        }
        var header = CsvHeader.Map(names, contract);

        EnsureStagingTable(connection, contract);
        DeliveredFile.ReadRaw(connection, contract, readable, header.FieldCount, quote);
        ct.ThrowIfCancellationRequested();

        var loadId = connection.ExecuteScalar<long>("select nextval('meta.load_id_seq')");
        // chk is a view: the checks are computed once for the rejects (few rows written) and the typed columns once for
        // the insert, instead of materialising every row twice
        var selectChecked = header.Error is null
            ? ValidationSql.CheckedSelect(contract, header.Positions, header.FieldCount, delimiter, ExistingReferences(connection, contract))
            : $"select _line, {ValidationSql.Lit("file rejected: " + header.Error)} as _reason, * exclude (_line) from raw";
        connection.Execute($"create or replace temp view chk as {selectChecked}");
        // the delivered line is rebuilt for the rejected rows only
        connection.Execute($"create or replace temp table bad as select _line as _record, _line, _reason, {ValidationSql.RawLine(header.FieldCount, delimiter)} as _raw " +
                           "from chk where _reason is not null");
        if (header.Error is null)
        {
            MarkDuplicateKeys(connection, contract, header.Positions, header.FieldCount, delimiter);
        }
        if (hasQuote)
        {
            DeliveredFile.ToPhysicalLines(connection, header.FieldCount);
        }
        ct.ThrowIfCancellationRequested();

        var targetColumns = string.Join(", ", contract.Columns.Select(c => c.Name));
        using var tx = connection.BeginTransaction();
        var replaced = connection.Execute(
            $"delete from {contract.StagingTable} where _business_date = $date",
            new { date = businessDate.ToDateTime(TimeOnly.MinValue) }, tx);
        var loaded = header.Error is null
            ? connection.Execute($"""
                insert into {contract.StagingTable} ({targetColumns}, _load_id, _business_date, _line)
                select {targetColumns}, $loadId, $date, _line from chk
                where not exists (select 1 from bad where bad._record = chk._line)
                """, new { loadId, date = businessDate.ToDateTime(TimeOnly.MinValue) }, tx)
            : 0;
        var rejected = connection.Execute("""
            insert into meta.rejected_row (load_id, extract, file_name, line_number, reason, raw_line)
            select $loadId, $extract, $fileName, _line, _reason, _raw from bad
            union all
            select $loadId, $extract, $fileName, line, reason, raw_line from parse_rejects
            """, new { loadId, extract = contract.Extract, fileName }, tx);
        foreach (var replacedLoad in replacedLoads)
        {
            connection.Execute("update meta.load_audit set status = 'superseded', message = 'replaced by load ' || $loadId " +
                               "where load_id = $replacedLoad", new { loadId, replacedLoad }, tx);
        }

        var status = header.Error is null ? "loaded" : "rejected";
        var message = header.Error ?? Summary(header, rejected, replaced);
        InsertAudit(connection, tx, loadId, contract.Extract, fileName, path, businessDate, sequence, checksum, bytes,
            contract.Encoding, status, loaded + rejected, loaded, rejected, replaced, message, started, clock);
        tx.Commit();

        connection.Execute("drop view if exists chk; drop table if exists bad; drop view if exists raw; drop table if exists raw1; drop table if exists raw0; drop table if exists parse_rejects;");
        if (status == "loaded")
        {
            quality.AfterLoad(connection, contract, loadId, businessDate);
        }
        _log.LogInformation("Loaded {File} as load {LoadId}: {Status}, {Loaded} loaded, {Rejected} rejected, {Replaced} replaced in {Ms} ms",
            fileName, loadId, status, loaded, rejected, replaced, clock.ElapsedMilliseconds);
        return new FileLoadResult(loadId, contract.Extract, fileName, businessDate, status, loaded + rejected, loaded,
            rejected, message, clock.Elapsed);
    }

    /// <summary>The first good row of a key wins; later good rows with the same key are rejected, naming the first line.</summary>
    private static void MarkDuplicateKeys(DuckDBConnection connection, ExtractContract contract, IReadOnlyDictionary<string, int> positions, int fieldCount, char delimiter)
    {
        if (contract.Keys.Count == 0)
        {
            return;
        }
        var keys = string.Join(", ", contract.Keys);
        // plain text keys: distinct raw values are distinct keys, so one count over the raw rows usually settles it
        var keyColumns = contract.Keys.Select(k => contract.Columns.First(c => c.Name == k)).ToList();
        if (keyColumns.All(c => SqlTypes.Normalise(c.Type) == "varchar" && c.Map is not { Count: > 0 } && positions.ContainsKey(c.Name)))
        {
            var rawKeys = string.Join(", ", keyColumns.Select(c => $"nullif(trim(c{positions[c.Name]}), '')"));
            if (connection.ExecuteScalar<bool>($"select count(*) = count(distinct ({rawKeys})) from raw"))
            {
                return;
            }
        }
        // otherwise only the key columns of the view are computed: still cheap, and usually the answer is "none"
        var anyDuplicate = connection.ExecuteScalar<long>($"""
            select count(*) from (
                select 1 from chk where not exists (select 1 from bad where bad._record = chk._line)
                group by {keys} having count(*) > 1)
            """) > 0;
        if (!anyDuplicate)
        {
            return;
        }
        var keyText = string.Join(" || ', ' || ", contract.Keys.Select(k => $"'{k}=' || coalesce({k}::varchar, '')"));
        connection.Execute($"""
            insert into bad
            select _line, _line, 'duplicate key ' || {keyText} || ' (first at line ' || first_line || ')', {ValidationSql.RawLine(fieldCount, delimiter)}
            from (
                select chk.*, min(_line) over (partition by {keys}) as first_line
                from chk where not exists (select 1 from bad where bad._record = chk._line))
            where _line <> first_line
            """);
    }

    /// <summary>References whose target staging table exists: reference data loads first, so a fact is checked against it.</summary>
    private List<(ReferenceContract Reference, string Table)> ExistingReferences(DuckDBConnection connection, ExtractContract contract) =>
        contract.References
            .Select(r => (Reference: r, Target: contracts.Find(r.Extract)!))
            .Where(r => TableExists(connection, "stg", r.Target.Extract))
            .Select(r => (r.Reference, r.Target.StagingTable))
            .ToList();

    internal static void EnsureStagingTable(DuckDBConnection connection, ExtractContract contract)
    {
        var definitions = contract.Columns.Select(c => $"{c.Name} {SqlTypes.Normalise(c.Type)}");
        connection.Execute($"""
            create table if not exists {contract.StagingTable} (
                {string.Join(", ", definitions)}, _load_id bigint not null, _business_date date not null, _line bigint)
            """);
        // a contract that gained a column: the table follows (schema evolution is a contract edit, not a migration)
        var existing = connection.Query<string>(
            "select column_name from information_schema.columns where table_schema = 'stg' and table_name = $t",
            new { t = contract.Extract }).ToHashSet();
        foreach (var c in contract.Columns.Where(c => !existing.Contains(c.Name)))
        {
            connection.Execute($"alter table {contract.StagingTable} add column {c.Name} {SqlTypes.Normalise(c.Type)}");
        }
    }

    internal static bool TableExists(DuckDBConnection connection, string schema, string table) =>
        connection.ExecuteScalar<long>(
            "select count(*) from information_schema.tables where table_schema = $schema and table_name = $table",
            new { schema, table }) > 0;

    private static string Summary(CsvHeader header, long rejected, long replaced)
    {
        var parts = new List<string>();
        if (rejected > 0)
        {
            parts.Add($"{rejected:N0} row(s) rejected");
        }
        if (replaced > 0)
        {
            parts.Add($"replaced {replaced:N0} row(s) of an earlier delivery");
        }
        if (header.Ignored.Count > 0)
        {
            parts.Add($"ignored column(s) {string.Join(", ", header.Ignored)}");
        }
        return parts.Count == 0 ? "ok" : string.Join("; ", parts);
    }

    private FileLoadResult Audit(DuckDBConnection connection, string extract, string fileName, string path,
        DateOnly? businessDate, int sequence, string checksum, long bytes, string? encoding, string status,
        long read, long loaded, long rejected, long replaced, string message, DateTime started, Stopwatch clock)
    {
        var loadId = connection.ExecuteScalar<long>("select nextval('meta.load_id_seq')");
        using (var tx = connection.BeginTransaction())
        {
            InsertAudit(connection, tx, loadId, extract, fileName, path, businessDate, sequence, checksum, bytes, encoding,
                status, read, loaded, rejected, replaced, message, started, clock);
            tx.Commit();
        }
        _log.LogWarning("File {File} not loaded (load {LoadId}): {Status}", fileName, loadId, status);
        return new FileLoadResult(loadId, extract, fileName, businessDate, status, read, loaded, rejected, message, clock.Elapsed);
    }

    private static void InsertAudit(DuckDBConnection connection, DuckDBTransaction tx, long loadId, string extract,
        string fileName, string path, DateOnly? businessDate, int sequence, string checksum, long bytes, string? encoding,
        string status, long read, long loaded, long rejected, long replaced, string message, DateTime started, Stopwatch clock)
    {
        connection.Execute("""
            insert into meta.load_audit (load_id, extract, file_name, file_path, business_date, delivery_seq, checksum,
                file_bytes, encoding, status, rows_read, rows_loaded, rows_rejected, replaced_rows, message,
                started_at, finished_at, duration_ms)
            values ($loadId, $extract, $fileName, $path, $businessDate, $sequence, $checksum, $bytes, $encoding, $status,
                $read, $loaded, $rejected, $replaced, $message, $started, now(), $ms)
            """, new
        {
            loadId, extract, fileName, path, businessDate = businessDate?.ToDateTime(TimeOnly.MinValue), sequence, checksum,
            bytes, encoding, status, read, loaded, rejected, replaced, message, started, ms = clock.ElapsedMilliseconds,
        }, tx);
    }


}
