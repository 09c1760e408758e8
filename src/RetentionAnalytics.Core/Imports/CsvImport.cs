using System.Data.Common;
using System.Globalization;
using global::CsvHelper;
using Dapper;
using DuckDB.NET.Data;
using RetentionAnalytics.Core.Access;
using RetentionAnalytics.Core.Audit;
using RetentionAnalytics.Core.Refusals;
using RetentionAnalytics.Core.Warehouse;

namespace RetentionAnalytics.Core.Imports;

public sealed record ImportRejection(int RowNo, string Reason);

/// <summary>Rows in = accepted + rejected; each rejected row with its reason (row 1 = the first data row).</summary>
public sealed record ImportResult(long ImportId, int RowsIn, int Accepted, int Rejected, IReadOnlyList<ImportRejection> Rejections);

/// <summary>A file that cannot be read at all (no header, a required column missing): nothing is imported.</summary>
/// <summary>Why an uploaded CSV file is refused as a whole (texts: ImportRefusal_* in the portal's refusal resources).</summary>
public enum ImportRefusal { NoHeader, Empty, MissingColumns, TooManyRows }

public sealed class ImportFileException(ImportRefusal code, string message, params object[] args) : RefusalException(code, message, args);

/// <summary>One data row of a CSV file by column name (lowercase header), with its row number.</summary>
public sealed record CsvRow(int RowNo, IReadOnlyDictionary<string, string> Values)
{
    public string Get(string column) => Values.TryGetValue(column, out var v) ? v.Trim() : "";
}

/// <summary>
/// The shared mechanics of the portal's CSV imports (blacklist, handsets): CsvHelper reads a UTF-8 file (BOM or not,
/// comma or semicolon) with a header; the importer validates each row. The choice is <b>per row</b>: valid rows are
/// accepted, each invalid row is rejected with its reason, and the accepted rows are written in one transaction
/// (all of them or, on a database error, none). The run and its rejections are kept in ops.import_run /
/// ops.import_rejection; row contents are never logged or stored with a rejection.
/// </summary>
public static class CsvImport
{
    public const int MaxRows = 200_000;

    public static IReadOnlyList<CsvRow> Read(Stream stream, IReadOnlyList<string> requiredColumns)
    {
        // the separator (comma, semicolon, tab) is detected from the first lines; a UTF-8 BOM is skipped
        var options = new CsvReaderOptions { HasHeader = true, SkipEmptyLines = true };
        using var csv = global::CsvHelper.CsvReader.Create(stream, options, leaveOpen: true);
        string[] header;
        try
        {
            header = csv.Headers.Select(h => h.ToString()!.Trim().TrimStart('\uFEFF').ToLowerInvariant()).ToArray();
        }
        catch (CsvFormatException)
        {
            throw new ImportFileException(ImportRefusal.NoHeader, "the file has no readable header row");
        }
        if (header.Length == 0)
        {
            throw new ImportFileException(ImportRefusal.Empty, "the file is empty");
        }
        var missing = requiredColumns.Where(r => !header.Contains(r)).ToList();
        if (missing.Count > 0)
        {
            throw new ImportFileException(ImportRefusal.MissingColumns, $"missing column(s): {string.Join(", ", missing)}; expected {string.Join(",", requiredColumns)}",
                string.Join(", ", missing), string.Join(",", requiredColumns));
        }
        var rows = new List<CsvRow>();
        while (csv.Read())
        {
            if (rows.Count >= MaxRows)
            {
                throw new ImportFileException(ImportRefusal.TooManyRows, $"a file holds at most {MaxRows} rows", MaxRows);
            }
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i < header.Length; i++)
            {
                values[header[i]] = i < csv.FieldCount ? csv.GetString(i) : "";
            }
            rows.Add(new CsvRow(rows.Count + 1, values));
        }
        return rows;
    }

    /// <summary>The ids among <paramref name="subscriberIds"/> that are current subscribers in the scope.</summary>
    public static HashSet<string> KnownSubscribers(Db db, DuckDBConnection c, IEnumerable<string> subscriberIds, RegionScope scope)
    {
        var ids = subscriberIds.Where(s => s.Length > 0).Distinct().ToList();
        if (ids.Count == 0 || scope.IsEmpty)
        {
            return [];
        }
        var args = scope.AddTo(new DynamicParameters());
        args.Add("ids", string.Join(',', ids));
        return c.Query<string>(db.Sql.Get("imports/known_subscribers.sql"), args).ToHashSet();
    }

    /// <summary>
    /// Records the run and its rejections in the importer's transaction, on the connection that holds the imported
    /// rows (the warehouse file, or the operational data's PostgreSQL); returns the run's result.
    /// </summary>
    public static ImportResult Record(
        Db db, DbConnection c, System.Data.IDbTransaction tx, string kind, string fileName, int rowsIn,
        IReadOnlyList<ImportRejection> rejections, string username, DateTime now, long importId)
    {
        var sql = c is DuckDBConnection ? db.Sql.Get("imports/insert_import_run.sql") : db.Ops.Sql.Get("imports/insert_import_run.sql");
        c.Execute(sql, new
        {
            import_id = importId, kind, file_name = Path.GetFileName(fileName), rows_in = rowsIn,
            accepted = rowsIn - rejections.Count, rejected = rejections.Count, now, username,
        }, tx);
        OpsDb.Append(c, "ops", "import_rejection", ["import_id", "row_no", "reason"],
            rejections.Select(r => new object?[] { importId, r.RowNo, r.Reason }));
        return new ImportResult(importId, rowsIn, rowsIn - rejections.Count, rejections.Count, rejections);
    }

    public static void Audit(AuditLog audit, string username, string kind, ImportResult result) =>
        audit.Write(username, "import", $"{kind}:{result.ImportId}",
            detail: $"rows={result.RowsIn} accepted={result.Accepted} rejected={result.Rejected}");
}
