using RetentionAnalytics.Core.Sms;

namespace RetentionAnalytics.Tests.Sms;

public sealed class SmsSegmentTests
{
    private static string Repeat(string s, int n) => string.Concat(Enumerable.Repeat(s, n));

    public static TheoryData<string, string, string, int, int> Cases => new()
    {
        // name, text, encoding, units, segments
        { "empty", "", SmsSegments.Gsm7, 0, 1 },
        { "160 GSM chars fit one", Repeat("a", 160), SmsSegments.Gsm7, 160, 1 },
        { "161 GSM chars need two", Repeat("a", 161), SmsSegments.Gsm7, 161, 2 },
        { "306 GSM chars fill two parts", Repeat("a", 306), SmsSegments.Gsm7, 306, 2 },
        { "307 GSM chars need three", Repeat("a", 307), SmsSegments.Gsm7, 307, 3 },
        { "GSM basic-table accents stay GSM-7", "Ärger über Öl? ñ ü à é ß £ ¥ §", SmsSegments.Gsm7, 30, 1 },
        { "80 euro signs are 160 septets", Repeat("€", 80), SmsSegments.Gsm7, 160, 1 },
        { "159 chars plus an extension char is 161 septets", Repeat("a", 159) + "€", SmsSegments.Gsm7, 161, 2 },
        { "158 chars plus an extension char is exactly 160", Repeat("a", 158) + "^", SmsSegments.Gsm7, 160, 1 },
        { "every extension char counts two", "€[]{}^~|\\", SmsSegments.Gsm7, 18, 1 },
        // 152 + '[' would straddle the 153 boundary of part one: the escape pair moves to part two
        { "an extension char is never split across parts", Repeat("a", 152) + "[" + Repeat("a", 152), SmsSegments.Gsm7, 306, 3 },
        { "70 UCS-2 units fit one", Repeat("中", 70), SmsSegments.Ucs2, 70, 1 },
        { "71 UCS-2 units need two", Repeat("中", 71), SmsSegments.Ucs2, 71, 2 },
        { "134 UCS-2 units fill two parts", Repeat("中", 134), SmsSegments.Ucs2, 134, 2 },
        { "135 UCS-2 units need three", Repeat("中", 135), SmsSegments.Ucs2, 135, 3 },
        { "one Chinese char turns a GSM text into UCS-2", Repeat("a", 69) + "退", SmsSegments.Ucs2, 70, 1 },
        { "Chinese opt-out text", "您的套餐即将到期。回复TD退订", SmsSegments.Ucs2, 15, 1 },
        { "an emoji is two UCS-2 units", Repeat("a", 68) + "😀", SmsSegments.Ucs2, 70, 1 },
        { "an emoji past 70 units needs two", Repeat("a", 69) + "😀", SmsSegments.Ucs2, 71, 2 },
        // 66 + a surrogate pair at the 67 boundary: the pair moves whole to part two (split, 134 units would fit two)
        { "a surrogate pair is never split across parts", Repeat("a", 66) + "😀" + Repeat("a", 66), SmsSegments.Ucs2, 134, 3 },
        { "a GSM extension char in a UCS-2 text counts one unit", Repeat("中", 69) + "€", SmsSegments.Ucs2, 70, 1 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Segments_follow_the_160_153_and_70_67_rules(string name, string text, string encoding, int units, int segments)
    {
        var info = SmsSegments.Measure(text);
        Assert.True((encoding, units, segments) == (info.Encoding, info.Units, info.Segments),
            $"{name}: expected {encoding}/{units}/{segments}, got {info.Encoding}/{info.Units}/{info.Segments}");
    }

    [Fact]
    public void Characters_count_an_emoji_once()
    {
        var info = SmsSegments.Measure("ok 😀");
        Assert.Equal(4, info.Characters);
        Assert.Equal(5, info.Units);
    }
}
