using System.Globalization;
using System.Text;
using Dapper;
using DuckDB.NET.Data;
using RetentionAnalytics.Core.Etl.Contracts;

namespace RetentionAnalytics.Core.Etl.Loading;

/// <summary>A file refused as a whole, with the reason its audit row keeps.</summary>
internal sealed class FileRefusedException(string reason) : Exception(reason);

/// <summary>The delivered bytes on their way into DuckDB: transcoding, the raw text rows and their line numbers.</summary>
internal static class DeliveredFile
{
    /// <summary>Rejected rows keep at most this much of their delivered line (a 1 MiB field is evidence enough in its first 16 KiB).</summary>
    public const int RawLineLimit = 16 * 1024;

    /// <summary>
    /// DuckDB reads the file as text columns c0..cN; rows that do not parse (ragged, unterminated quotes, invalid
    /// UTF-8, over-long lines) go to its rejects table. Line numbers count records and blank lines, header = 1, as DuckDB
    /// numbers its rejects; the reader skips <paramref name="blankLines"/> (<see cref="FileInspection.BlankLines"/>), so
    /// the rows it reads are numbered past them. A file the reader cannot read at all is refused with DuckDB's reason.
    /// With <paramref name="typed"/>, the reader types those fields itself; a value it cannot parse is a rejected record
    /// marked <c>cast_error</c>.
    /// </summary>
    public static void ReadRaw(DuckDBConnection connection, ExtractContract contract, string readable, int fieldCount, char quote,
        IReadOnlyList<long> blankLines, TypedFields? typed = null)
    {
        var columns = string.Join(", ", Enumerable.Range(0, fieldCount).Select(i => $"'c{i}': '{typed?.Types[i] ?? "VARCHAR"}'"));
        var quoteArg = quote == '\0' ? "''" : ValidationSql.Lit(quote.ToString());
        var types = typed is null
            ? "all_varchar = true"
            : "all_varchar = false" + (typed.DateFormat is { } df ? $", dateformat = {ValidationSql.Lit(df)}" : "")
              + (typed.TimestampFormat is { } tf ? $", timestampformat = {ValidationSql.Lit(tf)}" : "");
        connection.Execute("drop view if exists raw; drop table if exists raw1; drop table if exists raw_rejects; drop table if exists raw_scans; drop table if exists raw0;");
        var columnsArg = "{" + columns + "}";
        try
        {
            connection.Execute($"""
                create temp table raw0 as
                select * from read_csv($path, header = true, auto_detect = false, {types}, strict_mode = true,
                    delim = {ValidationSql.Lit(contract.Delimiter)}, quote = {quoteArg}, escape = {quoteArg},
                    ignore_errors = true, store_rejects = true, rejects_table = 'raw_rejects', rejects_scan = 'raw_scans',
                    columns = {columnsArg})
                """, new { path = readable });
        }
        catch (DuckDBException ex)
        {
            var first = ex.Message.Split('\n', 2)[0].Trim();
            throw new FileRefusedException($"the file cannot be read as CSV with delimiter '{contract.Delimiter}' and quote '{contract.Quote}': {first}");
        }

        // The j-th blank line (1-based) at line b follows h = b - 2 - (j - 1) lines that hold a record; the i-th rejected
        // record at line r follows g = r - 2 - (i - 1) - #(blank lines above r) good records. A good record with ordinal k
        // is therefore the m-th record, m = k + #(rejects with g <= k), on line m + 2 + #(blank lines with h <= m).
        // In a file with CR LF line ends the reader's text of a rejected record starts with the LF that ended the line
        // before (and one for each blank line above it): that is not part of the record
        // a file read as one field gets a blank line as a row with no value, not skipped
        blankLines = fieldCount == 1 ? [] : blankLines;
        connection.Execute("create or replace temp table blank_lines (b bigint)");
        using (var appender = connection.CreateAppender("blank_lines"))
        {
            foreach (var line in blankLines)
            {
                appender.CreateRow().AppendValue(line).EndRow();
            }
        }
        connection.Execute($"""
            create or replace temp table parse_rejects as
            select line, min(line_byte_position) as byte_position, bool_or(error_type::varchar = 'UNQUOTED VALUE') as unterminated,
                   bool_or(error_type::varchar = 'CAST') as cast_error,
                   first(error_message order by column_idx) as reason,
                   left(ltrim(first(csv_line), chr(13) || chr(10)), {RawLineLimit}) as raw_line
            from raw_rejects group by line;
            create or replace temp table reject_gaps as
            select g, max(n) as n from (
                select r.line - 2 - (r.n - 1) - coalesce(above.k, 0) as g, r.n
                from (select line, row_number() over (order by line) as n from parse_rejects) as r
                asof left join (select b, row_number() over (order by b) as k from blank_lines) as above on r.line > above.b)
            group by g;
            create or replace temp table blank_gaps as
            select h, max(n) as n from (
                select b - 2 - (row_number() over (order by b) - 1) as h, row_number() over (order by b) as n from blank_lines)
            group by h;
            """);
        if (blankLines.Count == 0 && connection.ExecuteScalar<long>("select count(*) from parse_rejects") == 0)
        {
            // the common case: every record parsed and no line is blank, so record k sits on line k + 2 and no copy is needed
            connection.Execute("create or replace temp view raw as select *, rowid + 2 as _line from raw0");
        }
        else
        {
            connection.Execute("""
                create or replace temp table raw1 as
                with good as (select rowid as k, * from raw0),
                records as (select good.* exclude (k), good.k + coalesce(gaps.n, 0) as _m
                            from good asof left join reject_gaps gaps on good.k >= gaps.g)
                select records.* exclude (_m), records._m + 2 + coalesce(blanks.n, 0) as _line
                from records asof left join blank_gaps blanks on records._m >= blanks.h;
                create or replace temp view raw as select * from raw1;
                """);
        }
        connection.Execute("drop table reject_gaps; drop table blank_gaps; drop table blank_lines; drop table if exists raw_rejects; drop table if exists raw_scans;");
        connection.Execute("""
            update parse_rejects set reason = case
                when unterminated then 'unterminated quote: the quoted field that starts on this line is never closed'
                when reason like 'Maximum line size%' then 'unparseable row: the line is longer than the reader''s limit of 2,000,000 bytes'
                else 'unparseable row: ' || reason end
            """);
    }

    /// <summary>
    /// Rejected rows name the line a person finds in an editor. DuckDB counts records; a quoted field with a line
    /// break makes the two differ, so the breaks of all earlier records are added. Only files with quotes can have them.
    /// True when a record spans more than one line: the breaks above each record are kept in <c>line_shift</c> for the
    /// staged rows' lines (<see cref="Checked"/>).
    /// </summary>
    public static bool ToPhysicalLines(DuckDBConnection connection, int fieldCount, IReadOnlySet<int>? typedFields = null)
    {
        var breaks = LineBreaks(fieldCount, typedFields);
        connection.Execute($"""
            create or replace temp table line_breaks as
            select _line as record, n from (select _line, {breaks} as n from raw) where n > 0
            union all
            select line, length(raw_line) - length(replace(raw_line, chr(10), '')) from parse_rejects where contains(raw_line, chr(10))
            """);
        if (connection.ExecuteScalar<long>("select count(*) from line_breaks") == 0)
        {
            connection.Execute("drop table line_breaks");
            return false;
        }
        // the breaks of the records up to each one; a record is moved by those of the records above it
        connection.Execute("""
            create or replace temp table line_shift as select record, sum(n) over (order by record) as lines from line_breaks;
            drop table line_breaks;
            update bad set _line = moved.line
            from (select bad._record, bad._record + coalesce(shift.lines, 0) as line
                  from bad asof left join line_shift as shift on bad._record > shift.record) as moved
            where bad._record = moved._record;
            update parse_rejects set line = moved.line
            from (select p.line as record, p.line + coalesce(shift.lines, 0) as line
                  from parse_rejects as p asof left join line_shift as shift on p.line > shift.record) as moved
            where parse_rejects.line = moved.record;
            """);
        return true;
    }

    /// <summary>The line breaks inside a raw row's fields, as SQL; a typed field holds none, so only text fields are counted.</summary>
    public static string LineBreaks(int fieldCount, IReadOnlySet<int>? typedFields = null) =>
        string.Join(" + ", Enumerable.Range(0, fieldCount).Where(i => typedFields?.Contains(i) != true)
            .Select(i => $"coalesce(length(c{i}) - length(replace(c{i}, chr(10), '')), 0)").DefaultIfEmpty("0"));

    /// <summary>
    /// The text of rejected records as delivered — quotes, delimiters and line breaks inside quoted fields included — into
    /// <c>delivered_text</c> (line, text): the lines <c>_line</c> to <c>_line + _lines - 1</c> of each row of
    /// <paramref name="rejected"/>, read from the file (the UTF-8 copy of a transcoded one), at most its first 16 KiB.
    /// </summary>
    public static void KeepDeliveredText(DuckDBConnection connection, string readable, string rejected, DuckDBTransaction? tx = null)
    {
        var wanted = connection.Query<(long Line, long Lines)>(
            $"select _line, max(coalesce(_lines, 1)) from {rejected} where _line is not null group by _line order by _line", transaction: tx).ToList();
        connection.Execute("create or replace temp table delivered_text (line bigint, raw_line varchar)", transaction: tx);
        if (wanted.Count == 0)
        {
            return;
        }
        using var appender = connection.CreateAppender("delivered_text");
        using var input = new FileStream(readable, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        var buffer = new byte[1 << 20];
        var record = new MemoryStream();
        var byteLimit = RawLineLimit * 4; // enough bytes for 16 KiB of characters in any UTF-8
        long line = 1;
        var next = 0;
        void EndLine(bool last)
        {
            var (start, lines) = wanted[next];
            // a CRLF line ends without its carriage return
            if (line >= start && record.Length > 0 && record.GetBuffer()[record.Length - 1] == (byte)'\r')
            {
                record.SetLength(record.Length - 1);
            }
            if (line >= start && (line == start + Math.Max(lines, 1) - 1 || last))
            {
                var text = Encoding.UTF8.GetString(record.GetBuffer(), 0, (int)record.Length);
                appender.CreateRow().AppendValue(start).AppendValue(text.Length > RawLineLimit ? text[..RawLineLimit] : text).EndRow();
                record.SetLength(0);
                next++;
            }
            else if (line >= start && record.Length < byteLimit)
            {
                // a record that spans lines keeps its line breaks
                record.WriteByte((byte)'\n');
            }
            line++;
        }
        int n;
        while (next < wanted.Count && (n = input.Read(buffer, 0, buffer.Length)) > 0)
        {
            var span = buffer.AsSpan(0, n);
            while (span.Length > 0 && next < wanted.Count)
            {
                var end = span.IndexOf((byte)'\n');
                var part = end < 0 ? span : span[..end];
                if (line >= wanted[next].Line && record.Length < byteLimit)
                {
                    record.Write(part[..(int)Math.Min(part.Length, byteLimit - record.Length)]);
                }
                if (end < 0)
                {
                    break;
                }
                EndLine(last: false);
                span = span[(end + 1)..];
            }
        }
        if (next < wanted.Count && line >= wanted[next].Line)
        {
            EndLine(last: true); // the last line without its line break
        }
    }

    /// <summary>
    /// The checked rows (<c>chk</c>) with the line each starts on, <c>_physical</c>: past the line breaks inside the
    /// records above it when records span lines (<see cref="ToPhysicalLines"/>).
    /// </summary>
    public static string Checked(bool spansLines) => spansLines
        ? "(select chk.*, chk._line + coalesce(shift.lines, 0) as _physical from chk asof left join line_shift as shift on chk._line > shift.record) as chk"
        : "(select *, _line as _physical from chk) as chk";

    /// <summary>
    /// Copies the header and the given lines (1-based, ascending, header excluded) of a UTF-8 file into a new file, each
    /// line followed by one more field: its line number in the delivered file. Bytes are copied as delivered, so the
    /// reader splits them as it split the original. False when a line is not in the file.
    /// </summary>
    public static bool CopyLines(string path, IReadOnlyList<long> lines, string delimiter, string target)
    {
        var separator = Encoding.UTF8.GetBytes(delimiter);
        using var input = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        // the lines are delivered data: readable by this process's user only
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None, BufferSize = 1 << 16 };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        using var output = new FileStream(target, options);
        var buffer = new byte[1 << 20];
        var current = new MemoryStream();
        long line = 1;
        var next = 0;
        var keep = true; // the header
        int n;
        void EndLine()
        {
            if (keep)
            {
                var bytes = current.GetBuffer().AsSpan(0, (int)current.Length);
                if (bytes.Length > 0 && bytes[^1] == (byte)'\r')
                {
                    bytes = bytes[..^1];
                }
                output.Write(bytes);
                output.Write(separator);
                output.Write(Encoding.ASCII.GetBytes(line == 1 ? "_delivered_line" : line.ToString(CultureInfo.InvariantCulture)));
                output.WriteByte((byte)'\n');
                if (line > 1)
                {
                    next++;
                }
            }
            current.SetLength(0);
            line++;
            keep = next < lines.Count && lines[next] == line;
        }
        while (next < lines.Count && (n = input.Read(buffer, 0, buffer.Length)) > 0)
        {
            var span = buffer.AsSpan(0, n);
            while (span.Length > 0 && next < lines.Count)
            {
                var end = span.IndexOf((byte)'\n');
                if (end < 0)
                {
                    if (keep)
                    {
                        current.Write(span);
                    }
                    break;
                }
                if (keep)
                {
                    current.Write(span[..end]);
                }
                EndLine();
                span = span[(end + 1)..];
            }
        }
        if (keep && current.Length > 0)
        {
            EndLine(); // a last line without its line break
        }
        return next == lines.Count;
    }

    /// <summary>
    /// A quote that never closes swallows the rest of the file into one field: DuckDB reports one bad record. Every
    /// line it swallowed is a row the sender meant, so each is kept as rejected with its own line number and text —
    /// rows in = rows loaded + rows rejected, counted in lines a person sees.
    /// </summary>
    public static void SplitUnterminatedQuotes(DuckDBConnection connection, string readable, long fileLines)
    {
        var open = connection.Query<(long Line, long BytePosition)>(
            "select line, byte_position from parse_rejects where unterminated order by line").ToList();
        if (open.Count == 0)
        {
            return;
        }
        // only the last record of a file can run to its end; an unterminated quote further up was closed by a later
        // quote, and DuckDB's own record boundaries stand
        var lastGood = connection.ExecuteScalar<long?>("select max(_line) from raw") ?? 0;
        var (line, position) = open[^1];
        if (lastGood > line || connection.ExecuteScalar<long>("select count(*) from parse_rejects where line > $line", new { line }) > 0)
        {
            return;
        }
        var start = PhysicalLineAt(readable, position);
        connection.Execute("update parse_rejects set line = $start, raw_line = $text where line = $line",
            new { start, line, text = LineText(readable, start) });
        connection.Execute("create or replace temp table swallowed (line bigint, reason varchar, raw_line varchar)");
        using (var appender = connection.CreateAppender("swallowed"))
        {
            var reason = $"unterminated quote: this line is inside the quoted field opened on line {start}, which is never closed";
            foreach (var (number, text) in Lines(readable, start + 1, fileLines))
            {
                if (!string.IsNullOrWhiteSpace(text))
                {
                    appender.CreateRow().AppendValue(number).AppendValue(reason).AppendValue(text).EndRow();
                }
            }
        }
        connection.Execute("""
            insert into parse_rejects (line, byte_position, unterminated, cast_error, reason, raw_line)
            select line, null, true, false, reason, raw_line from swallowed;
            drop table swallowed;
            """);
    }

    /// <summary>The 1-based line a byte offset of the file is on.</summary>
    private static long PhysicalLineAt(string path, long bytePosition)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        var buffer = new byte[1 << 20];
        long line = 1, read = 0;
        int n;
        while (read < bytePosition && (n = stream.Read(buffer, 0, (int)Math.Min(buffer.Length, bytePosition - read))) > 0)
        {
            line += buffer.AsSpan(0, n).Count((byte)'\n');
            read += n;
        }
        return line;
    }

    private static string LineText(string path, long line) => Lines(path, line, line).Select(l => l.Text).FirstOrDefault() ?? "";

    private static IEnumerable<(long Number, string Text)> Lines(string path, long from, long to)
    {
        using var reader = new StreamReader(path, new UTF8Encoding(false, false), detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
        long number = 0;
        while (number < to && reader.ReadLine() is { } text)
        {
            number++;
            if (number >= from)
            {
                yield return (number, text.Length > RawLineLimit ? text[..RawLineLimit] : text);
            }
        }
    }

    /// <summary>
    /// GBK / GB18030 deliveries become a temporary UTF-8 copy that DuckDB's reader can take. Bytes that are not
    /// GB18030 become U+FFFD, counted, so that the rows holding them are rejected instead of loaded garbled.
    /// </summary>
    public static (string Path, long Replaced) Transcode(string path, Encoding from, CancellationToken ct)
    {
        var target = Path.Combine(Path.GetTempPath(), $"ra-{Guid.NewGuid():N}.csv");
        var strict = (Encoding)from.Clone();
        strict.DecoderFallback = new DecoderReplacementFallback("\uFFFD");
        using var reader = new StreamReader(path, strict, detectEncodingFromByteOrderMarks: false, bufferSize: 1 << 20);
        using var writer = new StreamWriter(target, false, new UTF8Encoding(false), 1 << 20);
        var buffer = new char[1 << 20];
        long replaced = 0;
        int n;
        while ((n = reader.Read(buffer, 0, buffer.Length)) > 0)
        {
            ct.ThrowIfCancellationRequested();
            replaced += buffer.AsSpan(0, n).Count('\uFFFD');
            writer.Write(buffer, 0, n);
        }
        return (target, replaced);
    }
}
