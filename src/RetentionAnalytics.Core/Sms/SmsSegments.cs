namespace RetentionAnalytics.Core.Sms;

/// <summary>How a text travels and what it costs: its encoding, length in the encoding's units and segment count.</summary>
/// <param name="Characters">Characters as a reader counts them (an emoji is one).</param>
/// <param name="Units">GSM-7 septets (an extension character takes two) or UTF-16 code units (an emoji takes two).</param>
public sealed record SmsSegmentInfo(string Encoding, int Characters, int Units, int Segments, int UnitsPerSegment);

/// <summary>
/// The segment rules of the SMS standard (3GPP TS 23.038 / 23.040): a text of GSM-7 characters only travels as GSM-7,
/// 160 septets in one message, 153 per part once concatenated (the header takes 7); anything else travels as UCS-2,
/// 70 UTF-16 units in one message, 67 per part. An extension character (€ [ ] { } ^ ~ | \ and form feed) is an escape
/// plus a septet and is never split between parts; neither is a surrogate pair (emoji).
/// </summary>
public static class SmsSegments
{
    public const string Gsm7 = "gsm7";
    public const string Ucs2 = "ucs2";

    private const string Basic =
        "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";

    private const string Extension = "^{}\\[~]|€\f";

    private static readonly HashSet<char> BasicSet = [.. Basic];
    private static readonly HashSet<char> ExtensionSet = [.. Extension];

    public static bool IsGsm7(string text) => text.All(ch => BasicSet.Contains(ch) || ExtensionSet.Contains(ch));

    public static SmsSegmentInfo Measure(string text)
    {
        var characters = CountCharacters(text);
        if (IsGsm7(text))
        {
            var widths = text.Select(ch => ExtensionSet.Contains(ch) ? 2 : 1).ToList();
            return Pack(Gsm7, characters, widths, single: 160, part: 153);
        }
        var units = new List<int>();
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                units.Add(2);
                i++;
            }
            else
            {
                units.Add(1);
            }
        }
        return Pack(Ucs2, characters, units, single: 70, part: 67);
    }

    private static SmsSegmentInfo Pack(string encoding, int characters, List<int> widths, int single, int part)
    {
        var total = widths.Sum();
        if (total <= single)
        {
            return new SmsSegmentInfo(encoding, characters, total, 1, single);
        }
        // fill parts greedily; a two-unit character that does not fit starts the next part
        var segments = 1;
        var used = 0;
        foreach (var width in widths)
        {
            if (used + width > part)
            {
                segments++;
                used = 0;
            }
            used += width;
        }
        return new SmsSegmentInfo(encoding, characters, total, segments, part);
    }

    private static int CountCharacters(string text)
    {
        var count = 0;
        var e = System.Globalization.StringInfo.GetTextElementEnumerator(text);
        while (e.MoveNext())
        {
            count++;
        }
        return count;
    }
}
