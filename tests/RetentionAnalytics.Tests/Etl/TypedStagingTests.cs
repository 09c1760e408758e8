using RetentionAnalytics.Core.Etl.Contracts;
using RetentionAnalytics.Core.Etl.Loading;
using RetentionAnalytics.Tests.Support;

namespace RetentionAnalytics.Tests.Etl;

/// <summary>
/// A clean file is staged through DuckDB's typed read in one pass, and so is a file whose only rejects are records the
/// reader cannot split. A file with values to reject stays on the typed read too, and reads only its rejected lines again
/// as text. Either way staging holds the same rows as the text path, and every rejected row keeps its line, reason and
/// delivered text.
/// </summary>
public sealed class TypedStagingTests
{
    // typed by the reader: amount, units, bill_month (the first date format), paid_at; text: the status map and allowed
    // values, the second date format, the yes/no column, the varchar key
    private const string Yaml = """
        extract: tbill
        file_pattern: '^tbill_(?<date>\d{8})(?:_(?<seq>\d+))?\.csv$'
        date_format: yyyyMMdd
        encoding: utf-8
        delimiter: ','
        keys: [subscriber_id, bill_month]
        columns:
          - { name: bill_month, source: BILL_MONTH, type: date, required: true, format: '%Y%m' }
          - { name: subscriber_id, source: SUBS_ID, type: varchar, required: true }
          - { name: amount, source: AMOUNT, type: 'decimal(12,2)', required: true, min: 0 }
          - { name: units, source: UNITS, type: bigint, min: 0 }
          - { name: ratio, source: RATIO, type: double }
          - { name: due_date, source: DUE_DATE, type: date, format: '%Y-%m-%d' }
          - { name: paid_at, source: PAID_AT, type: timestamp, format: '%Y-%m-%d %H:%M:%S' }
          - { name: status, source: STATUS, type: varchar, map: { P: paid, O: open }, allowed: [paid, open] }
          - { name: autopay, source: AUTOPAY, type: boolean }
        """;

    private const string Header = "BILL_MONTH,SUBS_ID,AMOUNT,UNITS,RATIO,DUE_DATE,PAID_AT,STATUS,AUTOPAY";

    private static readonly string[] CleanRows =
    [
        "202610,S1,58.00,3,0.25,2026-11-15,2026-11-02 08:30:00,P,yes",
        "202610, S2 ,18.5,0,,2026-11-15,,O,no",
        "202610,S3,0,12345678901,-1.5e3,,2026-11-03 23:59:59,P,",
        "202610,S4,\"1234.00\",7,3,2026-11-16,2026-11-04 00:00:01,O,yes",
        "202610,S5,99.99,,0,2026-11-15,2026-11-05 12:00:00,P,no",
        "202609,S1,12.34,1,1,2026-10-15,2026-10-02 08:30:00,P,yes",
    ];

    private static ContractCatalog Catalog() => new([ContractCatalog.Parse(Yaml)]);

    private static string Write(TestWarehouse w, string name, IEnumerable<string> rows)
    {
        var file = Path.Combine(w.Inbox(), name);
        File.WriteAllText(file, string.Join("\n", rows.Prepend(Header)) + "\n");
        return file;
    }

    private static List<string> Staged(TestWarehouse w) => w.Query<string>(
        "select concat_ws('|', " +
        string.Join(", ", "bill_month subscriber_id amount units ratio due_date paid_at status autopay _business_date _line".Split(' ')
            .Select(c => $"coalesce(cast({c} as varchar), '-')")) +
        ") from stg.tbill order by _line");

    private static List<string> Quality(TestWarehouse w) => w.Query<string>(
        "select check_name || '|' || coalesce(column_name, '') || '|' || status || '|' || failing_rows from meta.dq_result order by all");

    private static List<string> Rejected(TestWarehouse w) => w.Query<string>(
        "select line_number || '|' || reason || '|' || raw_line from meta.rejected_row order by line_number");

    private static (TestWarehouse Typed, TestWarehouse Text, FileLoadResult TypedResult, FileLoadResult TextResult) LoadBoth(IEnumerable<string> rows)
    {
        var typed = new TestWarehouse(Catalog());
        var text = new TestWarehouse(Catalog());
        var textLoader = new Loader(text.Db, text.Contracts, text.Quality) { TypedReads = false };
        var list = rows.ToList();
        return (typed, text, typed.Loader.LoadFile(Write(typed, "tbill_20261031.csv", list)),
            textLoader.LoadFile(Write(text, "tbill_20261031.csv", list)));
    }

    [Fact]
    public void The_typed_read_and_the_text_path_stage_the_same_table_for_a_clean_file()
    {
        var (typed, text, typedResult, textResult) = LoadBoth(CleanRows);
        using (typed)
        using (text)
        {
            Assert.True(typedResult.Typed);
            Assert.False(textResult.Typed);
            Assert.Equal(("loaded", 6L, 6L, 0L), (typedResult.Status, typedResult.RowsRead, typedResult.RowsLoaded, typedResult.RowsRejected));
            Assert.Equal((textResult.Status, textResult.RowsRead, textResult.RowsLoaded, textResult.RowsRejected, textResult.Message),
                (typedResult.Status, typedResult.RowsRead, typedResult.RowsLoaded, typedResult.RowsRejected, typedResult.Message));
            var staged = Staged(typed);
            Assert.Equal(Staged(text), staged);
            Assert.Equal(6, staged.Count);
            Assert.Contains("2026-10-01|S2|18.50|0|-|2026-11-15|-|open|false|2026-10-31|3", staged);
            Assert.Contains("2026-10-01|S4|1234.00|7|3.0|2026-11-16|2026-11-04 00:00:01|open|true|2026-10-31|5", staged);
            Assert.Empty(Rejected(typed));
            Assert.Equal(
                text.Query<string>("select check_name || '|' || coalesce(column_name, '') || '|' || status || '|' || failing_rows from meta.dq_result order by all"),
                typed.Query<string>("select check_name || '|' || coalesce(column_name, '') || '|' || status || '|' || failing_rows from meta.dq_result order by all"));
        }
    }

    [Theory]
    [InlineData(4, "202610,S3,zero,1,1,2026-11-15,,P,yes", "amount: 'zero' is not a valid decimal(12,2)")]
    [InlineData(3, "202610,S2,18.50,1,1,2026-11-15,2026-11-31 08:00:00,O,no", "paid_at: '2026-11-31 08:00:00' is not a valid timestamp (%Y-%m-%d %H:%M:%S)")]
    [InlineData(6, "202610,S5,-2.00,1,1,2026-11-15,,P,no", "amount: '-2.00' is below the minimum 0")]
    [InlineData(5, "202610,S1,7.00,1,1,2026-11-15,,P,no", "duplicate key subscriber_id=S1, bill_month=2026-10-01 (first at line 2)")]
    [InlineData(2, "202610,S1,58.00,3,0.25,2026-11-15,2026-11-02 08:30:00,X,yes", "status: 'X' is not one of paid, open")]
    public void A_file_with_one_bad_row_stays_on_the_typed_read_and_rejects_exactly_that_row_as_the_text_path_does(int line, string bad, string reason)
    {
        var rows = CleanRows.ToList();
        rows[line - 2] = bad;
        var (typed, text, typedResult, textResult) = LoadBoth(rows);
        using (typed)
        using (text)
        {
            Assert.True(typedResult.Typed);
            Assert.False(textResult.Typed);
            Assert.Equal(("loaded", 6L, 5L, 1L), (typedResult.Status, typedResult.RowsRead, typedResult.RowsLoaded, typedResult.RowsRejected));
            Assert.Equal([$"{line}|{reason}|{bad}"], Rejected(typed));
            Assert.Equal(Rejected(text), Rejected(typed));
            Assert.Equal(Staged(text), Staged(typed));
            Assert.DoesNotContain(Staged(typed), s => s.EndsWith($"|{line}", StringComparison.Ordinal));
            // the abandoned typed attempt leaves nothing behind: one audit row, and load ids stay consecutive
            Assert.Equal([1L], typed.Query<long>("select load_id from meta.load_audit"));
        }
    }

    [Fact]
    public void Rejects_of_every_kind_in_one_file_are_those_of_the_text_path_and_the_good_rows_are_staged()
    {
        string[] rows =
        [
            "202610,S1,58.00,3,0.25,2026-11-15,2026-11-02 08:30:00,P,yes",
            "202610,S2,zero,1,1,2026-11-15,,P,yes",                              // not a decimal: the reader cannot type it
            "202610,S3,12.00,1,1,2026-11-15,2026-11-31 08:00:00,O,no",          // not a timestamp
            "202610,S4,-2.00,1,1,2026-11-15,,P,no",                             // below the minimum
            "202610,S1,7.00,1,1,2026-11-15,,P,no",                              // a second row of a key
            "202610,S5,18.5",                                                   // ragged
            "202610,S6,18.5,x,1,2026-11-15,,Q,maybe",                           // several reasons in one row
            "202610,S7,\"=1+1\",2,0.5,2026-11-16,2026-11-04 00:00:01,O,yes",
            "202610,,1.00,1,1,2026-11-15,,P,no",                                // a required value missing
            "202610,S8,3.00,4,1,2026-11-15,2026-11-05 12:00:00,P,no",
        ];
        var (typed, text, typedResult, textResult) = LoadBoth(rows);
        using (typed)
        using (text)
        {
            Assert.True(typedResult.Typed);
            Assert.Equal((textResult.Status, textResult.RowsRead, textResult.RowsLoaded, textResult.RowsRejected, textResult.Message),
                (typedResult.Status, typedResult.RowsRead, typedResult.RowsLoaded, typedResult.RowsRejected, typedResult.Message));
            Assert.Equal(("loaded", 10L, 2L, 8L), (typedResult.Status, typedResult.RowsRead, typedResult.RowsLoaded, typedResult.RowsRejected));
            var rejected = Rejected(typed);
            Assert.Equal(Rejected(text), rejected);
            Assert.Equal([3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L], typed.Query<long>("select line_number from meta.rejected_row order by 1"));
            Assert.Contains("6|duplicate key subscriber_id=S1, bill_month=2026-10-01 (first at line 2)|202610,S1,7.00,1,1,2026-11-15,,P,no", rejected);
            Assert.Equal(Staged(text), Staged(typed));
            Assert.Equal(["S1", "S8"], typed.Query<string>("select subscriber_id from stg.tbill order by 1"));
            Assert.Equal(Quality(text), Quality(typed));
        }
    }

    [Theory]
    [InlineData("\r\n", true)]
    [InlineData("\n", false)]
    public void Rejected_lines_keep_their_text_and_line_whatever_the_line_ends_and_at_the_end_of_a_file_without_a_last_break(string newline, bool lastBreak)
    {
        var rows = CleanRows.ToList();
        rows[1] = "202610,S2,18.50,1,1,2026-11-15,2026-11-31 08:00:00,O,no";
        rows[^1] = "202609,S1,-12.34,1,1,2026-10-15,2026-10-02 08:30:00,P,yes";
        string Write(TestWarehouse w)
        {
            var file = Path.Combine(w.Inbox(), "tbill_20261031.csv");
            File.WriteAllText(file, string.Join(newline, rows.Prepend(Header)) + (lastBreak ? newline : ""));
            return file;
        }
        using var typed = new TestWarehouse(Catalog());
        using var text = new TestWarehouse(Catalog());
        var typedResult = typed.Loader.LoadFile(Write(typed));
        var textResult = new Loader(text.Db, text.Contracts, text.Quality) { TypedReads = false }.LoadFile(Write(text));

        Assert.True(typedResult.Typed);
        Assert.Equal(("loaded", 6L, 4L, 2L), (typedResult.Status, typedResult.RowsRead, typedResult.RowsLoaded, typedResult.RowsRejected));
        Assert.Equal(Rejected(text), Rejected(typed));
        Assert.Equal(
            ["3|paid_at: '2026-11-31 08:00:00' is not a valid timestamp (%Y-%m-%d %H:%M:%S)|202610,S2,18.50,1,1,2026-11-15,2026-11-31 08:00:00,O,no",
             "7|amount: '-12.34' is below the minimum 0|202609,S1,-12.34,1,1,2026-10-15,2026-10-02 08:30:00,P,yes"],
            Rejected(typed));
        Assert.Equal(Staged(text), Staged(typed));
    }

    [Theory]
    [InlineData("\n", false)]
    [InlineData("\r\n", false)]
    [InlineData("\n", true)]
    [InlineData("\r\n", true)]
    public void Rows_below_blank_lines_keep_the_line_a_person_finds_them_on(string newline, bool spanning)
    {
        // the reader skips blank lines (not those inside a quoted field, and a quote inside a field opens none): every
        // row below one, loaded or rejected, still names its own line; a file whose records do not span lines stays on
        // the typed read
        string[] rows =
        [
            "",
            "202610,S1,58.00,3,0.25,2026-11-15,2026-11-02 08:30:00,P,yes",
            "202610,S7\" x,1.00,1,1,2026-11-15,,P,no",
            "",
            "",
            "202610,S2,18.50,1,1,2026-11-15",
            spanning ? $"202610,S3,0,1,1,,2026-11-03 23:59:59,\"P{newline}{newline}P\"," : "202610,S3,0,1,1,,2026-11-03 23:59:59,X,",
            "",
            "202610,S4,-1.00,7,3,2026-11-16,2026-11-04 00:00:01,O,yes",
            "202610,S5,99.99,,0,2026-11-15,2026-11-05 12:00:00,P,no",
            "202610,S1,7.00,1,1,2026-11-15,,P,no",
            "",
            "202609,S6,12.34,1,1,2026-10-15,2026-10-02 08:30:00,P,yes",
            "",
        ];
        string Write(TestWarehouse w)
        {
            var file = Path.Combine(w.Inbox(), "tbill_20261031.csv");
            File.WriteAllText(file, string.Join(newline, rows.Prepend(Header)) + newline);
            return file;
        }
        using var typed = new TestWarehouse(Catalog());
        using var text = new TestWarehouse(Catalog());
        var typedResult = typed.Loader.LoadFile(Write(typed));
        var textResult = new Loader(text.Db, text.Contracts, text.Quality) { TypedReads = false }.LoadFile(Write(text));
        var lines = File.ReadAllText(Write(new TestWarehouse(Catalog()))).Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        long LineOf(string subscriber, string start) =>
            Array.FindIndex(lines, l => l.StartsWith(start) && l.Split(',')[1] == subscriber) + 1;

        Assert.Equal(!spanning, typedResult.Typed);
        Assert.Equal(("loaded", 8L, 4L, 4L), (typedResult.Status, typedResult.RowsRead, typedResult.RowsLoaded, typedResult.RowsRejected));
        foreach (var w in new[] { typed, text })
        {
            var rejected = w.Query<(long Line, string Reason, string Raw)>(
                "select line_number, reason, raw_line from meta.rejected_row order by line_number").ToList();
            Assert.Equal([LineOf("S2", "202610"), LineOf("S3", "202610"), LineOf("S4", "202610"), LineOf("S1", "202610,S1,7.00")],
                rejected.Select(r => r.Line));
            // a rejected record keeps its text as delivered, quotes and all, and every line of a record that spans lines
            Assert.All(rejected, r => Assert.Equal(lines[r.Line - 1], r.Raw.Split('\n')[0]));
            if (spanning)
            {
                Assert.Equal("202610,S3,0,1,1,,2026-11-03 23:59:59,\"P\n\nP\",", rejected[1].Raw);
            }
            Assert.Contains($"(first at line {LineOf("S1", "202610,S1,58.00")})", rejected[^1].Reason);
            var staged = w.Query<(string Subscriber, long Line)>("select subscriber_id, _line from stg.tbill order by _line").ToList();
            Assert.Equal(["S1", "S7\" x", "S5", "S6"], staged.Select(r => r.Subscriber));
            Assert.All(staged, r => Assert.Equal(r.Subscriber, lines[r.Line - 1].Split(',')[1]));
        }
        Assert.Equal(Rejected(text), Rejected(typed));
        Assert.Equal(Staged(text), Staged(typed));
    }

    [Fact]
    public void A_file_whose_records_span_lines_and_has_a_row_to_reject_takes_the_text_path_with_the_same_result()
    {
        var rows = CleanRows.ToList();
        rows[0] = "202610,S1,58.00,3,0.25,2026-11-15,2026-11-02 08:30:00,\"P\nP\",yes";
        rows[3] = "202610,S4,-1.00,7,3,2026-11-16,2026-11-04 00:00:01,O,yes";
        using var typed = LoadsAsTheTextPathDoes(rows, typedRead: false);
        Assert.Equal([1L], typed.Query<long>("select load_id from meta.load_audit"));
    }

    [Fact]
    public void Later_rows_of_a_plain_text_key_are_rejected_on_the_typed_read_as_on_the_text_path_and_a_failed_row_does_not_claim_its_key()
    {
        const string yaml = """
            extract: tsub
            file_pattern: '^tsub_(?<date>\d{8})\.csv$'
            date_format: yyyyMMdd
            encoding: utf-8
            delimiter: ','
            keys: [subscriber_id]
            columns:
              - { name: subscriber_id, source: SUBS_ID, type: varchar, required: true }
              - { name: plan, source: PLAN, type: varchar, allowed: [A, B] }
              - { name: fee, source: FEE, type: 'decimal(8,2)', min: 0 }
            """;
        string[] rows =
        [
            "SUBS_ID,PLAN,FEE",
            "S1,A,10.00",
            "S2,B,12.50",
            " S1 ,B,3.00",  // a later row of S1 (keys are trimmed)
            "S3,X,1.00",    // fails a check: does not claim S3
            "S3,A,2.00",    // the first good row of S3
            "S4,A,-1.00",   // fails a check
            "S2,A,4.00",    // a later row of S2
        ];
        using var typed = new TestWarehouse(new ContractCatalog([ContractCatalog.Parse(yaml)]));
        using var text = new TestWarehouse(new ContractCatalog([ContractCatalog.Parse(yaml)]));
        var typedFile = Path.Combine(typed.Inbox(), "tsub_20261031.csv");
        var textFile = Path.Combine(text.Inbox(), "tsub_20261031.csv");
        File.WriteAllText(typedFile, string.Join("\n", rows) + "\n");
        File.WriteAllText(textFile, string.Join("\n", rows) + "\n");

        var typedResult = typed.Loader.LoadFile(typedFile);
        var textResult = new Loader(text.Db, text.Contracts, text.Quality) { TypedReads = false }.LoadFile(textFile);

        Assert.True(typedResult.Typed);
        Assert.Equal(("loaded", 7L, 3L, 4L), (typedResult.Status, typedResult.RowsRead, typedResult.RowsLoaded, typedResult.RowsRejected));
        Assert.Equal((textResult.RowsRead, textResult.RowsLoaded, textResult.RowsRejected, textResult.Message),
            (typedResult.RowsRead, typedResult.RowsLoaded, typedResult.RowsRejected, typedResult.Message));
        const string rejectedSql = "select line_number || '|' || reason || '|' || raw_line from meta.rejected_row order by line_number";
        var rejected = typed.Query<string>(rejectedSql);
        Assert.Equal(text.Query<string>(rejectedSql), rejected);
        Assert.Equal("4|duplicate key subscriber_id=S1 (first at line 2)| S1 ,B,3.00", rejected[0]);
        Assert.Equal("8|duplicate key subscriber_id=S2 (first at line 3)|S2,A,4.00", rejected[3]);
        const string stagedSql = "select subscriber_id || '|' || plan || '|' || fee || '|' || _line from stg.tsub order by _line";
        Assert.Equal(["S1|A|10.00|2", "S2|B|12.50|3", "S3|A|2.00|6"], typed.Query<string>(stagedSql));
        Assert.Equal(text.Query<string>(stagedSql), typed.Query<string>(stagedSql));
    }

    /// <summary>
    /// Loads the rows on both paths and asserts the same counts, message, rejected rows and staged table, and which path the
    /// typed loader took; the typed loader's warehouse is returned for further assertions (the caller disposes it).
    /// </summary>
    private static TestWarehouse LoadsAsTheTextPathDoes(IEnumerable<string> rows, bool typedRead)
    {
        var (typed, text, typedResult, textResult) = LoadBoth(rows);
        using (text)
        {
            Assert.Equal(typedRead, typedResult.Typed);
            Assert.Equal((textResult.RowsRead, textResult.RowsLoaded, textResult.RowsRejected, textResult.Message),
                (typedResult.RowsRead, typedResult.RowsLoaded, typedResult.RowsRejected, typedResult.Message));
            Assert.Equal(Rejected(text), Rejected(typed));
            Assert.Equal(Staged(text), Staged(typed));
        }
        return typed;
    }

    [Theory]
    [InlineData(3, "202610,S2,18.50,1,1,2026-11-15", "Expected Number of Columns: 9 Found: 6")]
    [InlineData(6, "202610,S5,99.99,,0,2026-11-15,2026-11-05 12:00:00,P,no,surplus", "Expected Number of Columns: 9 Found: 10")]
    public void A_ragged_record_is_rejected_by_the_typed_read_as_on_the_text_path(int line, string bad, string reason)
    {
        var rows = CleanRows.ToList();
        rows[line - 2] = bad;
        var (typed, text, typedResult, textResult) = LoadBoth(rows);
        using (typed)
        using (text)
        {
            Assert.True(typedResult.Typed);
            Assert.Equal(("loaded", 6L, 5L, 1L), (typedResult.Status, typedResult.RowsRead, typedResult.RowsLoaded, typedResult.RowsRejected));
            Assert.Equal((textResult.RowsRead, textResult.RowsLoaded, textResult.RowsRejected, textResult.Message),
                (typedResult.RowsRead, typedResult.RowsLoaded, typedResult.RowsRejected, typedResult.Message));
            var rejected = Assert.Single(Rejected(typed));
            Assert.StartsWith($"{line}|unparseable row: {reason}", rejected);
            Assert.EndsWith($"|{bad}", rejected);
            Assert.Equal(Rejected(text), Rejected(typed));
            Assert.Equal(Staged(text), Staged(typed));
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Ragged_records_of_a_file_with_CR_LF_line_ends_keep_their_own_line_and_text(bool typedReads)
    {
        using var w = new TestWarehouse(Catalog());
        var rows = CleanRows.ToList();
        rows[1] = "202610,S2";
        rows[3] = "202610,S4,1,2";
        var file = Path.Combine(w.Inbox(), "tbill_20261031.csv");
        File.WriteAllText(file, string.Join("\r\n", rows.Prepend(Header)) + "\r\n");
        var result = new Loader(w.Db, w.Contracts, w.Quality) { TypedReads = typedReads }.LoadFile(file);

        Assert.Equal(("loaded", 6L, 4L, 2L), (result.Status, result.RowsRead, result.RowsLoaded, result.RowsRejected));
        Assert.Equal(["3|202610,S2", "5|202610,S4,1,2"], w.Query<string>("select line_number || '|' || raw_line from meta.rejected_row order by 1"));
        Assert.Equal([2L, 4L, 6L, 7L], w.Query<long>("select _line from stg.tbill order by 1"));
    }

    [Fact]
    public void A_clean_redelivery_through_the_typed_read_replaces_its_business_date_and_reloading_it_adds_nothing()
    {
        using var w = new TestWarehouse(Catalog());
        var first = w.Loader.LoadFile(Write(w, "tbill_20261031.csv", CleanRows));
        var second = w.Loader.LoadFile(Write(w, "tbill_20261031_2.csv", CleanRows.Take(4)));
        var again = w.Loader.LoadFile(Path.Combine(w.Inbox(), "tbill_20261031_2.csv"));

        Assert.True(first.Typed && second.Typed);
        Assert.Equal(("loaded", 4L), (second.Status, second.RowsLoaded));
        Assert.Contains("replaced 6 row(s)", second.Message);
        Assert.Equal("duplicate", again.Status);
        Assert.Equal(4, w.Scalar<long>("select count(*) from stg.tbill"));
        Assert.Equal(["superseded", "loaded", "duplicate"], w.Query<string>("select status from meta.load_audit order by load_id"));
    }

    [Fact]
    public void Staged_rows_are_numbered_past_the_records_the_reader_rejected_and_the_rows_that_failed_a_check()
    {
        // records the reader rejects (ragged, not a number) and rows that fail a check, above, between and below the good
        // rows: every staged row keeps its line, as on the text path
        string[] rows =
        [
            "202610,S1,1.00,1,1,2026-11-15,,P,yes",
            "202610,S2,18.5",                                   // ragged
            "202610,S3,zero,1,1,2026-11-15,,P,yes",             // not a decimal
            "202610,S4,4.00,1,1,2026-11-15,,P,yes",
            "202610,S5,-5.00,1,1,2026-11-15,,P,yes",            // below the minimum
            "202610,S6,6.00,1,1,2026-11-15,,P,yes",
            "202610,S7,7.00,1,1,2026-11-15,,P,yes,surplus",     // ragged
            "202610,S8,8.00,1,1,2026-11-15,,X,yes",             // not an allowed status
            "202610,S9,9.00,1,1,2026-11-15,,P,yes",
            "202610,S10,oops,1,1,2026-11-15,,P,yes",            // not a decimal
        ];
        using var typed = LoadsAsTheTextPathDoes(rows, typedRead: true);
        Assert.Equal(["S1|2", "S4|5", "S6|7", "S9|10"], typed.Query<string>("select subscriber_id || '|' || _line from stg.tbill order by _line"));
        Assert.Equal([3L, 4L, 6L, 8L, 9L, 11L], typed.Query<long>("select line_number from meta.rejected_row order by 1"));
        Assert.Equal([(10L, 4L, 6L)], typed.Query<(long, long, long)>("select rows_read, rows_loaded, rows_rejected from meta.load_audit"));
    }

    [Fact]
    public void Keys_that_differ_as_delivered_but_are_one_key_once_trimmed_reject_the_later_row_as_the_text_path_does()
    {
        // the keys as delivered are distinct; the staged keys are not: the later row is rejected and does not replace the first
        var rows = CleanRows.ToList();
        rows[4] = "202610, S1 ,99.99,,0,2026-11-15,2026-11-05 12:00:00,P,no";
        using var typed = LoadsAsTheTextPathDoes(rows, typedRead: true);
        Assert.Equal(["6|duplicate key subscriber_id=S1, bill_month=2026-10-01 (first at line 2)|202610, S1 ,99.99,,0,2026-11-15,2026-11-05 12:00:00,P,no"],
            Rejected(typed));
        Assert.Equal([1L], typed.Query<long>("select load_id from meta.load_audit"));
    }
}
