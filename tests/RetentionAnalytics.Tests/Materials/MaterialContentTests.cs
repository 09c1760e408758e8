using RetentionAnalytics.Core.Materials;

namespace RetentionAnalytics.Tests.Materials;

/// <summary>
/// A material's content against its extension, for every extension the library accepts: the right content passes,
/// every other kind is refused naming what it looks like.
/// </summary>
public sealed class MaterialContentTests
{
    private static readonly Dictionary<MaterialContentKind, byte[]> Samples = new()
    {
        [MaterialContentKind.Pdf] = MaterialSamples.Pdf(),
        [MaterialContentKind.Png] = MaterialSamples.Png(),
        [MaterialContentKind.Jpeg] = MaterialSamples.Jpeg(),
        [MaterialContentKind.Gif] = MaterialSamples.Gif(),
        [MaterialContentKind.Word] = MaterialSamples.Docx(),
        [MaterialContentKind.Excel] = MaterialSamples.Xlsx(),
        [MaterialContentKind.PowerPoint] = MaterialSamples.Pptx(),
        [MaterialContentKind.Zip] = MaterialSamples.PlainZip(),
        [MaterialContentKind.LegacyOffice] = MaterialSamples.LegacyOffice(),
        [MaterialContentKind.Text] = MaterialSamples.Text("# Gesprächsleitfaden\nGuten Tag, 您好 – 7,5 €\n"),
        // GBK-encoded Chinese: no NUL bytes, not UTF-8
        [MaterialContentKind.OtherText] = [0xC4, 0xFA, 0xBA, 0xC3, 0x0A],
        [MaterialContentKind.Binary] = [0x4D, 0x5A, 0x90, 0x00, 0x03, 0x00],
    };

    public static TheoryData<string> Extensions => new(MaterialLibrary.AllowedTypes.Keys);

    [Fact]
    public void Every_extension_the_library_accepts_names_the_content_it_must_hold()
    {
        Assert.Equal(MaterialLibrary.AllowedTypes.Keys.Order(), MaterialContent.Expected.Keys.Order());
    }

    [Fact]
    public void Each_sample_reads_as_its_own_kind()
    {
        foreach (var (kind, bytes) in Samples)
        {
            Assert.Equal(kind, MaterialContent.Of(bytes));
        }
    }

    [Theory]
    [MemberData(nameof(Extensions))]
    public void The_content_its_extension_names_passes_and_every_other_kind_is_refused_as_what_it_is(string extension)
    {
        var expected = MaterialContent.Expected[extension];
        Assert.Null(MaterialContent.Mismatch(extension, Samples[expected]));
        Assert.Null(MaterialContent.Mismatch(extension.ToUpperInvariant(), Samples[expected]));
        foreach (var (kind, bytes) in Samples.Where(s => s.Key != expected))
        {
            Assert.Equal(kind, MaterialContent.Mismatch(extension, bytes));
        }
    }

    [Fact]
    public void Text_may_start_with_a_byte_order_mark_and_a_pdf_with_a_line_before_its_header()
    {
        Assert.Null(MaterialContent.Mismatch(".txt", [0xEF, 0xBB, 0xBF, .. "Guten Tag"u8]));
        Assert.Null(MaterialContent.Mismatch(".pdf", [.. "\r\n"u8, .. MaterialSamples.Pdf()]));
        // a NUL byte is no text, even when the rest is
        Assert.Equal(MaterialContentKind.Binary, MaterialContent.Mismatch(".md", [.. "# Titel"u8, 0x00]));
    }

    [Fact]
    public void A_zip_header_over_a_broken_archive_is_no_office_document()
    {
        var broken = MaterialSamples.Docx()[..40];
        Assert.Equal(MaterialContentKind.Binary, MaterialContent.Mismatch(".docx", broken));
    }
}
