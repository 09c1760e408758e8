using RetentionAnalytics.Portal.Features.Shared.Access;

namespace RetentionAnalytics.Portal.Features.Access;

/// <summary>
/// Directory groups to portal roles and region scope, from configuration (Auth:GroupMappings). A member of several
/// groups gets every role they give; a province-wide group wins over city groups; no matching group: no roles, no
/// scope (the sign-in is refused).
/// </summary>
public sealed class GroupRoleMapper
{
    private readonly IReadOnlyList<GroupMapping> _mappings;

    public GroupRoleMapper(IEnumerable<GroupMapping> mappings)
    {
        _mappings = mappings.ToList();
        foreach (var mapping in _mappings)
        {
            if (string.IsNullOrWhiteSpace(mapping.Group))
            {
                throw new InvalidOperationException("Auth:GroupMappings: every mapping needs a Group.");
            }
            var unknown = mapping.Roles.Where(r => !PortalRoles.All.Contains(r)).ToList();
            if (unknown.Count > 0)
            {
                throw new InvalidOperationException(
                    $"Auth:GroupMappings: group '{mapping.Group}' names unknown role(s) {string.Join(", ", unknown)}; known: {string.Join(", ", PortalRoles.All)}.");
            }
        }
    }

    /// <summary>The roles and scope the groups give, with the given display name and language.</summary>
    public AccountProfile Map(IEnumerable<string> groups, string displayName, string preferredLanguage = "en")
    {
        // DNs and most directories' group names compare without case
        var member = new HashSet<string>(groups.Select(g => g.Trim()), StringComparer.OrdinalIgnoreCase);
        var matched = _mappings.Where(m => member.Contains(m.Group.Trim())).ToList();
        var province = matched.Any(m => m.Province);
        var cities = province ? [] : matched.SelectMany(m => m.Cities).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return new AccountProfile(
            displayName,
            matched.SelectMany(m => m.Roles).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(),
            province,
            cities,
            matched.Select(m => m.TeamId).FirstOrDefault(t => !string.IsNullOrWhiteSpace(t)),
            preferredLanguage);
    }
}
