using System.Text;

namespace RetentionAnalytics.Core.Generator;

/// <summary>
/// Culture-free field formatting for the hot loops: amounts are kept in cents (or tenths) as integers, dates
/// come from a cache, so no string.Format or culture lookup happens per field.
/// </summary>
internal static class CsvText
{
    private static readonly int BaseDay = new DateOnly(1930, 1, 1).DayNumber;
    private static readonly string[] IsoDates = BuildDates(d => d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
    private static readonly string[] CompactDates = BuildDates(d => d.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture));

    private static string[] BuildDates(Func<DateOnly, string> format)
    {
        var last = new DateOnly(2045, 12, 31).DayNumber;
        var result = new string[last - BaseDay + 1];
        for (var d = BaseDay; d <= last; d++)
        {
            result[d - BaseDay] = format(DateOnly.FromDayNumber(d));
        }

        return result;
    }

    public static string IsoDate(int dayNumber) => IsoDates[dayNumber - BaseDay];

    public static string CompactDate(int dayNumber) => CompactDates[dayNumber - BaseDay];

    public static StringBuilder C(this StringBuilder sb) => sb.Append(',');

    public static StringBuilder Date(this StringBuilder sb, int dayNumber) => sb.Append(IsoDates[dayNumber - BaseDay]);

    /// <summary>yyyy-MM-dd HH:mm:ss.</summary>
    public static StringBuilder Timestamp(this StringBuilder sb, int dayNumber, int secondOfDay)
    {
        sb.Append(IsoDates[dayNumber - BaseDay]).Append(' ');
        Two(sb, secondOfDay / 3600);
        sb.Append(':');
        Two(sb, secondOfDay / 60 % 60);
        sb.Append(':');
        Two(sb, secondOfDay % 60);
        return sb;
    }

    private static void Two(StringBuilder sb, int v)
    {
        sb.Append((char)('0' + v / 10)).Append((char)('0' + v % 10));
    }

    public static StringBuilder Int(this StringBuilder sb, long v)
    {
        if (v < 0)
        {
            sb.Append('-');
            v = -v;
        }

        return sb.Append((ulong)v);
    }

    /// <summary>Zero-padded decimal of fixed width.</summary>
    public static StringBuilder Padded(this StringBuilder sb, long v, int width)
    {
        Span<char> buf = stackalloc char[20];
        for (var i = width - 1; i >= 0; i--)
        {
            buf[i] = (char)('0' + (int)(v % 10));
            v /= 10;
        }

        return sb.Append(buf[..width]);
    }

    /// <summary>Cents as 123.45.</summary>
    public static StringBuilder Money(this StringBuilder sb, long cents)
    {
        if (cents < 0)
        {
            sb.Append('-');
            cents = -cents;
        }

        sb.Append((ulong)(cents / 100)).Append('.');
        var c = (int)(cents % 100);
        return sb.Append((char)('0' + c / 10)).Append((char)('0' + c % 10));
    }

    /// <summary>Tenths as 12.3.</summary>
    public static StringBuilder Tenths(this StringBuilder sb, long tenths)
    {
        if (tenths < 0)
        {
            sb.Append('-');
            tenths = -tenths;
        }

        return sb.Append((ulong)(tenths / 10)).Append('.').Append((char)('0' + (int)(tenths % 10)));
    }

    /// <summary>A free-text field, quoted per RFC 4180 when it holds a delimiter, quote or line break.
    /// Returns the number of line breaks inside the field (they shift physical line numbers).</summary>
    public static int Field(this StringBuilder sb, string value)
    {
        if (value.AsSpan().IndexOfAny(",\"\r\n") < 0)
        {
            sb.Append(value);
            return 0;
        }

        sb.Append('"');
        var breaks = 0;
        foreach (var ch in value)
        {
            if (ch == '"')
            {
                sb.Append('"');
            }
            else if (ch == '\n')
            {
                breaks++;
            }

            sb.Append(ch);
        }

        sb.Append('"');
        return breaks;
    }
}
