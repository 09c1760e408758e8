using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace RetentionAnalytics.Core.Etl.Loading;

/// <summary>What the UTF-8 decoder made of the bytes: valid multi-byte characters, invalid sequences, and where the first one is.</summary>
internal sealed record Utf8Evidence(long ValidMultiByte, long Invalid, long FirstInvalidLine, bool HasBom);

/// <summary>
/// One read of the delivered bytes: the checksum (duplicates and conflicts), and everything the loader decides before it
/// hands the file to DuckDB — is it text at all, in which encoding, does it hold quotes (line numbers need correcting),
/// NUL bytes or lines longer than a field may be (only then do rows pay for those checks), how many lines it has, and
/// which of them are blank.
/// </summary>
/// <param name="BlankLines">
/// The blank lines outside quoted fields above the last row, which DuckDB's reader skips without a trace, numbered as
/// the reader numbers lines (<see cref="BlankLineFinder"/>); <paramref name="TrailingBlankLines"/> more follow the last row.
/// </param>
/// <param name="CrOnlyLines">The first line holds a carriage return that no line feed follows: lines end in CR alone.</param>
internal sealed record FileInspection(
    string Checksum, long Bytes, bool HasQuote, bool HasNul, long Lines, long LongestLineBytes,
    Utf8Evidence Utf8, string? Signature, double ControlShare, IReadOnlyList<long> BlankLines, int TrailingBlankLines,
    bool CrOnlyLines = false)
{
    private const int SniffBytes = 64 * 1024;

    public static FileInspection Of(string path, char quote, char delimiter = ',')
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        const int chunk = 1 << 20;
        var buffer = ArrayPool<byte>.Shared.Rent(chunk + 4);
        try
        {
            var carry = 0;
            long bytes = 0, lineBreaks = 0, currentLine = 0, longest = 0;
            long valid = 0, invalid = 0, firstInvalidLine = 0;
            bool hasQuote = false, hasNul = false, hasBom = false, lastWasBreak = false, crOnly = false;
            var blankLines = new BlankLineFinder(quote, delimiter);
            string? signature = null;
            var control = 0;
            var sniffed = 0;
            int n;
            while ((n = stream.Read(buffer, carry, chunk)) > 0)
            {
                var fresh = buffer.AsSpan(carry, n);
                var breaksBefore = lineBreaks;
                hash.AppendData(fresh);
                if (bytes == 0)
                {
                    signature = Signatures.Identify(fresh);
                    hasBom = fresh.StartsWith("\uFEFF"u8);
                    // the header line: a CR inside it (not the CR of a CRLF) means the lines end in CR alone
                    var firstLine = fresh.IndexOf((byte)'\n') is var lf and >= 0 ? fresh[..lf] : fresh;
                    crOnly = firstLine.TrimEnd((byte)'\r').Contains((byte)'\r');
                }
                if (sniffed < SniffBytes)
                {
                    var head = fresh[..Math.Min(fresh.Length, SniffBytes - sniffed)];
                    foreach (var b in head)
                    {
                        if (b < 0x20 && b is not (9 or 10 or 12 or 13))
                        {
                            control++;
                        }
                    }
                    sniffed += head.Length;
                }
                hasQuote = hasQuote || (quote != '\0' && fresh.Contains((byte)quote));
                hasNul = hasNul || fresh.Contains((byte)0);

                // lines: count breaks, and the longest line (a field cannot be longer than its line)
                var rest = fresh;
                int at;
                while ((at = rest.IndexOf((byte)'\n')) >= 0)
                {
                    blankLines.Add(rest[..at]);
                    blankLines.Break();
                    currentLine += at;
                    longest = Math.Max(longest, currentLine);
                    currentLine = 0;
                    lineBreaks++;
                    rest = rest[(at + 1)..];
                }
                currentLine += rest.Length;
                blankLines.Add(rest);
                lastWasBreak = fresh[^1] == (byte)'\n';

                // UTF-8: the carried bytes of a character cut by the chunk end are decoded with the next chunk
                var text = buffer.AsSpan(0, carry + n);
                var unfinished = Decode(text, isFinal: false, ref valid, ref invalid, ref firstInvalidLine, breaksBefore, carry);
                text[^unfinished..].CopyTo(buffer);
                carry = unfinished;
                bytes += n;
            }
            if (carry > 0)
            {
                Decode(buffer.AsSpan(0, carry), isFinal: true, ref valid, ref invalid, ref firstInvalidLine, lineBreaks, 0);
            }
            longest = Math.Max(longest, currentLine);
            var lines = bytes == 0 ? 0 : lineBreaks + (lastWasBreak ? 0 : 1);
            var (blank, trailing) = blankLines.Lines();
            return new FileInspection(Convert.ToHexString(hash.GetHashAndReset()).ToLowerInvariant(), bytes, hasQuote, hasNul,
                lines, longest, new Utf8Evidence(valid, invalid, firstInvalidLine, hasBom), signature,
                sniffed == 0 ? 0 : (double)control / sniffed, blank, trailing, crOnly);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Counts valid multi-byte characters and invalid sequences; returns how many bytes at the end belong to a character
    /// the next chunk completes. Pure ASCII and valid UTF-8 take the vectorised paths.
    /// </summary>
    private static int Decode(Span<byte> text, bool isFinal, ref long valid, ref long invalid, ref long firstInvalidLine,
        long linesBeforeFresh, int carried)
    {
        if (Ascii.IsValid(text))
        {
            return 0;
        }
        var i = text.IndexOfAnyExceptInRange((byte)0, (byte)0x7F);
        while (i >= 0 && i < text.Length)
        {
            var status = Rune.DecodeFromUtf8(text[i..], out _, out var consumed);
            if (status == OperationStatus.Done)
            {
                valid++;
            }
            else if (status == OperationStatus.NeedMoreData && !isFinal)
            {
                return text.Length - i;
            }
            else
            {
                if (invalid == 0)
                {
                    // lines before this chunk's fresh bytes, plus the breaks between them and the bad byte
                    var inFresh = Math.Max(0, i - carried);
                    firstInvalidLine = linesBeforeFresh + CountBreaks(text.Slice(carried, inFresh)) + 1;
                }
                invalid++;
            }
            i += Math.Max(1, consumed);
            var next = text[i..].IndexOfAnyExceptInRange((byte)0, (byte)0x7F);
            i = next < 0 ? -1 : i + next;
        }
        return 0;
    }

    private static long CountBreaks(ReadOnlySpan<byte> span) => span.Count((byte)'\n');

    /// <summary>The encoding the bytes are not: a reason to refuse the file before it is read, or null.</summary>
    public string? EncodingProblem(string contractEncoding)
    {
        if (Contracts.TextEncodings.IsUtf8(contractEncoding))
        {
            if (Utf8.Invalid == 0 || Utf8.Invalid < Utf8.ValidMultiByte)
            {
                return null;
            }
            return $"the file is not UTF-8 as its contract says: {Utf8.Invalid:N0} invalid byte sequence(s), the first on line {Utf8.FirstInvalidLine:N0}, " +
                   "and no valid UTF-8 characters outside ASCII; it looks like GBK/GB18030 — deliver it in UTF-8 or set the contract's encoding";
        }
        if (Utf8.HasBom)
        {
            return $"the file starts with a UTF-8 byte order mark, but its contract says {contractEncoding}; deliver it in {contractEncoding} or set the contract's encoding to utf-8";
        }
        if (Utf8.Invalid == 0 && Utf8.ValidMultiByte > 0)
        {
            return $"the file is UTF-8 ({Utf8.ValidMultiByte:N0} character(s) outside ASCII, all valid UTF-8), but its contract says {contractEncoding}; " +
                   $"read as {contractEncoding} its text would be garbled — deliver it in {contractEncoding} or set the contract's encoding to utf-8";
        }
        return null;
    }

    /// <summary>A reason the bytes are not CSV text at all, or null.</summary>
    public string? NotText() =>
        Signature is { } what ? $"the file is {what}, not CSV text; deliver it as plain CSV text in the contract's encoding"
        : ControlShare > 0.01 ? $"the file is binary data, not CSV text ({ControlShare:P1} control bytes in its first 64 KiB)"
        : CrOnlyLines ? "the file's lines end in a carriage return alone (CR, old Mac style), which the reader does not split; deliver it with LF or CRLF line endings"
        : null;

    private static class Signatures
    {
        private static readonly (byte[] Magic, string What)[] Known =
        [
            ([0x1F, 0x8B], "gzip-compressed data"),
            ([0x50, 0x4B, 0x03, 0x04], "a ZIP archive (or an Excel workbook)"),
            ([0x42, 0x5A, 0x68], "bzip2-compressed data"),
            ([0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00], "xz-compressed data"),
            ([0x28, 0xB5, 0x2F, 0xFD], "zstd-compressed data"),
            ([0x37, 0x7A, 0xBC, 0xAF, 0x27, 0x1C], "a 7-Zip archive"),
            ([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1], "an old Excel (.xls) or Office document"),
            ([0x25, 0x50, 0x44, 0x46, 0x2D], "a PDF document"),
            ([0x50, 0x41, 0x52, 0x31], "a Parquet file"),
            ([0xFF, 0xFE], "UTF-16 text (little endian)"),
            ([0xFE, 0xFF], "UTF-16 text (big endian)"),
        ];

        public static string? Identify(ReadOnlySpan<byte> head)
        {
            foreach (var (magic, what) in Known)
            {
                if (head.StartsWith(magic))
                {
                    return what;
                }
            }
            return null;
        }
    }
}
