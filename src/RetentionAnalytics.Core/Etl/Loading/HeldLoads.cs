using Dapper;
using RetentionAnalytics.Core.Etl.Contracts;
using RetentionAnalytics.Core.Etl.Quality;
using RetentionAnalytics.Core.Warehouse;

namespace RetentionAnalytics.Core.Etl.Loading;

/// <summary>A replacement held for review, as the Operations page and <c>ra status</c> list it.</summary>
public sealed record HeldLoad(long LoadId, string Extract, string FileName, DateOnly? BusinessDate, string Status, long RowsRead,
    long RowsLoaded, long RowsRejected, long DurationMs, string? Message);

/// <summary>How a release or discard ended.</summary>
public sealed record HeldOutcome(bool Done, string Message, long ReplacedRows = 0);

/// <summary>
/// Replacements the loader held back because they rejected too many rows. Their good rows wait in
/// <c>hold.&lt;extract&gt;</c>; a person releases them (they replace the business date, as the load would have) or
/// discards them (the loaded data stays). Either way the audit row says who decided and when.
/// </summary>
public sealed class HeldLoads(Db db, ContractCatalog contracts, QualityChecks quality)
{
    public const string Schema = "hold";

    public IReadOnlyList<HeldLoad> List()
    {
        using var c = db.Connect();
        return c.Query<HeldLoad>(db.Sql.Get("cli/status_held.sql")).ToList();
    }

    public HeldOutcome Release(long loadId, string decidedBy)
    {
        using var c = db.Connect();
        if (Find(c, loadId) is not { } held)
        {
            return new HeldOutcome(false, $"load {loadId} is not held for review");
        }
        if (contracts.Find(held.Extract) is not { } contract)
        {
            return new HeldOutcome(false, $"load {loadId}: no valid contract for extract {held.Extract}; fix it (ra check) before releasing");
        }
        var day = held.BusinessDate!.Value;
        var date = day.ToDateTime(TimeOnly.MinValue);
        // a held part replaces its own part of the date (or every part of another split); the other parts of its split stay
        var loaded = c.Query<(long LoadId, string FileName)>("""
            select load_id, file_name from meta.load_audit
            where extract = $extract and business_date = $date and status = 'loaded'
            """, new { extract = held.Extract, date }).ToList();
        var kept = loaded.Where(l => !contract.Replaces(held.FileName, l.FileName)).Select(l => l.LoadId).ToList();
        var replacedLoads = loaded.Where(l => contract.Replaces(held.FileName, l.FileName)).Select(l => l.LoadId).ToList();
        var newer = replacedLoads.Where(id => id > loadId).Select(id => (long?)id).Max();
        if (newer is { } n)
        {
            return new HeldOutcome(false, $"load {loadId} cannot be released: load {n} has replaced {date:yyyy-MM-dd} since; discard it instead");
        }
        Loader.EnsureTable(c, contract, "stg");
        Loader.EnsureTable(c, contract, Schema);
        // keys stay unique across the parts of a date: a part loaded while this one was held may have staged one of its keys
        if (kept.Count > 0 && contract.Keys.Count > 0 && SharedKey(c, contract, loadId, kept) is { } shared)
        {
            return new HeldOutcome(false,
                $"load {loadId} cannot be released: {shared.Rows:N0} of its row(s) have a key another part of {date:yyyy-MM-dd} has loaded " +
                $"since it was held (first: {shared.Key} in {shared.FileName}); discard it and deliver the part again");
        }
        var columns = string.Join(", ", contract.Columns.Select(col => col.Name).Append("_load_id").Append("_business_date").Append("_line"));
        long replaced;
        using (var tx = c.BeginTransaction())
        {
            replaced = c.Execute($"delete from {contract.StagingTable} where _business_date = $date and _load_id not in $kept",
                new { date, kept = kept.ToArray() }, tx);
            var moved = c.Execute($"insert into {contract.StagingTable} ({columns}) select {columns} from {Schema}.{contract.Extract} where _load_id = $loadId",
                new { loadId }, tx);
            c.Execute($"delete from {Schema}.{contract.Extract} where _load_id = $loadId", new { loadId }, tx);
            foreach (var replacedLoad in replacedLoads)
            {
                c.Execute("update meta.load_audit set status = 'superseded', message = 'replaced by load ' || $loadId where load_id = $replacedLoad",
                    new { loadId, replacedLoad }, tx);
            }
            c.Execute("""
                update meta.load_audit
                set status = 'loaded', rows_loaded = $moved, replaced_rows = $replaced,
                    message = 'released by ' || $decidedBy || ' at ' || strftime(now(), '%Y-%m-%d %H:%M') || ' after review; ' || message
                where load_id = $loadId
                """, new { loadId, moved, replaced, decidedBy }, tx);
            tx.Commit();
        }
        quality.AfterLoad(c, contract, loadId, day);
        return new HeldOutcome(true, $"load {loadId} released: {held.FileName} replaces {date:yyyy-MM-dd} ({replaced:N0} row(s) replaced)", replaced);
    }

    public HeldOutcome Discard(long loadId, string decidedBy)
    {
        using var c = db.Connect();
        if (Find(c, loadId) is not { } held)
        {
            return new HeldOutcome(false, $"load {loadId} is not held for review");
        }
        using var tx = c.BeginTransaction();
        if (Loader.TableExists(c, Schema, held.Extract))
        {
            c.Execute($"delete from {Schema}.{held.Extract} where _load_id = $loadId", new { loadId }, tx);
        }
        c.Execute("""
            update meta.load_audit
            set status = 'discarded', rows_loaded = 0,
                message = 'discarded by ' || $decidedBy || ' at ' || strftime(now(), '%Y-%m-%d %H:%M') || ' after review, with '
                          || rows_loaded || ' row(s) that passed the checks; ' || message
            where load_id = $loadId
            """, new { loadId, decidedBy }, tx);
        tx.Commit();
        return new HeldOutcome(true, $"load {loadId} discarded: the loaded data of {held.BusinessDate:yyyy-MM-dd} stays");
    }

    /// <summary>The held rows whose key a loaded other part of the date has staged: how many, and the first of them.</summary>
    private static (long Rows, string Key, string FileName)? SharedKey(DuckDB.NET.Data.DuckDBConnection c, ExtractContract contract, long loadId,
        IReadOnlyList<long> kept)
    {
        var keys = string.Join(", ", contract.Keys);
        var keyText = string.Join(" || ', ' || ", contract.Keys.Select(k => $"'{k}=' || coalesce(h.{k}::varchar, '')"));
        var hits = c.Query<(long Rows, string Key, string FileName)>($"""
            select count(*) over () as rows, {keyText} as key, audit.file_name
            from {Schema}.{contract.Extract} as h
            join (select {keys}, min(_load_id) as _load_id from {contract.StagingTable} where _load_id in $kept group by all) as other
              using ({keys})
            join meta.load_audit as audit on audit.load_id = other._load_id
            where h._load_id = $loadId
            order by h._line
            limit 1
            """, new { loadId, kept = kept.ToArray() }).ToList();
        return hits.Count == 0 ? null : hits[0];
    }

    private HeldLoad? Find(DuckDB.NET.Data.DuckDBConnection c, long loadId) =>
        c.Query<HeldLoad>(db.Sql.Get("cli/status_held.sql")).FirstOrDefault(h => h.LoadId == loadId);
}
