using System.IO.Compression;
using System.Text;

namespace RetentionAnalytics.Tests.Materials;

/// <summary>The leading bytes of each file type the material library knows, followed by what such a file may hold.</summary>
public static class MaterialSamples
{
    /// <summary>A PDF header, then every byte value and random bytes (a PDF's streams are binary).</summary>
    public static byte[] Pdf(int size = 1000, int seed = 1) => Binary("%PDF-1.7\n"u8, size, seed);

    public static byte[] Png(int size = 1000, int seed = 1) => Binary([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], size, seed);

    public static byte[] Jpeg(int size = 1000, int seed = 1) => Binary([0xFF, 0xD8, 0xFF, 0xE0], size, seed);

    public static byte[] Gif(int size = 1000, int seed = 1) => Binary("GIF89a"u8, size, seed);

    /// <summary>An .doc, .xls or .ppt of Office 97–2003: an OLE compound file.</summary>
    public static byte[] LegacyOffice(int size = 1000, int seed = 1) => Binary([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1], size, seed);

    public static byte[] Docx() => Zip("word/document.xml");

    public static byte[] Xlsx() => Zip("xl/workbook.xml", "xl/worksheets/sheet1.xml");

    public static byte[] Pptx() => Zip("ppt/presentation.xml");

    /// <summary>A zip archive that is no Office document.</summary>
    public static byte[] PlainZip() => Zip("readme.txt");

    public static byte[] Text(string text) => Encoding.UTF8.GetBytes(text);

    private static byte[] Binary(ReadOnlySpan<byte> header, int size, int seed)
    {
        var bytes = new byte[Math.Max(size, header.Length)];
        new Random(seed).NextBytes(bytes);
        for (var i = header.Length; i < Math.Min(header.Length + 256, bytes.Length); i++)
        {
            bytes[i] = (byte)(i - header.Length);
        }
        header.CopyTo(bytes);
        return bytes;
    }

    /// <summary>An Office Open XML package as far as its type goes: the content types and the application's parts.</summary>
    private static byte[] Zip(params string[] parts)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var part in parts.Prepend("[Content_Types].xml"))
            {
                using var writer = new StreamWriter(zip.CreateEntry(part).Open());
                writer.Write("<?xml version=\"1.0\" encoding=\"UTF-8\"?><x/>");
            }
        }
        return buffer.ToArray();
    }
}
