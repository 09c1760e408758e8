using System.Text;
using RetentionAnalytics.Tests.Support;

namespace RetentionAnalytics.Tests.Etl;

/// <summary>
/// The malformed-delivery corpus: every file ends with rows read = rows loaded + rows rejected, and every
/// rejected row is kept with its line number and a reason a data engineer can act on.
/// </summary>
public sealed class MalformedFileTests
{
    private const string H = SubscriberContract.Header;

    public sealed record Case(string Name, byte[] Bytes, string Status, int Loaded, int Rejected, string? Reason = null, long? Line = null, string Encoding = "utf-8")
    {
        public override string ToString() => Name;
    }

    private static byte[] U(string s) => new UTF8Encoding(false).GetBytes(s);

    public static TheoryData<Case> Corpus()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var gbk = Encoding.GetEncoding(936);
        return new TheoryData<Case>
        {
            new("clean file", U($"{H}\nS1,Li,A,2024-01-05,3,58.00,1\nS2,Wang,S,2023-03-01,0,18.50,0\n"), "loaded", 2, 0),
            new("too few fields", U($"{H}\nS1,Li,A,2024-01-05,3,58.00,1\nS2,Wang,S\nS3,Zhao,A,2022-01-01,1,8,0\n"), "loaded", 2, 1, "Expected Number of Columns", 3),
            new("too many fields", U($"{H}\nS1,Li,A,2024-01-05,3,58.00,1,surplus\nS2,Wang,S,2023-03-01,0,18.50,0\n"), "loaded", 1, 1, "Expected Number of Columns", 2),
            new("unterminated quote", U($"{H}\nS1,Li,A,2024-01-05,3,58.00,1\nS2,\"Wang,S,2023-03-01,0,18.50,0\nS3,Zhao,A,2022-01-01,1,8,0\n"), "loaded", 1, 2, "unterminated quote", 4),
            new("newline inside quotes", U($"{H}\nS1,\"Li\nSecond line\",A,2024-01-05,3,58.00,1\nS2,Wang,S,2023-03-01,0,18.50,0\n"), "loaded", 2, 0),
            new("bad date", U($"{H}\nS1,Li,A,2024-13-45,3,58.00,1\nS2,Wang,S,2023-03-01,0,18.50,0\n"), "loaded", 1, 1, "activation_date: '2024-13-45' is not a valid date", 2),
            new("empty file", [], "rejected", 0, 0, "empty file"),
            new("header only", U($"{H}\n"), "rejected", 0, 0, "no data rows"),
            new("renamed column via alias", U("SUBSCRIBER_ID,CUST_NAME,STATUS,ACTIVATE_DATE,STAR_LEVEL,MONTHLY_FEE,IS_5G\nS1,Li,A,2024-01-05,3,58.00,1\n"), "loaded", 1, 0),
            new("reordered columns", U("STATUS,SUBS_ID,ACTIVATE_DATE,CUST_NAME,IS_5G,MONTHLY_FEE,STAR_LEVEL\nA,S1,2024-01-05,Li,1,58.00,3\n"), "loaded", 1, 0),
            new("required column missing from header", U("SUBS_ID,CUST_NAME,STATUS\nS1,Li,A\nS2,Wang,S\n"), "rejected", 0, 2, "lacks required column(s) ACTIVATE_DATE", 2),
            new("duplicate key", U($"{H}\nS1,Li,A,2024-01-05,3,58.00,1\nS1,Li2,A,2024-01-05,3,58.00,1\nS2,Wang,S,2023-03-01,0,18.50,0\n"), "loaded", 2, 1, "duplicate key subscriber_id=S1 (first at line 2)", 3),
            new("truncated last row", U($"{H}\nS1,Li,A,2024-01-05,3,58.00,1\nS2,Wang,S,2023-0"), "loaded", 1, 1, "Expected Number of Columns", 3),
            new("GBK bytes declared as UTF-8", [.. U($"{H}\nS1,"), .. gbk.GetBytes("李雷"), .. U(",A,2024-01-05,3,58.00,1\nS2,Wang,S,2023-03-01,0,18.50,0\n")], "rejected", 0, 0, "is not UTF-8 as its contract says"),
            new("unknown status code", U($"{H}\nS1,Li,X,2024-01-05,3,58.00,1\n"), "rejected", 0, 1, "status: 'X' is not one of active, suspended, churned", 2),
            new("value above maximum", U($"{H}\nS1,Li,A,2024-01-05,9,58.00,1\n"), "rejected", 0, 1, "star_level: '9' is above the maximum 7", 2),
            new("missing required value", U($"{H}\n,Li,A,2024-01-05,3,58.00,1\nS2,Wang,S,2023-03-01,0,18.50,0\n"), "loaded", 1, 1, "missing required subscriber_id", 2),
            new("not a number", U($"{H}\nS1,Li,A,2024-01-05,3,fifty,1\n"), "rejected", 0, 1, "monthly_fee: 'fifty' is not a valid decimal(10,2)", 2),
            new("unknown yes/no value", U($"{H}\nS1,Li,A,2024-01-05,3,58.00,maybe\n"), "rejected", 0, 1, "is_5g: 'maybe' is not a known yes/no value", 2),
            new("CRLF line endings", U($"{H}\r\nS1,Li,A,2024-01-05,3,58.00,1\r\nS2,Wang,S,2023-03-01,0,18.50,0\r\n"), "loaded", 2, 0),
            new("UTF-8 with BOM and padded header", U($"\uFEFF SUBS_ID , CUST_NAME,STATUS,ACTIVATE_DATE,STAR_LEVEL,MONTHLY_FEE,IS_5G\nS1,Li,A,2024-01-05,3,58.00,1\n"), "loaded", 1, 0),
            new("unknown extra column is ignored", U($"{H},REMARK\nS1,Li,A,2024-01-05,3,58.00,1,hello\n"), "loaded", 1, 0),
            new("duplicate header names", U("SUBS_ID,SUBS_ID,STATUS,ACTIVATE_DATE\nS1,S1,A,2024-01-05\n"), "rejected", 0, 1, "header names column SUBS_ID twice", 2),
            new("GBK file declared as GBK", [.. gbk.GetBytes($"{H}\r\nS1,李雷,A,2024-01-05,3,58.00,1\r\n")], "loaded", 1, 0, Encoding: "gbk"),
            new("several errors in one row", U($"{H}\nS1,Li,X,2024-02-30,11,58.00,1\n"), "rejected", 0, 1, "status: 'X' is not one of active, suspended, churned; activation_date", 2),
        };
    }

    [Theory]
    [MemberData(nameof(Corpus))]
    public void Every_row_is_loaded_or_rejected_with_a_reason(Case c)
    {
        using var w = new TestWarehouse(SubscriberContract.Catalog(c.Encoding));
        var file = Path.Combine(w.Inbox(), "tsub_20261031.csv");
        File.WriteAllBytes(file, c.Bytes);

        var result = w.Loader.LoadFile(file);

        Assert.Equal(c.Status, result.Status);
        Assert.Equal(c.Loaded, result.RowsLoaded);
        Assert.Equal(c.Rejected, result.RowsRejected);
        Assert.Equal(result.RowsRead, result.RowsLoaded + result.RowsRejected);

        var staged = w.Scalar<long>("select count(*) from information_schema.tables where table_schema = 'stg' and table_name = 'tsub'") == 0
            ? 0
            : w.Scalar<long>("select count(*) from stg.tsub");
        Assert.Equal(c.Loaded, staged);
        var rejects = w.Query<(long? Line, string Reason)>("select line_number, reason from meta.rejected_row order by line_number");
        Assert.Equal(c.Rejected, rejects.Count);
        var audit = w.Query<(long Read, long Loaded, long Rejected, string Status, string Message)>(
            "select rows_read, rows_loaded, rows_rejected, status, message from meta.load_audit").Single();
        Assert.Equal((result.RowsRead, result.RowsLoaded, result.RowsRejected, result.Status), (audit.Read, audit.Loaded, audit.Rejected, audit.Status));
        if (c.Reason is not null)
        {
            var text = string.Join(" | ", rejects.Select(r => r.Reason).Append(audit.Message));
            Assert.Contains(c.Reason, text, StringComparison.OrdinalIgnoreCase);
        }
        if (c.Line is not null)
        {
            Assert.Contains(c.Line, rejects.Select(r => r.Line));
        }
    }

    [Fact]
    public void Values_are_typed_mapped_and_keep_their_line()
    {
        using var w = new TestWarehouse(SubscriberContract.Catalog("gbk"));
        var file = Path.Combine(w.Inbox(), "tsub_20261031.csv");
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        File.WriteAllBytes(file, Encoding.GetEncoding(936).GetBytes($"{H}\r\nS1,李雷,S,2024-01-05,3,58.50,1\r\nS2,\"韩, 梅梅\",C,2023-03-01,,18.00,0\r\n"));

        w.Loader.LoadFile(file);

        var rows = w.Query<(string Id, string Name, string Status, DateTime Activation, int? Star, decimal Fee, bool Is5g, long Line, DateTime BusinessDate)>(
            "select subscriber_id, customer_name, status, activation_date, star_level, monthly_fee, is_5g, _line, _business_date from stg.tsub order by _line");
        Assert.Equal(("S1", "李雷", "suspended", new DateTime(2024, 1, 5), (int?)3, 58.50m, true, 2L, new DateTime(2026, 10, 31)), rows[0]);
        Assert.Equal(("S2", "韩, 梅梅", "churned", new DateTime(2023, 3, 1), (int?)null, 18.00m, false, 3L, new DateTime(2026, 10, 31)), rows[1]);
    }

    [Fact]
    public void Line_numbers_stay_right_after_unparseable_rows()
    {
        using var w = new TestWarehouse(SubscriberContract.Catalog());
        var file = Path.Combine(w.Inbox(), "tsub_20261031.csv");
        File.WriteAllText(file, $"{H}\nS1,Li,A,2024-01-05,3,58.00,1\nbroken\nalso,broken\nS4,Wu,A,2024-13-01,3,58.00,1\nS5,Xu,A,2024-01-05,3,58.00,1\n");

        w.Loader.LoadFile(file);

        Assert.Equal([2L, 6L], w.Query<long>("select _line from stg.tsub order by _line"));
        Assert.Equal([3L, 4L, 5L], w.Query<long>("select line_number from meta.rejected_row order by line_number"));
    }

    [Fact]
    public void A_file_no_contract_knows_is_recorded_and_not_loaded()
    {
        using var w = new TestWarehouse(SubscriberContract.Catalog());
        var file = Path.Combine(w.Inbox(), "mystery_20261031.csv");
        File.WriteAllText(file, "A,B\n1,2\n");

        var result = w.Loader.LoadFile(file);

        Assert.Equal("unrecognised", result.Status);
        Assert.Contains("no extract contract", result.Message);
    }
}
