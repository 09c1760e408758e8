using System.Reflection;

namespace RetentionAnalytics.Core.Accounts;

/// <summary>
/// The password rule of every local account, the same for the portal and the command line: at least
/// <see cref="MinLength"/> characters (never fewer than <see cref="Floor"/>), at most <see cref="MaxLength"/>, any
/// characters (spaces and Chinese included, nothing truncated), no composition rules; refused when it contains the
/// username, is the documented demo password, is one or two characters repeated, or is on the shipped list of common
/// passwords (<c>common-passwords.txt</c>, compared without case).
/// </summary>
public sealed class PasswordPolicy
{
    public const int Floor = 12;
    public const int MaxLength = 128;

    public PasswordPolicy(int minLength = Floor, string? demoPassword = null)
    {
        if (minLength < Floor || minLength > MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(minLength), $"The minimum password length must be between {Floor} and {MaxLength}.");
        }
        MinLength = minLength;
        DemoPassword = demoPassword;
    }

    public int MinLength { get; }

    public string? DemoPassword { get; }

    /// <exception cref="AccountException">PasswordTooShort, PasswordTooLong, PasswordTooWeak or PasswordCommon.</exception>
    public void Check(string username, string password)
    {
        if (password.Length < MinLength)
        {
            throw new AccountException("PasswordTooShort");
        }
        if (password.Length > MaxLength)
        {
            throw new AccountException("PasswordTooLong");
        }
        if ((username.Length > 0 && password.Contains(username, StringComparison.OrdinalIgnoreCase))
            || (DemoPassword is { Length: > 0 } && password == DemoPassword)
            || password.Distinct().Count() <= 2)
        {
            throw new AccountException("PasswordTooWeak");
        }
        if (CommonPasswords.Contains(password))
        {
            throw new AccountException("PasswordCommon");
        }
    }
}

/// <summary>
/// The entries of 12 characters or more of SecLists' "10 million password list, top 1,000,000" (OWASP SecLists
/// project, CC BY-SA 3.0), lower-cased: shorter ones are refused by the length rule anyway. Shipped in the assembly.
/// </summary>
public static class CommonPasswords
{
    private static readonly Lazy<HashSet<string>> List = new(Load);

    public static int Count => List.Value.Count;

    public static bool Contains(string password) => List.Value.Contains(password.ToLowerInvariant());

    private static HashSet<string> Load()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("RetentionAnalytics.Core.Accounts.common-passwords.txt")
            ?? throw new InvalidOperationException("The common-password list is missing from the build.");
        using var reader = new StreamReader(stream);
        var set = new HashSet<string>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0)
            {
                set.Add(line);
            }
        }
        return set;
    }
}
