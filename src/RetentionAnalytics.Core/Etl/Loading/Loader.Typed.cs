using Dapper;
using DuckDB.NET.Data;
using Microsoft.Extensions.Logging;
using RetentionAnalytics.Core.Etl.Contracts;

namespace RetentionAnalytics.Core.Etl.Loading;

/// <summary>
/// Typed staging: DuckDB's reader types the fields (<see cref="TypedRead"/>), the checks run on the typed values, and
/// only the rows to reject are read again as text — for the reason and delivered text the text path would give them.
/// </summary>
public sealed partial class Loader
{
    /// <summary>Above this share of a file's rows (and at least this many rows) to reject, the text path is cheaper.</summary>
    private const double RereadShare = 0.1;
    private const int RereadMinimum = 10_000;

    /// <summary>
    /// A file through the typed read. A clean file goes in one pass: the checks run as the rows go into staging; the key
    /// check is the only other scan. A file with rows to reject (a value of the wrong type, a failed check, a second row
    /// of a key) stages its good rows in the same pass and reads only the rejected lines again as text. Null when the file
    /// must take the text path instead: the reader refused it, a record with rows to reject spans lines, it is held or
    /// has no row to stage, too many of its rows are rejected, or the text read of a rejected line does not find the
    /// reason the typed read found (nothing is kept then).
    /// </summary>
    private FileLoadResult? StageTyped(DuckDBConnection connection, ExtractContract contract, Delivery d, string readable, CsvHeader header,
        FieldChecks fieldChecks, TypedFields plan, FileInspection inspection, PreviousLoads previous, long loadId, char quote, CancellationToken ct)
    {
        if (!TypedRead.Read(connection, contract, readable, header, plan, quote, inspection.BlankLines))
        {
            return null;
        }
        d.Step("typed read");
        ct.ThrowIfCancellationRequested();
        connection.Execute("create or replace temp table bad (_record bigint, _line bigint, _reason varchar, _lines bigint)");
        var spansLines = false;
        if (inspection.HasQuote)
        {
            spansLines = DeliveredFile.ToPhysicalLines(connection, header.FieldCount, plan.Positions);
            DeliveredFile.SplitUnterminatedQuotes(connection, readable, inspection.Lines);
        }
        var counts = connection.QuerySingle<(long Good, long Unreadable, long Mistyped)>("""
            select (select count(*) from raw), (select count(*) from parse_rejects where not cast_error),
                   (select count(*) from parse_rejects where cast_error)
            """);
        if (counts.Good == 0)
        {
            TypedRead.Drop(connection);
            return null;
        }
        var businessDate = d.BusinessDate!.Value;
        var references = ExistingReferences(connection, contract);
        connection.Execute("create or replace temp view chk as " +
                           ValidationSql.CheckedSelect(contract, header, businessDate, references, fieldChecks, plan.Positions));
        d.Step("counts and references");
        Staged? staged;
        try
        {
            // a record that spans lines moves the lines away from the records (the reader's blank lines are counted)
            var linesAreRecords = !spansLines
                                  && counts.Good + counts.Unreadable + counts.Mistyped + 1 + inspection.BlankLines.Count + inspection.TrailingBlankLines
                                  == inspection.Lines;
            staged = Stage(connection, contract, d, readable, header, references, fieldChecks, previous, loadId, quote, counts.Good,
                counts.Unreadable, counts.Mistyped, spansLines, linesAreRecords);
        }
        catch (Exception ex) when (ex is DuckDBException or IOException or UnauthorizedAccessException && !d.Stop.IsCancellationRequested)
        {
            // the text path gives the same rows in any case: this file costs a second read, nothing else. Only the type is
            // logged: a database message can quote a delivered value
            _log.LogWarning("Typed staging of {File} fell back to the text path after {ExceptionType}", d.FileName, ex.GetType().Name);
            staged = null;
        }
        TypedRead.Drop(connection);
        d.Step("drop");
        if (staged is null)
        {
            return null;
        }
        AfterLoad(connection, contract, d, loadId, businessDate);
        d.Step("quality");
        _log.LogDebug("Steps of {File}: {Steps}", d.FileName, d.Steps);
        _log.LogInformation("Loaded {File} as load {LoadId} through the typed read: {Loaded} loaded, {Rejected} rejected, {Replaced} replaced in {Ms} ms",
            d.FileName, loadId, staged.RowsLoaded, staged.RowsRejected, staged.Replaced, d.Clock.ElapsedMilliseconds);
        return new FileLoadResult(loadId, contract.Extract, d.FileName, businessDate, "loaded", staged.RowsRead, staged.RowsLoaded,
            staged.RowsRejected, staged.Message, d.Clock.Elapsed) { Typed = true };
    }

    private sealed record Staged(long RowsRead, long RowsLoaded, long RowsRejected, long Replaced, string Message);

    /// <summary>
    /// The key check comes first (one count over the keys, which usually finds none shared; else the later rows of a key,
    /// among the rows that pass the checks, are marked), then one pass stages the rows that pass every check and are no
    /// later row of a key; a clean file is done then. Otherwise the failing rows are found in a second scan, and only
    /// the rejected lines are copied out of the file and read as text, for the reason and delivered text the text path
    /// gives them. Null, with nothing kept (rolled back), when the file has to take the text path.
    /// </summary>
    private Staged? Stage(DuckDBConnection connection, ExtractContract contract, Delivery d, string readable, CsvHeader header,
        IReadOnlyList<(ReferenceContract Reference, string Table)> references, FieldChecks fieldChecks, PreviousLoads previous, long loadId, char quote, long good, long unreadable, long mistyped,
        bool spansLines, bool linesAreRecords)
    {
        var date = d.BusinessDate!.Value.ToDateTime(TimeOnly.MinValue);
        var targetColumns = string.Join(", ", contract.Columns.Select(c => c.Name));
        using var tx = connection.BeginTransaction();
        var replaced = connection.Execute($"delete from {contract.StagingTable} where {PreviousLoads.ReplacedRows}", new { date, kept = previous.KeptLoadIds }, tx);
        d.Step("delete");
        // the later rows of a key are found before the insert and left out of it (rows deleted again in the transaction that
        // inserted them would make its commit write them all once more); the checks' failures are found first for that
        var checksFound = false;
        long duplicates = 0;
        if (MayShareKeys(connection, contract, header.Positions))
        {
            FindFailures(connection, tx);
            checksFound = true;
            duplicates = MarkDuplicateKeys(connection, contract, "null::bigint", spansLines);
        }
        d.Step("key check");
        // with the rows to reject marked, the checks need not run again for the insert
        var inserted = connection.Execute($"""
            insert into {contract.StagingTable} ({targetColumns}, _load_id, _business_date, _line)
            select {targetColumns}, $loadId, $date, _physical from {DeliveredFile.Checked(spansLines)}
            where {(checksFound ? "not exists (select 1 from bad where bad._record = chk._line)" : "_reason is null")}
            """, new { loadId, date }, tx);
        d.Step("insert");
        if (inserted == good && duplicates == 0 && mistyped == 0)
        {
            if (previous.Current.Count > 0 && HoldVerdict(contract, good + unreadable, unreadable, previous) is not null)
            {
                return null;
            }
            connection.Execute("""
                insert into meta.rejected_row (load_id, extract, file_name, line_number, reason, raw_line)
                select $loadId, $extract, $fileName, line, reason, raw_line from parse_rejects
                """, new { loadId, extract = contract.Extract, fileName = d.FileName }, tx);
            return Commit(connection, tx, d, header, previous, loadId, good + unreadable, inserted, unreadable, replaced);
        }
        // the rejected lines are found in the file by their number
        if (!linesAreRecords)
        {
            return null;
        }

        // the rows to reject: the checks' failures, and the later rows of a key among the rows that passed them (in bad already)
        if (!checksFound)
        {
            FindFailures(connection, tx);
        }
        var failing = connection.ExecuteScalar<long>("select count(*) from bad", transaction: tx);
        var read = good + unreadable + mistyped;
        var rejected = failing + unreadable + mistyped;
        // the text path instead: too many lines to read again, no row to stage, or a replacement to hold for review
        if (inserted != good - failing || failing + mistyped > Math.Max(RereadMinimum, read * RereadShare) || inserted == 0
            || (previous.Current.Count > 0 && HoldVerdict(contract, read, rejected, previous) is not null))
        {
            return null;
        }
        var lines = connection.Query<long>("select _line::bigint from bad union all select line::bigint from parse_rejects where cast_error order by 1",
            transaction: tx).ToList();
        var copy = Path.Combine(Path.GetTempPath(), $"ra-reread-{Guid.NewGuid():N}.csv");
        try
        {
            if (!DeliveredFile.CopyLines(readable, lines, contract.Delimiter, copy))
            {
                return null;
            }
            // the typed read's tables make way for the text read of the rejected lines
            connection.Execute("""
                drop view chk;
                alter table bad rename to typed_bad;
                alter table parse_rejects rename to typed_rejects;
                """, transaction: tx);
            if (!RereadRejected(connection, contract, header, d.BusinessDate.Value, references, fieldChecks, copy, quote, lines.Count, tx))
            {
                return null;
            }
            // a reread line is one record: the delivered text of each is its line of the file
            DeliveredFile.KeepDeliveredText(connection, readable, "reread", tx);
            connection.Execute(db.Sql.Get("loading/insert_reread_rejected_rows.sql"), new { loadId, extract = contract.Extract, fileName = d.FileName }, tx);
            return Commit(connection, tx, d, header, previous, loadId, read, inserted, rejected, replaced);
        }
        finally
        {
            File.Delete(copy);
        }
    }

    /// <summary>The rows that fail a check into <c>bad</c>, their lines into <c>check_lines</c>.</summary>
    private static void FindFailures(DuckDBConnection connection, DuckDBTransaction tx) =>
        connection.Execute("""
            insert into bad select _line, _line, _reason, null from chk where _reason is not null;
            create or replace temp table check_lines as select _line from bad;
            """, transaction: tx);

    private Staged Commit(DuckDBConnection connection, DuckDBTransaction tx, Delivery d, CsvHeader header, PreviousLoads previous, long loadId,
        long read, long loaded, long rejected, long replaced)
    {
        var message = WithParts(Summary(header, rejected, replaced), previous);
        foreach (var replacedLoad in previous.Current.Select(p => p.LoadId))
        {
            connection.Execute("update meta.load_audit set status = 'superseded', message = 'replaced by load ' || $loadId " +
                               "where load_id = $replacedLoad", new { loadId, replacedLoad }, tx);
        }
        InsertAudit(connection, tx, loadId, d, "loaded", read, loaded, rejected, replaced, message);
        d.Step("rejects and audit");
        d.Commit(tx);
        d.Step("commit");
        return new Staged(read, loaded, rejected, replaced, message);
    }

    /// <summary>
    /// The rejected lines, read as text and checked as the text path checks them, into <c>reread</c> (line, reason,
    /// lines spanned). False when they do not read back one record per line, or a line the checks failed, or the reader
    /// could not type, has no reason as text: the typed and the text read disagree, and the file takes the text path.
    /// </summary>
    private static bool RereadRejected(DuckDBConnection connection, ExtractContract contract, CsvHeader header, DateOnly businessDate,
        IReadOnlyList<(ReferenceContract Reference, string Table)> references, FieldChecks fieldChecks, string copy, char quote, int expected,
        DuckDBTransaction tx)
    {
        try
        {
            DeliveredFile.ReadRaw(connection, contract, copy, header.FieldCount + 1, quote, []);
        }
        catch (FileRefusedException)
        {
            return false;
        }
        var delivered = $"c{header.FieldCount}";
        connection.Execute($"create or replace temp view raw as select * exclude ({delivered}), cast({delivered} as bigint) as _line from raw0",
            transaction: tx);
        if (connection.ExecuteScalar<long>("select count(*) from raw", transaction: tx) != expected
            || connection.ExecuteScalar<long>("select count(*) from parse_rejects", transaction: tx) > 0)
        {
            return false;
        }
        var checkedSql = ValidationSql.CheckedSelect(contract, header, businessDate, references, fieldChecks);
        connection.Execute($"""
            create or replace temp table reread as
            select _line, _reason, 1 as _lines from ({checkedSql})
            """, transaction: tx);
        // a line is either a later row of a key (no reason of its own) or has the reason the text path gives it
        return connection.ExecuteScalar<long>("""
            select count(*) from reread r
            where (r._reason is null) <> (r._line in (select _line from typed_bad) and r._line not in (select _line from check_lines))
            """, transaction: tx) == 0;
    }
}
