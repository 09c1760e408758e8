namespace RetentionAnalytics.Core.Customers;

/// <summary>What a typed search key looks like; <see cref="Any"/> searches every kind.</summary>
public enum SearchKeyKind
{
    Any,
    Msisdn,
    Imsi,
    CustomerNumber,
    ContractNumber,
    SubscriberId,
}

/// <summary>Why a typed key was not searched; the portal shows a text for each.</summary>
public enum SearchKeyProblem
{
    Empty,
    TooShort,
    TooLong,
    InvalidCharacters,
}

/// <summary>
/// A search key as the user typed it, checked and normalised: letters and digits only (spaces, dashes and a
/// leading +86 of a phone number are dropped, letters upper-cased), 3 to 20 characters. The kind is guessed from
/// the shape of the operator's keys: contract numbers start with AG, customer numbers with C, subscriber ids with
/// S; digits are a phone number (starting with 1, at most 11 digits) or an IMSI (460…, or longer than 11 digits).
/// A key that fits none of these is searched as every kind.
/// </summary>
public sealed record SearchKey(string Value, SearchKeyKind Kind)
{
    public const int MinLength = 3;
    public const int MaxLength = 20;

    /// <summary>Checks and normalises typed text; exactly one of key and problem is set.</summary>
    public static (SearchKey? Key, SearchKeyProblem? Problem) Parse(string? typed)
    {
        if (string.IsNullOrWhiteSpace(typed))
        {
            return (null, SearchKeyProblem.Empty);
        }
        // length is checked on the raw text first, so a pasted essay is refused before any work on it
        if (typed.Length > MaxLength * 2)
        {
            return (null, SearchKeyProblem.TooLong);
        }
        var text = typed.Trim();
        var international = text.StartsWith('+');
        if (international)
        {
            text = text[1..];
        }
        var chars = new List<char>(text.Length);
        foreach (var ch in text)
        {
            if (ch is ' ' or '-')
            {
                continue;
            }
            if (!char.IsAsciiLetterOrDigit(ch))
            {
                return (null, SearchKeyProblem.InvalidCharacters);
            }
            chars.Add(char.ToUpperInvariant(ch));
        }
        var value = new string([.. chars]);
        if (international)
        {
            // only a mainland phone number may be written internationally
            if (!value.StartsWith("86", StringComparison.Ordinal) || !value.All(char.IsAsciiDigit))
            {
                return (null, SearchKeyProblem.InvalidCharacters);
            }
            value = value[2..];
        }
        if (value.Length < MinLength)
        {
            return (null, SearchKeyProblem.TooShort);
        }
        if (value.Length > MaxLength)
        {
            return (null, SearchKeyProblem.TooLong);
        }
        return (new SearchKey(value, international ? SearchKeyKind.Msisdn : KindOf(value)), null);
    }

    /// <summary>The kind a (normalised) key most likely is; also the hint shown while the user types.</summary>
    public static SearchKeyKind KindOf(string value)
    {
        if (value.Length == 0)
        {
            return SearchKeyKind.Any;
        }
        if (value.All(char.IsAsciiDigit))
        {
            if (value.StartsWith("460", StringComparison.Ordinal) || value.Length > 11)
            {
                return SearchKeyKind.Imsi;
            }
            return value[0] == '1' ? SearchKeyKind.Msisdn : SearchKeyKind.Any;
        }
        var digitsAfter = (int prefix) => value.Length > prefix && value[prefix..].All(char.IsAsciiDigit);
        if (value.StartsWith("AG", StringComparison.Ordinal) && (value.Length == 2 || digitsAfter(2)))
        {
            return SearchKeyKind.ContractNumber;
        }
        if (value[0] == 'C' && digitsAfter(1))
        {
            return SearchKeyKind.CustomerNumber;
        }
        if (value[0] == 'S' && digitsAfter(1))
        {
            return SearchKeyKind.SubscriberId;
        }
        return SearchKeyKind.Any;
    }

    /// <summary>
    /// The first value after every key that starts with this one: the last character raised by one. Keys hold
    /// ASCII letters and digits only, so the raised character ('9' + 1 = ':', 'Z' + 1 = '[') sorts after all of them.
    /// </summary>
    public string RangeEnd => Value[..^1] + (char)(Value[^1] + 1);

    /// <summary>The key kinds (as dw.subscriber_search_key names them) that a search of this kind looks at.</summary>
    public IReadOnlyList<string> ColumnKinds => Kind switch
    {
        SearchKeyKind.Msisdn => ["msisdn"],
        SearchKeyKind.Imsi => ["imsi"],
        SearchKeyKind.CustomerNumber => ["customer"],
        SearchKeyKind.ContractNumber => ["contract"],
        SearchKeyKind.SubscriberId => ["subscriber"],
        _ => ["msisdn", "imsi", "customer", "contract", "subscriber"],
    };
}
