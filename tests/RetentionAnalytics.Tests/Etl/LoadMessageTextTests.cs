using System.Globalization;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RetentionAnalytics.Core.Etl.Loading;
using RetentionAnalytics.Portal.Features.Operations;
using RetentionAnalytics.Portal.Features.Shared.Localization;
using RetentionAnalytics.Tests.Support;

namespace RetentionAnalytics.Tests.Etl;

/// <summary>
/// The load history's messages in the reader's language: the loader words them in English for the command line and
/// stores them so; the operations page says them in German and Chinese, with file and column names and engine text
/// quoted as they are. A message the catalogue does not know stays as stored.
/// </summary>
public sealed class LoadMessageTextTests
{
    private const string H = SubscriberContract.Header;

    [Theory]
    [InlineData("en", "1 row(s) rejected", "1 row(s) rejected")]
    [InlineData("de", "1,234 row(s) rejected; optional column(s) NOTE, PLAN not delivered, left empty",
        "1.234 Zeile(n) abgelehnt; optionale Spalte(n) NOTE, PLAN nicht geliefert, leer gelassen")]
    [InlineData("zh-Hans", "1,234 row(s) rejected; replaced 10 row(s) of an earlier delivery", "拒绝 1,234 行；替换了之前交付的 10 行")]
    [InlineData("de", "identical to load 12; nothing added", "Duplikat von Lieferung 12: nichts hinzugefügt")]
    [InlineData("zh-Hans", "replaced by load 7", "已被加载 7 替换")]
    [InlineData("de", "added to 2 other part(s) of 2026-10-31 (load(s) 4, 5)", "zu 2 anderen Teil(en) vom 31.10.2026 hinzugefügt (Lieferung(en) 4, 5)")]
    [InlineData("de", "delivery 1 is older than the loaded delivery 2 of 2026-10-31", "Lieferung 1 ist älter als die geladene Lieferung 2 vom 31.10.2026")]
    [InlineData("de", "file rejected: header lacks required column(s) MSISDN (found: ID, NAME)",
        "Datei abgelehnt: der Kopfzeile fehlen Pflichtspalte(n) MSISDN (gefunden: ID, NAME)")]
    [InlineData("zh-Hans", "the loader could not process this file (DuckDBException): Conversion Error: Could not convert string 'x' to INT32",
        "加载程序无法处理此文件（DuckDBException）：Conversion Error: Could not convert string 'x' to INT32")]
    [InlineData("de", "released by admin at 2026-11-02 09:15 after review; 77 row(s) rejected",
        "nach Prüfung freigegeben von admin am 02.11.2026 09:15; 77 Zeile(n) abgelehnt")]
    public void A_message_as_the_loader_words_it_reads_in_the_readers_language(string culture, string stored, string expected)
    {
        Assert.Equal(expected, In(culture, stored).ToString());
    }

    [Theory]
    [InlineData("en")]
    [InlineData("de")]
    [InlineData("zh-Hans")]
    public void What_a_message_quotes_stays_verbatim_and_an_unknown_message_stays_as_stored(string culture)
    {
        var quoted = In(culture, "the loader could not process this file (IOException): disk full");
        Assert.Contains(quoted.Pieces, p => p is { Verbatim: true, Text: "disk full" });
        Assert.Contains(quoted.Pieces, p => p is { Verbatim: true, Text: "IOException" });

        const string unknown = "the archive folder is full";
        var shown = In(culture, unknown);
        Assert.Equal(unknown, shown.ToString());
        Assert.All(shown.Pieces, p => Assert.True(p.Verbatim));
        // a known note beside an unknown one: each as it can be
        var mixed = In(culture, "3 row(s) rejected; something new");
        Assert.EndsWith("something new", mixed.ToString());
        Assert.Contains(mixed.Pieces, p => !p.Verbatim && p.Text.Contains('3'));
    }

    /// <summary>The loader's own messages (a partial load, a held replacement, a duplicate of it, a conflict, a release) all worded in German.</summary>
    [Fact]
    public void Every_message_the_loader_writes_for_a_redelivery_reads_in_german()
    {
        using var w = new TestWarehouse(SubscriberContract.Catalog());
        var inbox = w.Inbox();
        File.WriteAllText(Path.Combine(inbox, "tsub_20261031.csv"),
            H + "\n" + string.Concat(Enumerable.Range(1, 100).Select(i => $"S{i},Name{i},{(i == 1 ? "X" : "A")},2024-01-05,3,58.00,1\n")));
        w.Loader.LoadFile(Path.Combine(inbox, "tsub_20261031.csv"));
        File.WriteAllText(Path.Combine(inbox, "tsub_20260930.csv"), H + "\nS1,Name1,X,2024-01-05,3,58.00,1\nS2,Name2,A,2024-01-05,3,58.00,1\n");
        w.Loader.LoadFile(Path.Combine(inbox, "tsub_20260930.csv"));
        var broken = H + "\n" + string.Concat(Enumerable.Range(1, 100).Select(i => $"S{i},Name{i},{(i <= 77 ? "X" : "C")},2024-01-05,3,58.00,1\n"));
        File.WriteAllText(Path.Combine(inbox, "tsub_20261031_2.csv"), broken);
        var held = w.Loader.LoadFile(Path.Combine(inbox, "tsub_20261031_2.csv"));
        w.Loader.LoadFile(Path.Combine(inbox, "tsub_20261031_2.csv"));
        File.WriteAllText(Path.Combine(inbox, "tsub_20261031.csv"), H + "\nS1,Name1,A,2024-01-05,3,58.00,1\n");
        w.Loader.LoadFile(Path.Combine(inbox, "tsub_20261031.csv"));
        Assert.True(new HeldLoads(w.Db, w.Contracts, w.Quality).Release(held.LoadId, "tester").Done);

        var messages = w.Query<string>("select message from meta.load_audit where message <> '' order by load_id");

        Assert.Equal(5, messages.Count);
        foreach (var message in messages)
        {
            var shown = In("de", message);
            Assert.NotEqual(message, shown.ToString());
            // worded throughout: what stays as stored is a name or a figure quoted inside a German sentence
            Assert.All(shown.Pieces.Where(p => p.Verbatim), p => Assert.DoesNotContain(" row(s)", p.Text));
            Assert.Contains(shown.Pieces, p => !p.Verbatim);
        }
        var all = string.Join("\n", messages.Select(m => In("de", m).ToString()));
        Assert.Contains("1 Zeile(n) abgelehnt", all);
        Assert.Contains("zur Prüfung zurückgehalten: lehnt 77.0 % ihrer Zeilen ab", all);
        Assert.Contains($"Duplikat von Lieferung {held.LoadId}, die zur Prüfung zurückgehalten ist", all);
        Assert.Contains("gleicher Dateiname wie Lieferung", all);
        Assert.Contains("nach Prüfung freigegeben von tester am", all);
        Assert.Contains("ersetzt durch Lieferung", all);
    }

    /// <summary>The loader's refusals of bytes that are not the contract's text (encoding, compressed, binary, CR only), worded in German and Chinese.</summary>
    [Theory]
    [InlineData("de", "gzip-komprimiert", "nicht UTF-8", "Bytereihenfolgemarke", "UTF-8 (", "Binärdaten", "Wagenrücklauf")]
    [InlineData("zh-Hans", "gzip 压缩数据", "不是数据契约所说的 UTF-8", "字节顺序标记", "文件是 UTF-8", "二进制数据", "回车符")]
    public void The_loaders_refusal_of_bytes_that_are_not_its_text_reads_in_the_readers_language(string culture, params string[] expected)
    {
        System.Text.Encoding.RegisterProvider(System.Text.CodePagesEncodingProvider.Instance);
        var gbk = System.Text.Encoding.GetEncoding(936);
        var row = "S1,张伟,A,2024-01-05,3,58.00,1\n";
        var files = new (string Encoding, string Name, byte[] Bytes)[]
        {
            ("utf-8", "tsub_20261001.csv", [0x1F, 0x8B, 0x08, 0x00, .. System.Text.Encoding.ASCII.GetBytes(H)]),
            ("utf-8", "tsub_20261002.csv", gbk.GetBytes(H + "\n" + row)),
            ("gbk", "tsub_20261003.csv", [0xEF, 0xBB, 0xBF, .. System.Text.Encoding.UTF8.GetBytes(H + "\n" + row)]),
            ("gbk", "tsub_20261004.csv", System.Text.Encoding.UTF8.GetBytes(H + "\n" + row)),
            ("utf-8", "tsub_20261005.csv", [.. System.Text.Encoding.ASCII.GetBytes(H + "\n"), .. Enumerable.Range(0, 4000).Select(i => (byte)(i % 9))]),
            ("utf-8", "tsub_20261006.csv", System.Text.Encoding.ASCII.GetBytes(H + "\rS1,Name1,A,2024-01-05,3,58.00,1\r")),
        };
        var messages = new List<string>();
        foreach (var (encoding, name, bytes) in files)
        {
            using var w = new TestWarehouse(SubscriberContract.Catalog(encoding));
            var path = Path.Combine(w.Inbox(), name);
            File.WriteAllBytes(path, bytes);
            var result = w.Loader.LoadFile(path);
            Assert.Equal("rejected", result.Status);
            messages.Add(Assert.IsType<string>(result.Message));
        }

        for (var i = 0; i < messages.Count; i++)
        {
            var shown = In(culture, messages[i]);
            Assert.Contains(expected[i], shown.ToString());
            Assert.Contains(shown.Pieces, p => !p.Verbatim);
            Assert.DoesNotContain("the file", shown.ToString());
        }
    }

    private static Phrase In(string culture, string message)
    {
        var before = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = LocalizationSetup.Culture(culture);
            var factory = new ResourceManagerStringLocalizerFactory(Options.Create(new LocalizationOptions()), NullLoggerFactory.Instance);
            return new LoadMessageText(new StringLocalizer<EtlResource>(factory)).Render(message);
        }
        finally
        {
            (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = before;
        }
    }
}
