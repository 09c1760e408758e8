using Dapper;
using RetentionAnalytics.Core.Access;
using RetentionAnalytics.Core.Customers;
using RetentionAnalytics.Core.Warehouse;

namespace RetentionAnalytics.Core.Reports;

/// <summary>Viewers built from the portal's accounts, for renders without a signed-in user (CLI, scheduled delivery).</summary>
public static class ReportViewers
{
    private sealed record Account(string Username, string Roles, bool ScopeProvince, string? ScopeCities, string PreferredLanguage, bool Disabled);

    /// <summary>
    /// The account's roles, scope and language, exactly as the portal's sign-in reads them from <c>ops.app_user</c>.
    /// </summary>
    /// <exception cref="KeyNotFoundException">No such account.</exception>
    /// <exception cref="UnauthorizedAccessException">The account is disabled.</exception>
    public static ReportViewer ForUsername(Db db, string username)
    {
        using var c = db.Ops.Connect();
        var account = c.QueryFirstOrDefault<Account>(db.Ops.Sql.Get("reports/viewer_account.sql"), new { username = username.Trim().ToLowerInvariant() })
            ?? throw new KeyNotFoundException($"no account '{username}'");
        if (account.Disabled)
        {
            throw new UnauthorizedAccessException($"account {account.Username} is disabled");
        }
        var roles = account.Roles.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
        var scope = account.ScopeProvince
            ? RegionScope.WholeProvince
            : RegionScope.ForCities((account.ScopeCities ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        // the same rule as the portal's ICurrentUser.SeesUnmaskedIdentifiers: roles that work with the customer
        var unmasked = roles.Contains("agent") || roles.Contains("supervisor");
        return new ReportViewer(account.Username, roles, scope, CustomerViewer.LanguageOf(account.PreferredLanguage), unmasked);
    }
}
