using System.Text;

namespace RetentionAnalytics.Core.Etl.Contracts;

/// <summary>The encodings real ODS deliveries come in. GBK and GB18030 need the code-page provider.</summary>
public static class TextEncodings
{
    static TextEncodings() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public static bool IsKnown(string name) => name.ToLowerInvariant() is "utf-8" or "utf8" or "utf-8-bom" or "gbk" or "gb18030" or "gb2312";

    /// <summary>True when DuckDB's reader can read the bytes as they are (UTF-8, with or without BOM).</summary>
    public static bool IsUtf8(string name) => name.ToLowerInvariant() is "utf-8" or "utf8" or "utf-8-bom";

    /// <summary>GB18030 is a superset of GBK (and of GB2312): one decoder reads all three without loss.</summary>
    public static Encoding Get(string name) => name.ToLowerInvariant() switch
    {
        "gbk" or "gb18030" or "gb2312" => Encoding.GetEncoding(54936),
        _ => new UTF8Encoding(false, true),
    };
}
