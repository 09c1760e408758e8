using System.Globalization;
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
/// its audit row — all or nothing. Rows in = rows loaded + rows rejected, for every file. Each file is
/// isolated: whatever its bytes, it ends with an audit row and a reason, and the next file loads.
/// </summary>
public sealed partial class Loader(Db db, ContractCatalog contracts, QualityChecks quality, ILogger<Loader>? logger = null)
{
    private readonly ILogger _log = logger ?? NullLogger<Loader>.Instance;

    /// <summary>The warehouse this loader writes (its clock dates the inbox's archive folders).</summary>
    public Db Warehouse => db;

    /// <summary>Loads one file. Never throws for what the file holds: a file that cannot be loaded gets an audit row that says why.</summary>
    public FileLoadResult LoadFile(string path, bool forceReplace = false, CancellationToken ct = default) => LoadFile(path, forceReplace, ct, null);

    /// <summary>As <see cref="LoadFile(string, bool, CancellationToken)"/>; with <paramref name="staged"/>, a staged load is added there for
    /// its relationships check (<see cref="CheckRelationships"/>) instead of checked at once.</summary>
    private FileLoadResult LoadFile(string path, bool forceReplace, CancellationToken ct, List<StagedLoad>? staged)
    {
        var delivery = new Delivery(Path.GetFileName(path), path, db.Clock.Now) { Staged = staged, Stop = ct };
        try
        {
            return Load(delivery, forceReplace, ct);
        }
        catch (Exception ex) when (ct.IsCancellationRequested)
        {
            // stopped, at a check or by interrupting the statement running: the file's transaction rolled back, nothing
            // about the file to audit
            throw StatementStop.Stopped(ex, ct);
        }
        catch (OperationCanceledException)
        {
            throw;
        }
        catch (Exception ex)
        {
            // a refusal is the file's fault; anything else is the loader's, and still only this file's
            var refused = ex is FileRefusedException;
            var reason = refused ? ex.Message : $"the loader could not process this file ({ex.GetType().Name}): {ex.Message.Split('\n', 2)[0].Trim()}";
            if (!refused)
            {
                _log.LogError("Loading {File} failed with {ExceptionType}; the file is recorded as failed", delivery.FileName, ex.GetType().FullName);
            }
            using var connection = db.Connect();
            return Audit(connection, delivery, refused ? "rejected" : "failed", 0, 0, 0, 0, reason);
        }
    }

    private FileLoadResult Load(Delivery d, bool forceReplace, CancellationToken ct)
    {
        d.Bytes = new FileInfo(d.Path).Length;
        var match = contracts.Match(d.FileName);
        using var connection = db.Connect();
        using var stop = d.InterruptOn(connection);
        if (match?.Contract is not { } contract)
        {
            d.Checksum = FileInspection.Of(d.Path, '\0').Checksum;
            if (match?.Problem is { } problem)
            {
                d.Extract = problem.Extract;
                var all = contracts.Problems.Where(p => p.File == problem.File).ToList();
                return Audit(connection, d, "rejected", 0, 0, 0, 0,
                    $"the contract for this file is invalid: {problem}" + (all.Count > 1 ? $" (and {all.Count - 1} more problem(s); run ra check)" : ""));
            }
            return Audit(connection, d, "unrecognised", 0, 0, 0, 0, "no extract contract matches this file name");
        }
        d.Extract = contract.Extract;
        d.Encoding = contract.Encoding;
        if (match.NameProblem is { } nameProblem)
        {
            d.Checksum = FileInspection.Of(d.Path, '\0').Checksum;
            return Audit(connection, d, "rejected", 0, 0, 0, 0, nameProblem);
        }
        d.BusinessDate = match.BusinessDate;
        d.Sequence = match.Sequence;
        var quote = contract.Quote is { Length: 1 } q ? q[0] : '\0';
        var inspection = FileInspection.Of(d.Path, quote, contract.Delimiter[0]);
        d.Checksum = inspection.Checksum;
        d.Step("inspection");

        var previous = d.BusinessDate is null ? IdenticalDelivery(connection, d) : CheckPrevious(connection, contract, d, forceReplace);
        d.Step("previous loads");
        if (previous.Outcome is { } early)
        {
            return early;
        }
        if (inspection.Bytes == 0)
        {
            return Audit(connection, d, "rejected", 0, 0, 0, 0, "empty file: no header line");
        }
        if ((inspection.NotText() ?? inspection.EncodingProblem(contract.Encoding)) is { } notReadable)
        {
            return Audit(connection, d, "rejected", 0, 0, 0, 0, notReadable);
        }

        string? transcoded = null;
        try
        {
            var readable = d.Path;
            long replacedBytes = 0;
            if (!TextEncodings.IsUtf8(contract.Encoding))
            {
                (transcoded, replacedBytes) = DeliveredFile.Transcode(d.Path, TextEncodings.Get(contract.Encoding), ct);
                readable = transcoded;
            }
            var checks = new FieldChecks(inspection.HasNul, inspection.LongestLineBytes > MinFieldLimit(contract), replacedBytes > 0);
            return LoadReadable(connection, contract, d, readable, transcoded is not null, inspection, checks, previous, forceReplace, ct);
        }
        finally
        {
            if (transcoded is not null)
            {
                File.Delete(transcoded);
            }
        }
    }

    private static int MinFieldLimit(ExtractContract contract) =>
        contract.Columns.Where(c => c.MaxLength is not null).Select(c => c.MaxLength!.Value).Append(contract.MaxFieldLength).Min();

    /// <summary>
    /// Whether a clean file may take the typed read (<see cref="TypedRead"/>); off, every file takes the text path.
    /// Both stage the same rows: the switch exists to compare them.
    /// </summary>
    public bool TypedReads { get; init; } = true;

    private FileLoadResult LoadReadable(DuckDBConnection connection, ExtractContract contract, Delivery d, string readable, bool transcoded,
        FileInspection inspection, FieldChecks fieldChecks, PreviousLoads previous, bool forceReplace, CancellationToken ct)
    {
        var delimiter = contract.Delimiter[0];
        var quote = contract.Quote.Length == 1 ? contract.Quote[0] : '\0';
        var names = CsvHeader.ReadNames(readable, delimiter, quote);
        if (names is null || names.All(n => n.Length == 0))
        {
            return Audit(connection, d, "rejected", 0, 0, 0, 0, "empty file: no header line");
        }
        var header = CsvHeader.Map(names, contract);

        EnsureTable(connection, contract, "stg");
        d.Step("header and table");
        long? typedLoadId = null;
        // a part added to other parts of its date checks its keys against theirs, on the text path
        if (TypedReads && !(previous.Kept.Count > 0 && contract.Keys.Count > 0) && TypedRead.Plan(contract, header, fieldChecks, transcoded, d.BusinessDate is not null) is { } plan)
        {
            typedLoadId = connection.ExecuteScalar<long>("select nextval('meta.load_id_seq')");
            if (StageTyped(connection, contract, d, readable, header, fieldChecks, plan, inspection, previous, typedLoadId.Value, quote, ct) is { } staged)
            {
                return staged;
            }
        }
        DeliveredFile.ReadRaw(connection, contract, readable, header.FieldCount, quote, inspection.BlankLines);
        ct.ThrowIfCancellationRequested();

        if (d.BusinessDate is null)
        {
            // the business date is in the rows: known only now, and only from a file whose header maps
            if (header.Error is not null)
            {
                return Audit(connection, d, "rejected", 0, 0, 0, 0, $"file rejected: {header.Error}");
            }
            var column = contract.Column(contract.BusinessDateColumn!)!;
            var latest = connection.ExecuteScalar<DateTime?>(ValidationSql.LatestDate(contract, header, column));
            if (latest is null)
            {
                return Audit(connection, d, "rejected", 0, 0, 0, 0,
                    $"no business date: column {column.Name} ({column.SourceName}) holds no valid date in any row");
            }
            d.BusinessDate = DateOnly.FromDateTime(latest.Value);
            previous = CheckPrevious(connection, contract, d, forceReplace);
            if (previous.Outcome is { } early)
            {
                return early;
            }
        }
        var businessDate = d.BusinessDate!.Value;

        var loadId = typedLoadId ?? connection.ExecuteScalar<long>("select nextval('meta.load_id_seq')");
        // chk is a view: the checks are computed once for the rejects (few rows written) and the typed columns once for
        // the insert, instead of materialising every row twice
        var selectChecked = header.Error is null
            ? ValidationSql.CheckedSelect(contract, header, businessDate, ExistingReferences(connection, contract), fieldChecks)
            : $"select _line, {ValidationSql.Lit("file rejected: " + header.Error)} as _reason, * exclude (_line) from raw";
        connection.Execute($"create or replace temp view chk as {selectChecked}");
        // the rejected rows, with the lines each spans in the file: their delivered text is read from it once they are known
        connection.Execute($"create or replace temp table bad as select _line as _record, _line, _reason, 1 + {DeliveredFile.LineBreaks(header.FieldCount)} as _lines " +
                           "from chk where _reason is not null");
        var spansLines = false;
        if (inspection.HasQuote)
        {
            spansLines = DeliveredFile.ToPhysicalLines(connection, header.FieldCount);
            DeliveredFile.SplitUnterminatedQuotes(connection, readable, inspection.Lines);
        }
        // after the lines are known: a duplicate names the line its first row starts on, past records that span lines
        if (header.Error is null)
        {
            if (MayShareKeys(connection, contract, header.Positions))
            {
                MarkDuplicateKeys(connection, contract, $"1 + {DeliveredFile.LineBreaks(header.FieldCount)}", spansLines);
            }
            if (previous.Kept.Count > 0 && contract.Keys.Count > 0)
            {
                MarkKeysOfOtherParts(connection, contract, previous, $"1 + {DeliveredFile.LineBreaks(header.FieldCount)}", spansLines);
            }
        }
        DeliveredFile.KeepDeliveredText(connection, readable, "bad");
        ct.ThrowIfCancellationRequested();

        var (good, rejected) = connection.QuerySingle<(long Good, long Rejected)>("""
            select (select count(*) from raw) - (select count(distinct _record) from bad),
                   (select count(*) from bad) + (select count(*) from parse_rejects)
            """);
        if (header.Error is not null)
        {
            good = 0;
        }
        var read = good + rejected;
        string status;
        string message;
        if (header.Error is not null)
        {
            (status, message) = ("rejected", header.Error);
        }
        else if (read == 0 && !contract.AllowEmpty)
        {
            (status, message) = ("rejected", "no data rows: the file holds only its header (set allow_empty: true in the contract when an empty delivery is normal for this extract)");
        }
        else if (read > 0 && good == 0)
        {
            // nothing to stage: never a successful load, and never a replacement that empties its business date
            (status, message) = ("rejected", AllRejected(connection, read));
        }
        else if (previous.Current.Count > 0 && HoldVerdict(contract, read, rejected, previous) is { } hold)
        {
            (status, message) = ("held", hold.Replace("{load}", loadId.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal));
        }
        else
        {
            (status, message) = ("loaded", "");
        }

        var targetColumns = string.Join(", ", contract.Columns.Select(c => c.Name));
        var date = businessDate.ToDateTime(TimeOnly.MinValue);
        if (status == "held")
        {
            EnsureTable(connection, contract, HeldLoads.Schema);
        }
        using var tx = connection.BeginTransaction();
        long replaced = 0, loaded = 0;
        if (status is "loaded" or "held")
        {
            var target = status == "loaded" ? contract.StagingTable : $"{HeldLoads.Schema}.{contract.Extract}";
            if (status == "loaded")
            {
                replaced = connection.Execute($"delete from {target} where {PreviousLoads.ReplacedRows}", new { date, kept = previous.KeptLoadIds }, tx);
            }
            loaded = connection.Execute($"""
                insert into {target} ({targetColumns}, _load_id, _business_date, _line)
                select {targetColumns}, $loadId, $date, _physical from {DeliveredFile.Checked(spansLines)}
                where not exists (select 1 from bad where bad._record = chk._line)
                """, new { loadId, date }, tx);
        }
        connection.Execute(db.Sql.Get("loading/insert_rejected_rows.sql"), new { loadId, extract = contract.Extract, fileName = d.FileName }, tx);
        if (status == "loaded")
        {
            foreach (var replacedLoad in previous.Current.Select(p => p.LoadId))
            {
                connection.Execute("update meta.load_audit set status = 'superseded', message = 'replaced by load ' || $loadId " +
                                   "where load_id = $replacedLoad", new { loadId, replacedLoad }, tx);
            }
            message = WithParts(Summary(header, rejected, replaced), previous);
        }
        // held rows are counted as loaded into the hold table: rows read = loaded + rejected holds for them as well
        var rowsLoaded = loaded;
        InsertAudit(connection, tx, loadId, d, status, read, rowsLoaded, rejected, replaced, message);
        d.Commit(tx);
        d.Step("insert and commit");

        connection.Execute("drop view if exists chk; drop table if exists bad; drop view if exists raw; drop table if exists raw1; drop table if exists raw0; drop table if exists parse_rejects; drop table if exists line_shift; drop table if exists delivered_text;");
        if (status == "loaded")
        {
            AfterLoad(connection, contract, d, loadId, businessDate);
        }
        d.Step("quality");
        _log.LogDebug("Steps of {File}: {Steps}", d.FileName, d.Steps);
        _log.LogInformation("Loaded {File} as load {LoadId}: {Status}, {Loaded} loaded, {Rejected} rejected, {Replaced} replaced in {Ms} ms",
            d.FileName, loadId, status, rowsLoaded, rejected, replaced, d.Clock.ElapsedMilliseconds);
        return new FileLoadResult(loadId, contract.Extract, d.FileName, businessDate, status, read, rowsLoaded, rejected, message,
            d.Clock.Elapsed);
    }

    /// <summary>The checks after a staged load; its relationships check waits for the others of its batch when it is loaded in one.</summary>
    private void AfterLoad(DuckDBConnection connection, ExtractContract contract, Delivery d, long loadId, DateOnly businessDate)
    {
        quality.AfterLoad(connection, contract, loadId, businessDate, relationships: d.Staged is null);
        d.Staged?.Add(new StagedLoad(contract, loadId, businessDate));
    }

    /// <summary>How many of a file's reasons the audit message of a file whose every row was rejected quotes.</summary>
    private const int QuotedReasons = 3;

    /// <summary>The audit message of a file none of whose rows can be staged: how many, and the first reasons by line.</summary>
    private string AllRejected(DuckDBConnection connection, long read)
    {
        var reasons = connection.Query<string>(db.Sql.Get("loading/first_reject_reasons.sql"), new { limit = QuotedReasons })
            .Select(r => r.Length > 200 ? r[..200] + "…" : r);
        return $"all {read:N0} row(s) rejected, nothing loaded; first reasons: {string.Join(" | ", reasons)}";
    }

    /// <summary>
    /// A replacement is held when it rejects a larger share of its rows than the delivery it would replace by more than the
    /// contract's hold_reject_rate: a broken re-delivery must not swap good rows for the few it kept, and a correction of a
    /// poor delivery must not be a worse one. A feed that always rejects about the same share is not held for the noise.
    /// </summary>
    private static string? HoldVerdict(ExtractContract contract, long read, long rejected, PreviousLoads previous)
    {
        var rate = read == 0 ? 1m : (decimal)rejected / read;
        var last = previous.Current[^1];
        var previousRate = last.RowsRead == 0 ? 0m : (decimal)last.RowsRejected / last.RowsRead;
        var limit = previousRate + contract.HoldRejectRate;
        if (rate <= limit)
        {
            return null;
        }
        return string.Create(CultureInfo.InvariantCulture,
            $"held for review: rejects {rate:P1} of its rows, above {limit:P1} (load {last.LoadId}'s {previousRate:P1} plus hold_reject_rate {contract.HoldRejectRate:P1}); ") +
            $"{previous.Date:yyyy-MM-dd} keeps its loaded data. ra release {{load}} replaces it anyway, ra release {{load}} --discard drops it";
    }

    private sealed record PreviousLoad(long LoadId, string FileName, string Checksum, int Seq, string Status, long RowsRead, long RowsRejected);

    /// <summary>
    /// What a delivery finds for its business date: <c>Current</c>, the loaded deliveries it replaces (all of the date, or
    /// those of its own part); <c>Kept</c>, the loaded other parts of the date it is added to.
    /// </summary>
    private sealed record PreviousLoads(DateOnly? Date, IReadOnlyList<PreviousLoad> Current, FileLoadResult? Outcome)
    {
        public IReadOnlyList<PreviousLoad> Kept { get; init; } = [];

        /// <summary>Whole files of another name it replaces without a later sequence number (see <see cref="WithParts"/>).</summary>
        public IReadOnlyList<string> Renamed { get; init; } = [];

        /// <summary>
        /// The staged rows of the date a loaded delivery deletes: all but those of the other parts it is added to
        /// (the loads in <c>$kept</c>, <see cref="KeptLoadIds"/>, which Dapper expands to one bound parameter each).
        /// </summary>
        public const string ReplacedRows = "_business_date = $date and _load_id not in $kept";

        public long[] KeptLoadIds => Kept.Select(k => k.LoadId).ToArray();
    }

    /// <summary>For a file whose date is in its rows: the same bytes already loaded for the extract are a duplicate.</summary>
    private PreviousLoads IdenticalDelivery(DuckDBConnection connection, Delivery d)
    {
        var same = connection.QueryFirstOrDefault<(long LoadId, string Status)?>("""
            select load_id, status from meta.load_audit
            where extract = $extract and checksum = $checksum and status in ('loaded', 'held')
            order by load_id desc limit 1
            """, new { extract = d.Extract, checksum = d.Checksum });
        return new PreviousLoads(null, [], same is { } s ? Duplicate(connection, d, s.LoadId, s.Status) : null);
    }

    /// <summary>What the earlier deliveries of the same business date say about this one: duplicate, conflict, stale, or go ahead.</summary>
    private PreviousLoads CheckPrevious(DuckDBConnection connection, ExtractContract contract, Delivery d, bool forceReplace)
    {
        var date = d.BusinessDate!.Value;
        var previous = connection.Query<PreviousLoad>("""
            select load_id as LoadId, file_name as FileName, checksum as Checksum, delivery_seq as Seq, status as Status,
                   rows_read as RowsRead, rows_rejected as RowsRejected
            from meta.load_audit
            where extract = $extract and business_date = $date and status in ('loaded', 'superseded', 'held')
            order by load_id
            """, new { extract = contract.Extract, date = date.ToDateTime(TimeOnly.MinValue) }).ToList();
        // a delivery split into parts: each part replaces its own earlier deliveries and is added to the other parts
        var part = contract.PartOf(d.FileName);
        var loaded = previous.Where(p => p.Status == "loaded").ToList();
        var current = loaded.Where(p => contract.Replaces(d.FileName, p.FileName)).ToList();
        var kept = loaded.Except(current).ToList();

        if (previous.LastOrDefault(p => p.Checksum == d.Checksum && p.Status is "loaded" or "held") is { } same)
        {
            return new PreviousLoads(date, current, Duplicate(connection, d, same.LoadId, same.Status));
        }
        // the bytes of a delivery a later one replaced, sent again: nothing new, and no conflict (the content is the same); a
        // delivery later than the loaded one that goes back to an earlier content is a correction like any other
        if (!forceReplace && current.Count > 0 && current.Max(p => p.Seq) >= d.Sequence
            && previous.LastOrDefault(p => p.Checksum == d.Checksum && p.Status == "superseded") is { } replacedSince)
        {
            return new PreviousLoads(date, current, Audit(connection, d, "duplicate", 0, 0, 0, 0,
                $"identical to load {replacedSince.LoadId}, which a later delivery of {date:yyyy-MM-dd} has replaced since; nothing added " +
                "(load it with --replace to bring it back)"));
        }
        if (!forceReplace && previous.LastOrDefault(p => p.FileName == d.FileName) is { } clash)
        {
            var next = previous.Max(p => p.Seq) + 1;
            var advice = RedeliveryName.Suggest(contract, d.FileName, next) is { } name
                ? $"Deliver the correction as {name} or load it with --replace"
                : "This contract's file names carry no delivery sequence (?<seq>); load the correction with --replace";
            return new PreviousLoads(date, current, Audit(connection, d, "conflict", 0, 0, 0, 0,
                $"same file name as load {clash.LoadId} but different content; not merged. {advice}"));
        }
        if (!forceReplace && current.Count > 0 && current.Max(p => p.Seq) > d.Sequence)
        {
            return new PreviousLoads(date, current, Audit(connection, d, "stale", 0, 0, 0, 0,
                $"delivery {d.Sequence} is older than the loaded delivery {current.Max(p => p.Seq)} of {date:yyyy-MM-dd}" +
                (part.Length > 0 ? $" (part {part})" : "")));
        }
        // a file of another name, without a later sequence, replacing a whole file: more likely a part than a correction
        var renamed = part.Length == 0
            ? current.Where(p => p.FileName != d.FileName && p.Seq >= d.Sequence && contract.PartOf(p.FileName).Length == 0).Select(p => p.FileName).Distinct().ToList()
            : [];
        return new PreviousLoads(date, current, null) { Kept = kept, Renamed = renamed };
    }

    private FileLoadResult Duplicate(DuckDBConnection connection, Delivery d, long loadId, string status) =>
        Audit(connection, d, "duplicate", 0, 0, 0, 0, status == "held"
            ? $"identical to load {loadId}, which is held for review; release or discard it (ra release {loadId} [--discard])"
            : $"identical to load {loadId}; nothing added");

    /// <summary>
    /// Whether two rows, passing the checks or not, may share a key: one count over the keys, which usually settles that
    /// none do. Plain text keys are counted on the raw rows (distinct raw values are distinct keys), others on the key
    /// columns of the view alone.
    /// </summary>
    private static bool MayShareKeys(DuckDBConnection connection, ExtractContract contract, IReadOnlyDictionary<string, int> positions)
    {
        if (contract.Keys.Count == 0)
        {
            return false;
        }
        var keyColumns = contract.Keys.Select(k => contract.Columns.First(c => c.Name == k)).ToList();
        var unique = keyColumns.All(c => c.ReadsSource && SqlTypes.Normalise(c.Type) == "varchar" && c.Map is not { Count: > 0 } && c.Default is null
                                         && positions.ContainsKey(c.Name))
            ? $"select count(*) = count(distinct ({string.Join(", ", keyColumns.Select(c => $"nullif(trim(c{positions[c.Name]}), '')"))})) from raw"
            : $"select count(*) = count(distinct ({string.Join(", ", contract.Keys)})) from chk";
        return !connection.ExecuteScalar<bool>(unique);
    }

    /// <summary>
    /// The first good row of a key wins; later good rows with the same key go into <c>bad</c>, naming the first line. The
    /// rows that failed the checks are in <c>bad</c> already. <paramref name="lines"/> is the number of lines a row spans in
    /// the file, as SQL over its fields. Returns how many rows were marked.
    /// </summary>
    private static long MarkDuplicateKeys(DuckDBConnection connection, ExtractContract contract, string lines, bool spansLines)
    {
        var keys = string.Join(", ", contract.Keys);
        var keyText = string.Join(" || ', ' || ", contract.Keys.Select(k => $"'{k}=' || coalesce({k}::varchar, '')"));
        // _line is the record, _physical the line it starts on (they differ below a record that spans lines)
        return connection.Execute($"""
            insert into bad
            select _line, _physical, 'duplicate key ' || {keyText} || ' (first at line ' || first_line || ')', {lines}
            from (
                select chk.*, min(_physical) over (partition by {keys}) as first_line
                from {DeliveredFile.Checked(spansLines)} where not exists (select 1 from bad where bad._record = chk._line))
            where _physical <> first_line
            """);
    }

    /// <summary>
    /// Keys are unique within a business date, across the parts of its delivery too: a good row whose key another part
    /// of the date staged is rejected, naming that part's file and line.
    /// </summary>
    private static void MarkKeysOfOtherParts(DuckDBConnection connection, ExtractContract contract, PreviousLoads previous, string lines,
        bool spansLines)
    {
        var keys = string.Join(", ", contract.Keys);
        var keyText = string.Join(" || ', ' || ", contract.Keys.Select(k => $"'{k}=' || coalesce(chk.{k}::varchar, '')"));
        connection.Execute($"""
            insert into bad
            select chk._line, chk._physical, 'duplicate key ' || {keyText} || ' (first in ' || audit.file_name || ' at line ' || other._line || ')', {lines}
            from {DeliveredFile.Checked(spansLines)}
            join (select {keys}, arg_min(_load_id, _load_id) as _load_id, arg_min(_line, _load_id) as _line
                  from {contract.StagingTable} where _load_id in $kept group by all) as other using ({keys})
            join meta.load_audit as audit on audit.load_id = other._load_id
            where not exists (select 1 from bad where bad._record = chk._line)
            """, new { kept = previous.KeptLoadIds });
    }

    /// <summary>
    /// What a delivery says in its audit message about the others of its date: the other parts it was added to, and a
    /// file of another name it replaced without a later sequence number (more likely a part of one delivery than a
    /// correction: the contract's pattern then needs a part).
    /// </summary>
    private static string WithParts(string summary, PreviousLoads previous)
    {
        var notes = new List<string>();
        if (summary != "ok")
        {
            notes.Add(summary);
        }
        if (previous.Kept.Count > 0)
        {
            notes.Add($"added to {previous.Kept.Count} other part(s) of {previous.Date:yyyy-MM-dd} (load(s) {string.Join(", ", previous.Kept.Select(k => k.LoadId))})");
        }
        if (previous.Renamed is { Count: > 0 } renamed)
        {
            notes.Add($"it replaced {string.Join(", ", renamed)}, a file of another name for {previous.Date:yyyy-MM-dd}: if the files are parts of one " +
                      "delivery, name the part in the contract's file_pattern with (?<part>…) so that they add up (etl/README.md)");
        }
        return notes.Count == 0 ? "ok" : string.Join("; ", notes);
    }

    /// <summary>References whose target staging table exists: reference data loads first, so a fact is checked against it.</summary>
    private List<(ReferenceContract Reference, string Table)> ExistingReferences(DuckDBConnection connection, ExtractContract contract) =>
        contract.References
            .Select(r => (Reference: r, Target: contracts.Find(r.Extract)))
            .Where(r => r.Target is not null && TableExists(connection, "stg", r.Target.Extract))
            .Select(r => (r.Reference, r.Target!.StagingTable))
            .ToList();

    internal static void EnsureStagingTable(DuckDBConnection connection, ExtractContract contract) => EnsureTable(connection, contract, "stg");

    /// <summary>The contract's table in a schema (staging, or held replacements); a contract that gained a column adds it.</summary>
    internal static void EnsureTable(DuckDBConnection connection, ExtractContract contract, string schema)
    {
        var definitions = contract.Columns.Select(c => $"{c.Name} {SqlTypes.Normalise(c.Type)}");
        connection.Execute($"""
            create table if not exists {schema}.{contract.Extract} (
                {string.Join(", ", definitions)}, _load_id bigint not null, _business_date date not null, _line bigint)
            """);
        // schema evolution is a contract edit, not a migration
        var existing = connection.Query<string>(
            "select column_name from information_schema.columns where table_schema = $s and table_name = $t",
            new { s = schema, t = contract.Extract }).ToHashSet();
        foreach (var c in contract.Columns.Where(c => !existing.Contains(c.Name)))
        {
            connection.Execute($"alter table {schema}.{contract.Extract} add column {c.Name} {SqlTypes.Normalise(c.Type)}");
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
        if (header.Absent.Count > 0)
        {
            parts.Add($"optional column(s) {string.Join(", ", header.Absent)} not delivered, left empty");
        }
        return parts.Count == 0 ? "ok" : string.Join("; ", parts);
    }

    private FileLoadResult Audit(DuckDBConnection connection, Delivery d, string status, long read, long loaded, long rejected,
        long replaced, string message)
    {
        var loadId = connection.ExecuteScalar<long>("select nextval('meta.load_id_seq')");
        using (var tx = connection.BeginTransaction())
        {
            InsertAudit(connection, tx, loadId, d, status, read, loaded, rejected, replaced, message);
            tx.Commit();
        }
        _log.LogWarning("File {File} not loaded (load {LoadId}): {Status}", d.FileName, loadId, status);
        return new FileLoadResult(loadId, d.Extract, d.FileName, d.BusinessDate, status, read, loaded, rejected, message, d.Clock.Elapsed);
    }

    /// <remarks>
    /// The message is stored in English, as the command line prints it; the operations page words it in the reader's
    /// language from a catalogue of these sentences (Portal/Features/Operations/LoadMessageText.cs): a new or reworded
    /// message needs its pattern and texts there, or German and Chinese readers see it in English.
    /// </remarks>
    private static void InsertAudit(DuckDBConnection connection, DuckDBTransaction tx, long loadId, Delivery d, string status,
        long read, long loaded, long rejected, long replaced, string message)
    {
        connection.Execute("""
            insert into meta.load_audit (load_id, extract, file_name, file_path, business_date, delivery_seq, checksum,
                file_bytes, encoding, status, rows_read, rows_loaded, rows_rejected, replaced_rows, message,
                started_at, finished_at, duration_ms)
            values ($loadId, $extract, $fileName, $path, $businessDate, $sequence, $checksum, $bytes, $encoding, $status,
                $read, $loaded, $rejected, $replaced, $message, $started, now(), $ms)
            """, new
        {
            loadId, extract = d.Extract, fileName = d.FileName, path = d.Path, businessDate = d.BusinessDate?.ToDateTime(TimeOnly.MinValue),
            sequence = d.Sequence, checksum = d.Checksum, bytes = d.Bytes, encoding = d.Encoding, status, read, loaded, rejected,
            replaced, message, started = d.Started, ms = d.Clock.ElapsedMilliseconds,
        }, tx);
    }
}
