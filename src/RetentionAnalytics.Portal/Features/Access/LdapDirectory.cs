using System.DirectoryServices.Protocols;
using System.Net;
using System.Text;

namespace RetentionAnalytics.Portal.Features.Access;

/// <summary>What the directory says about a user who bound successfully.</summary>
public sealed record DirectoryUser(string Username, string DisplayName, IReadOnlyList<string> Groups);

/// <summary>
/// LDAP sign-in: a simple bind as the user (over LDAPS by default), then a read of the user's own entry for the
/// display name and group memberships. The password is never stored or logged.
/// </summary>
public sealed class LdapDirectory(AuthOptions options, ILogger<LdapDirectory> log)
{
    public bool Enabled => options.Ldap.Enabled;

    /// <summary>Null when the bind fails (wrong password, unknown user) or the directory cannot be reached.</summary>
    public DirectoryUser? Authenticate(string username, string password)
    {
        var ldap = options.Ldap;
        if (!ldap.Enabled || password.Length == 0)
        {
            return null;
        }
        try
        {
            using var connection = new LdapConnection(new LdapDirectoryIdentifier(ldap.Server, ldap.Port))
            {
                AuthType = AuthType.Basic,
                Timeout = TimeSpan.FromSeconds(ldap.TimeoutSeconds),
            };
            connection.SessionOptions.ProtocolVersion = 3;
            connection.SessionOptions.SecureSocketLayer = ldap.UseSsl;
            connection.Bind(new NetworkCredential(string.Format(System.Globalization.CultureInfo.InvariantCulture, ldap.BindDnFormat, EscapeDn(username)), password));

            var search = new SearchRequest(ldap.SearchBase,
                string.Format(System.Globalization.CultureInfo.InvariantCulture, ldap.UserFilter, EscapeFilter(username)),
                SearchScope.Subtree, ldap.DisplayNameAttribute, ldap.GroupAttribute);
            var response = (SearchResponse)connection.SendRequest(search);
            var entry = response.Entries.Cast<SearchResultEntry>().FirstOrDefault();
            var displayName = entry?.Attributes[ldap.DisplayNameAttribute]?.GetValues(typeof(string)).Cast<string>().FirstOrDefault() ?? username;
            var groups = entry?.Attributes[ldap.GroupAttribute]?.GetValues(typeof(string)).Cast<string>().ToList() ?? [];
            return new DirectoryUser(username, displayName, groups);
        }
        catch (LdapException ex) when (ex.ErrorCode == 49)
        {
            // invalid credentials: an ordinary failed sign-in, audited by the caller
            return null;
        }
        catch (Exception ex)
        {
            log.LogError("LDAP sign-in failed with {ExceptionType}", ex.GetType().FullName);
            return null;
        }
    }

    /// <summary>RFC 4515: the characters a filter value must not carry raw.</summary>
    public static string EscapeFilter(string value)
    {
        var sb = new StringBuilder();
        foreach (var ch in value)
        {
            sb.Append(ch switch
            {
                '\\' => @"\5c",
                '*' => @"\2a",
                '(' => @"\28",
                ')' => @"\29",
                '\0' => @"\00",
                _ => ch.ToString(),
            });
        }
        return sb.ToString();
    }

    /// <summary>RFC 4514: the characters a DN attribute value must escape.</summary>
    public static string EscapeDn(string value)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < value.Length; i++)
        {
            var ch = value[i];
            if (",+\"\\<>;=".Contains(ch) || (i == 0 && (ch == '#' || ch == ' ')) || (i == value.Length - 1 && ch == ' '))
            {
                sb.Append('\\');
            }
            sb.Append(ch);
        }
        return sb.ToString();
    }
}
