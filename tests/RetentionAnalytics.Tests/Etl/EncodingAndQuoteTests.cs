using System.Text;
using RetentionAnalytics.Tests.Support;

namespace RetentionAnalytics.Tests.Etl;

/// <summary>
/// A file in another encoding than its contract says is refused, never loaded garbled; a quote that never closes
/// rejects each line it swallowed, so rows in = rows loaded + rows rejected counts the lines a person sees.
/// </summary>
public sealed class EncodingAndQuoteTests
{
    private const string H = SubscriberContract.Header;

    private static readonly Encoding Gbk = GetGbk();

    private static Encoding GetGbk()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding(936);
    }

    /// <summary>A customer file as the ODS writes it: Chinese names on every row.</summary>
    private static string Names(int rows) =>
        H + "\n" + string.Concat(Enumerable.Range(1, rows).Select(i => $"S{i},李雷{i},A,2024-01-05,3,58.00,1\n"));

    [Fact]
    public void Utf8_delivered_where_the_contract_says_gbk_is_refused_with_the_reason()
    {
        using var w = new TestWarehouse(SubscriberContract.Catalog("gbk"));
        var file = Path.Combine(w.Inbox(), "tsub_20261031.csv");
        File.WriteAllText(file, Names(2563), new UTF8Encoding(false));

        var result = w.Loader.LoadFile(file);

        Assert.Equal(("rejected", 0L, 0L), (result.Status, result.RowsRead, result.RowsLoaded));
        Assert.Contains("the file is UTF-8 (5,126 character(s) outside ASCII, all valid UTF-8), but its contract says gbk", result.Message);
        Assert.Equal(0, w.Scalar<long>("select count(*) from information_schema.tables where table_name = 'tsub' and table_schema = 'stg'")
            == 0 ? 0 : w.Scalar<long>("select count(*) from stg.tsub"));
    }

    [Fact]
    public void Utf8_with_a_byte_order_mark_where_the_contract_says_gbk_is_refused()
    {
        using var w = new TestWarehouse(SubscriberContract.Catalog("gbk"));
        var file = Path.Combine(w.Inbox(), "tsub_20261031.csv");
        File.WriteAllText(file, $"{H}\nS1,Li,A,2024-01-05,3,58.00,1\n", new UTF8Encoding(true));

        var result = w.Loader.LoadFile(file);

        Assert.Equal("rejected", result.Status);
        Assert.Contains("UTF-8 byte order mark", result.Message);
    }

    [Fact]
    public void Gbk_delivered_where_the_contract_says_utf8_is_refused_naming_the_first_bad_line()
    {
        using var w = new TestWarehouse(SubscriberContract.Catalog("utf-8"));
        var file = Path.Combine(w.Inbox(), "tsub_20261031.csv");
        File.WriteAllBytes(file, Gbk.GetBytes($"{H}\nS0,Li,A,2024-01-05,3,58.00,1\n" + Names(300)[(H.Length + 1)..]));

        var result = w.Loader.LoadFile(file);

        Assert.Equal("rejected", result.Status);
        Assert.Contains("not UTF-8 as its contract says", result.Message);
        Assert.Contains("the first on line 3", result.Message);
        Assert.Contains("GBK", result.Message);
    }

    [Fact]
    public void Gbk_as_declared_loads_and_bytes_that_are_not_gbk_reject_their_row()
    {
        using var w = new TestWarehouse(SubscriberContract.Catalog("gbk"));
        var file = Path.Combine(w.Inbox(), "tsub_20261031.csv");
        // 0x80 alone is not a GB18030 character
        File.WriteAllBytes(file, [.. Gbk.GetBytes($"{H}\nS1,李雷,A,2024-01-05,3,58.00,1\nS2,"), 0x80, .. Gbk.GetBytes(",A,2024-01-05,3,58.00,1\nS3,韩梅梅,A,2024-01-05,3,58.00,1\n")]);

        var result = w.Loader.LoadFile(file);

        Assert.Equal(("loaded", 3L, 2L, 1L), (result.Status, result.RowsRead, result.RowsLoaded, result.RowsRejected));
        Assert.Equal(["李雷", "韩梅梅"], w.Query<string>("select customer_name from stg.tsub order by subscriber_id"));
        Assert.Equal((3L, "'CUST_NAME' (field 2) holds bytes that are not valid gbk"),
            w.Query<(long, string)>("select line_number, reason from meta.rejected_row").Single());
    }

    [Fact]
    public void A_mostly_utf8_file_with_one_corrupt_row_rejects_that_row_only()
    {
        using var w = new TestWarehouse(SubscriberContract.Catalog("utf-8"));
        var file = Path.Combine(w.Inbox(), "tsub_20261031.csv");
        var good = new UTF8Encoding(false).GetBytes(Names(20));
        File.WriteAllBytes(file, [.. good, .. "S99,"u8, .. Gbk.GetBytes("李雷"), .. ",A,2024-01-05,3,58.00,1\n"u8]);

        var result = w.Loader.LoadFile(file);

        Assert.Equal(("loaded", 21L, 20L, 1L), (result.Status, result.RowsRead, result.RowsLoaded, result.RowsRejected));
        Assert.Equal(22, w.Scalar<long>("select line_number from meta.rejected_row"));
    }

    [Fact]
    public void An_unclosed_quote_rejects_each_line_it_swallowed_with_the_line_that_opened_it()
    {
        using var w = new TestWarehouse(SubscriberContract.Catalog());
        var file = Path.Combine(w.Inbox(), "tsub_20261031.csv");
        var rows = Enumerable.Range(1, 100).Select(i => $"S{i},Name{i},A,2024-01-05,3,58.00,1").ToList();
        rows[2] = "S3,\"Name3,A,2024-01-05,3,58.00,1";  // line 4 opens a quote that never closes
        File.WriteAllText(file, H + "\n" + string.Join("\n", rows) + "\n");

        var result = w.Loader.LoadFile(file);

        Assert.Equal((100L, 2L, 98L), (result.RowsRead, result.RowsLoaded, result.RowsRejected));
        var rejected = w.Query<(long Line, string Reason, string Raw)>("select line_number, reason, raw_line from meta.rejected_row order by 1");
        Assert.Equal(Enumerable.Range(4, 98).Select(i => (long)i), rejected.Select(r => r.Line));
        Assert.Contains("never closed", rejected[0].Reason);
        Assert.Equal(rows[2], rejected[0].Raw);
        Assert.Contains("opened on line 4", rejected[1].Reason);
        Assert.Equal("S4,Name4,A,2024-01-05,3,58.00,1", rejected[1].Raw);
        Assert.Equal(["S1", "S2"], w.Query<string>("select subscriber_id from stg.tsub order by 1"));
    }
}
