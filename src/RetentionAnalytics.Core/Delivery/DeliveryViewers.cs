using Dapper;
using RetentionAnalytics.Core.Access;
using RetentionAnalytics.Core.Reports;
using RetentionAnalytics.Core.Warehouse;

namespace RetentionAnalytics.Core.Delivery;

/// <summary>
/// The <see cref="ReportViewer"/> of an account in <c>ops.app_user</c>: its roles, scope and language, so a scheduled
/// copy is rendered for its subscriber exactly as the portal would show it to them.
/// </summary>
public static class DeliveryViewers
{
    private sealed record AppUserRow(
        string Username, string Roles, bool ScopeProvince, string? ScopeCities, string PreferredLanguage, bool Disabled);

    /// <exception cref="UnauthorizedAccessException">No such account, or it is disabled.</exception>
    public static ReportViewer ForUsername(Db db, string username)
    {
        using var c = db.Ops.Connect();
        var user = c.QuerySingleOrDefault<AppUserRow>(db.Ops.Sql.Get("delivery/app_user_viewer.sql"), new { username })
            ?? throw new UnauthorizedAccessException($"No portal account '{username}'.");
        if (user.Disabled)
        {
            throw new UnauthorizedAccessException($"The portal account '{username}' is disabled.");
        }
        var roles = user.Roles.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        var scope = user.ScopeProvince
            ? RegionScope.WholeProvince
            : RegionScope.ForCities((user.ScopeCities ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        var language = user.PreferredLanguage.StartsWith("zh", StringComparison.OrdinalIgnoreCase) ? "zh"
            : user.PreferredLanguage.StartsWith("de", StringComparison.OrdinalIgnoreCase) ? "de" : "en";
        // as in the portal: agents and supervisors work with the customer and see numbers in full
        var unmasked = roles.Contains("agent") || roles.Contains("supervisor");
        return new ReportViewer(user.Username, roles, scope, language, unmasked);
    }
}
