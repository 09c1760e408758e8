using System.Globalization;
using System.Text;

namespace RetentionAnalytics.Core.Customers;

/// <summary>The personal identifiers a user may see masked and reveal one at a time.</summary>
public enum IdentifierField
{
    Msisdn,
    Imsi,
    IdNumber,
    CustomerName,
}

/// <summary>
/// Masks personal identifiers for users who do not work with the customer directly: enough stays visible to
/// confirm a number the caller reads out (the first and last digits), not enough to contact or identify anyone.
/// </summary>
public static class IdentifierMask
{
    /// <summary>138****5678: network prefix and the last four digits, the rest hidden.</summary>
    public static string? Phone(string? msisdn) => Code(msisdn, 3, 4);

    /// <summary>46002******3728: country and network code (not personal) and the last four digits.</summary>
    public static string? Imsi(string? imsi) => Code(imsi, 5, 4);

    /// <summary>3301**********1234: the region of issue and the last four characters (incl. the check digit).</summary>
    public static string? IdNumber(string? idNumber) => Code(idNumber, 4, 4);

    /// <summary>
    /// Chinese names keep the family name, and the last character of names of three or more (张*丰, 陈*); names
    /// with spaces keep each part's initial (J*** S****). Characters, not UTF-16 units, are counted.
    /// </summary>
    public static string? Name(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return name;
        }
        var trimmed = name.Trim();
        if (trimmed.Contains(' '))
        {
            return string.Join(' ', trimmed.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(part => Keep(part, 1, 0)));
        }
        return Keep(trimmed, 1, TextElements(trimmed).Count >= 3 ? 1 : 0);
    }

    public static string? Mask(IdentifierField field, string? value) => field switch
    {
        IdentifierField.Msisdn => Phone(value),
        IdentifierField.Imsi => Imsi(value),
        IdentifierField.IdNumber => IdNumber(value),
        IdentifierField.CustomerName => Name(value),
        _ => throw new ArgumentOutOfRangeException(nameof(field)),
    };

    /// <summary>
    /// A number or code keeps its head and tail only while at least four characters stay hidden: an unusually
    /// short value keeps a quarter at each end instead, and one of fewer than four characters is hidden completely.
    /// </summary>
    private static string? Code(string? value, int head, int tail)
    {
        if (string.IsNullOrEmpty(value))
        {
            return value;
        }
        var length = TextElements(value).Count;
        if (length - head - tail < 4)
        {
            head = Math.Min(head, length / 4);
            tail = Math.Min(tail, length / 4);
        }
        return Keep(value, head, tail);
    }

    /// <summary>Keeps head and tail characters and stars the rest; nothing kept when nothing would be hidden.</summary>
    private static string Keep(string value, int head, int tail)
    {
        var elements = TextElements(value);
        var hidden = elements.Count - head - tail;
        if (hidden < 1)
        {
            return new string('*', elements.Count);
        }
        var sb = new StringBuilder();
        foreach (var e in elements.Take(head))
        {
            sb.Append(e);
        }
        sb.Append('*', hidden);
        foreach (var e in elements.Skip(head + hidden))
        {
            sb.Append(e);
        }
        return sb.ToString();
    }

    private static List<string> TextElements(string value)
    {
        var list = new List<string>();
        var e = StringInfo.GetTextElementEnumerator(value);
        while (e.MoveNext())
        {
            list.Add(e.GetTextElement());
        }
        return list;
    }
}
