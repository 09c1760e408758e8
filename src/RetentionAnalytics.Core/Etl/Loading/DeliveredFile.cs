using System.Security.Cryptography;
using System.Text;
using Dapper;
using DuckDB.NET.Data;
using RetentionAnalytics.Core.Etl.Contracts;

namespace RetentionAnalytics.Core.Etl.Loading;

/// <summary>The delivered bytes on their way into DuckDB: checksum, transcoding, the raw text rows and their line numbers.</summary>
internal static class DeliveredFile
{
    /// <summary>
    /// One read of the delivered bytes gives the checksum (duplicate and conflict detection) and whether the quote
    /// character occurs at all: only then can a quoted field hold a line break, and line numbers need correcting.
    /// GBK and GB18030 never use the quote byte inside a character, so the answer holds after transcoding.
    /// </summary>
    public static (string Checksum, bool HasQuote) Inspect(string path, char quote)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 20];
        var hasQuote = false;
        int n;
        while ((n = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            hash.AppendData(buffer, 0, n);
            hasQuote = hasQuote || (quote != '\0' && buffer.AsSpan(0, n).Contains((byte)quote));
        }
        return (Convert.ToHexString(hash.GetHashAndReset()).ToLowerInvariant(), hasQuote);
    }

    /// <summary>
    /// DuckDB reads the file as text columns c0..cN; rows that do not parse (ragged, unterminated quotes, invalid
    /// UTF-8) go to its rejects table. Line numbers count records, header = 1, as DuckDB reports them.
    /// </summary>
    public static void ReadRaw(DuckDBConnection connection, ExtractContract contract, string readable, int fieldCount, char quote)
    {
        var columns = string.Join(", ", Enumerable.Range(0, fieldCount).Select(i => $"'c{i}': 'VARCHAR'"));
        var quoteArg = quote == '\0' ? "''" : ValidationSql.Lit(quote.ToString());
        connection.Execute("drop view if exists raw; drop table if exists raw1; drop table if exists raw_rejects; drop table if exists raw_scans; drop table if exists raw0;");
        var columnsArg = "{" + columns + "}";
        connection.Execute($"""
            create temp table raw0 as
            select * from read_csv($path, header = true, auto_detect = false, all_varchar = true, strict_mode = true,
                delim = {ValidationSql.Lit(contract.Delimiter)}, quote = {quoteArg}, escape = {quoteArg},
                ignore_errors = true, store_rejects = true, rejects_table = 'raw_rejects', rejects_scan = 'raw_scans',
                columns = {columnsArg})
            """, new { path = readable });

        // the i-th rejected record (1-based) sits after g = line - 2 - (i - 1) good records; a good record with
        // ordinal k therefore has line k + 2 + #(rejects with g <= k)
        connection.Execute("""
            create or replace temp table parse_rejects as
            select line, first(error_message order by column_idx) as reason, first(csv_line) as raw_line
            from raw_rejects group by line;
            create or replace temp table reject_gaps as
            select g, max(n) as n from (
                select line - 2 - (row_number() over (order by line) - 1) as g, row_number() over (order by line) as n
                from parse_rejects)
            group by g;
            """);
        if (connection.ExecuteScalar<long>("select count(*) from parse_rejects") == 0)
        {
            // the common case: every record parsed, so record k sits on line k + 2 and no copy is needed
            connection.Execute("create or replace temp view raw as select *, rowid + 2 as _line from raw0");
        }
        else
        {
            connection.Execute("""
                create or replace temp table raw1 as
                with good as (select rowid as k, * from raw0)
                select good.* exclude (k), good.k + 2 + coalesce(gaps.n, 0) as _line
                from good asof left join reject_gaps gaps on good.k >= gaps.g;
                create or replace temp view raw as select * from raw1;
                """);
        }
        connection.Execute("drop table reject_gaps; drop table if exists raw_rejects; drop table if exists raw_scans;");
        connection.Execute("update parse_rejects set reason = 'unparseable row: ' || reason");
    }

    /// <summary>
    /// Rejected rows name the line a person finds in an editor. DuckDB counts records; a quoted field with a line
    /// break makes the two differ, so the breaks of all earlier records are added. Only files with quotes can have them.
    /// </summary>
    public static void ToPhysicalLines(DuckDBConnection connection, int fieldCount)
    {
        var breaks = string.Join(" + ", Enumerable.Range(0, fieldCount).Select(i => $"coalesce(length(c{i}) - length(replace(c{i}, chr(10), '')), 0)"));
        connection.Execute($"""
            create or replace temp table line_breaks as
            select _line as record, n from (select _line, {breaks} as n from raw) where n > 0
            union all
            select line, length(raw_line) - length(replace(raw_line, chr(10), '')) from parse_rejects where contains(raw_line, chr(10))
            """);
        if (connection.ExecuteScalar<long>("select count(*) from line_breaks") == 0)
        {
            return;
        }
        connection.Execute("""
            update bad set _line = _record + (select coalesce(sum(n), 0) from line_breaks where record < bad._record);
            update parse_rejects set line = line + (select coalesce(sum(n), 0) from line_breaks where record < parse_rejects.line);
            drop table line_breaks;
            """);
    }

    /// <summary>GBK / GB18030 deliveries become a temporary UTF-8 copy that DuckDB's reader can take.</summary>
    public static string Transcode(string path, Encoding from, CancellationToken ct)
    {
        var target = Path.Combine(Path.GetTempPath(), $"ra-{Guid.NewGuid():N}.csv");
        using var reader = new StreamReader(path, from, detectEncodingFromByteOrderMarks: false, bufferSize: 1 << 20);
        using var writer = new StreamWriter(target, false, new UTF8Encoding(false), 1 << 20);
        var buffer = new char[1 << 20];
        int n;
        while ((n = reader.Read(buffer, 0, buffer.Length)) > 0)
        {
            ct.ThrowIfCancellationRequested();
            writer.Write(buffer, 0, n);
        }
        return target;
    }
}
