using System.IO.Compression;
using System.Text;

namespace RetentionAnalytics.Core.Materials;

/// <summary>What a file's bytes are, whatever its name says (texts: MaterialContent_* in the portal's refusal resources).</summary>
public enum MaterialContentKind { Pdf, Png, Jpeg, Gif, Word, Excel, PowerPoint, Zip, LegacyOffice, Text, OtherText, Binary }

/// <summary>
/// The content of an upload against its extension: a PNG named <c>.pdf</c> or a Word document named <c>.xlsx</c>
/// would be offered for download as what it is not. The leading bytes tell the format (<c>%PDF-</c>, the PNG, JPEG and
/// GIF signatures, a zip archive for Office documents, whose parts then tell Word, Excel and PowerPoint apart, the OLE
/// header of legacy Office files); text is UTF-8 without NUL bytes.
/// </summary>
public static class MaterialContent
{
    /// <summary>What each accepted extension must hold.</summary>
    public static readonly IReadOnlyDictionary<string, MaterialContentKind> Expected = new Dictionary<string, MaterialContentKind>(StringComparer.OrdinalIgnoreCase)
    {
        [".pdf"] = MaterialContentKind.Pdf,
        [".docx"] = MaterialContentKind.Word,
        [".xlsx"] = MaterialContentKind.Excel,
        [".pptx"] = MaterialContentKind.PowerPoint,
        [".txt"] = MaterialContentKind.Text,
        [".md"] = MaterialContentKind.Text,
        [".png"] = MaterialContentKind.Png,
        [".jpg"] = MaterialContentKind.Jpeg,
    };

    private static readonly byte[] PngSignature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];
    private static readonly byte[] ZipSignature = [(byte)'P', (byte)'K', 0x03, 0x04];
    private static readonly byte[] OleSignature = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    private static readonly byte[] PdfSignature = "%PDF-"u8.ToArray();


    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static MaterialContentKind Of(ReadOnlySpan<byte> content)
    {
        if (content.StartsWith(PngSignature))
        {
            return MaterialContentKind.Png;
        }
        if (content.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]))
        {
            return MaterialContentKind.Jpeg;
        }
        if (content.StartsWith("GIF87a"u8) || content.StartsWith("GIF89a"u8))
        {
            return MaterialContentKind.Gif;
        }
        if (content.StartsWith(OleSignature))
        {
            return MaterialContentKind.LegacyOffice;
        }
        if (content.StartsWith(ZipSignature))
        {
            return OfficeKind(content);
        }
        // some writers put a blank line before the header
        if (content.TrimStart(" \t\r\n"u8).StartsWith(PdfSignature))
        {
            return MaterialContentKind.Pdf;
        }
        if (content.Contains((byte)0))
        {
            return MaterialContentKind.Binary;
        }
        try
        {
            StrictUtf8.GetCharCount(content);
            return MaterialContentKind.Text;
        }
        catch (DecoderFallbackException)
        {
            return MaterialContentKind.OtherText;
        }
    }

    /// <summary>Null when the content is what the extension names; else what it looks like.</summary>
    public static MaterialContentKind? Mismatch(string extension, ReadOnlySpan<byte> content)
    {
        var kind = Of(content);
        return Expected.TryGetValue(extension, out var expected) && expected == kind ? null : kind;
    }

    /// <summary>An Office document is a zip archive whose main part names the application; any other zip is just a zip.</summary>
    private static MaterialContentKind OfficeKind(ReadOnlySpan<byte> content)
    {
        try
        {
            using var zip = new ZipArchive(new MemoryStream(content.ToArray(), writable: false), ZipArchiveMode.Read);
            bool Has(string folder) => zip.Entries.Any(e => e.FullName.StartsWith(folder, StringComparison.OrdinalIgnoreCase));
            return Has("word/") ? MaterialContentKind.Word
                : Has("xl/") ? MaterialContentKind.Excel
                : Has("ppt/") ? MaterialContentKind.PowerPoint
                : MaterialContentKind.Zip;
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or ArgumentException)
        {
            // a zip header over a broken archive: no document any application opens
            return MaterialContentKind.Binary;
        }
    }
}
