using System.Text;
using RetentionAnalytics.Core.Etl.Loading;

namespace RetentionAnalytics.Tests.Etl;

/// <summary>
/// The blank lines DuckDB's reader skips, numbered as it numbers lines, however the file's bytes arrive in pieces.
/// </summary>
public sealed class BlankLineFinderTests
{
    [Theory]
    // a blank line after the header, two together, one in CR LF, and the blank lines below the last row (they move nothing)
    [InlineData("h,h\n\n1,a\n\n\n2,b\r\n\r\n3,c\n\n\n", new long[] { 2, 4, 5, 7 })]
    // a blank line inside a quoted field is part of it; the record counts once
    [InlineData("h,h\n1,\"a\n\nb\"\n\n2,c\n", new long[] { 3 })]
    // a doubled quote stays inside the field; a quote in the middle of a field opens nothing
    [InlineData("h,h\n1,\"say \"\"hi\"\"\n\"\n\n2,5\" x\n\n3,c\n", new long[] { 3, 5 })]
    // the last line without a line break still holds a row
    [InlineData("h,h\n1,a\n\n2,b", new long[] { 3 })]
    [InlineData("h,h\n1,a\n", new long[0])]
    public void Finds_the_blank_lines_in_the_readers_numbering_whatever_the_pieces(string file, long[] expected)
    {
        var bytes = Encoding.UTF8.GetBytes(file);
        for (var cut = 0; cut <= bytes.Length; cut++)
        {
            var finder = new BlankLineFinder('"', ',');
            Feed(finder, bytes.AsSpan(0, cut));
            Feed(finder, bytes.AsSpan(cut));
            Assert.Equal(expected, finder.Lines().Above);
        }
    }

    [Fact]
    public void Without_a_quote_character_every_empty_line_is_blank()
    {
        var finder = new BlankLineFinder('\0', ';');
        Feed(finder, Encoding.UTF8.GetBytes("h;h\n1;\"a\n\n2;b\n"));
        Assert.Equal([3L], finder.Lines().Above);
    }

    /// <summary>As the file inspection feeds it: the bytes of each line, a break at each line break.</summary>
    private static void Feed(BlankLineFinder finder, ReadOnlySpan<byte> bytes)
    {
        int at;
        while ((at = bytes.IndexOf((byte)'\n')) >= 0)
        {
            finder.Add(bytes[..at]);
            finder.Break();
            bytes = bytes[(at + 1)..];
        }
        finder.Add(bytes);
    }
}
