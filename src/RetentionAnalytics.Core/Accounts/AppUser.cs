using RetentionAnalytics.Core.Access;

namespace RetentionAnalytics.Core.Accounts;

/// <summary>A portal account as ops.app_user stores it (sql/access/user_list.sql), with the agent's team and capacity.</summary>
public sealed class AppUser
{
    public string Username { get; init; } = "";
    public string DisplayName { get; init; } = "";
    public string? PasswordHash { get; init; }
    public string Source { get; init; } = AccountSources.Local;
    public string Roles { get; init; } = "";
    public bool ScopeProvince { get; init; }
    public string? ScopeCities { get; init; }
    public string? TeamId { get; internal set; }
    public int? AgentCapacity { get; internal set; }
    public string PreferredLanguage { get; init; } = "en";
    public bool Disabled { get; init; }
    public bool MustChangePassword { get; init; }
    public bool DemoSeed { get; init; }
    public DateTime? LastSignInAt { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; init; }

    public IReadOnlyList<string> RoleList => AccountText.SplitList(Roles);

    public IReadOnlyList<string> CityList => AccountText.SplitList(ScopeCities);

    /// <summary>Province-wide, some cities, or nothing (an account without scope reads no rows).</summary>
    public RegionScope Scope => AccountText.ScopeOf(ScopeProvince, CityList);

    /// <summary>
    /// Whether the next sign-in must choose a new password first: after an administrator's reset, and for the seeded
    /// demo accounts unless the portal runs in demo mode (their password is in the documentation).
    /// </summary>
    public bool MustChangeNow(bool demoMode) =>
        Source == AccountSources.Local && MustChangePassword && !(demoMode && DemoSeed);
}

public static class AccountSources
{
    public const string Local = "local";
    public const string Ldap = "ldap";
    public const string Oidc = "oidc";
}

/// <summary>What an administrator (or a directory's groups) sets on an account.</summary>
public sealed record AccountProfile(
    string DisplayName,
    IReadOnlyList<string> Roles,
    bool Province,
    IReadOnlyList<string> Cities,
    string? TeamId,
    string PreferredLanguage)
{
    public RegionScope Scope => AccountText.ScopeOf(Province, Cities);
}

/// <summary>How lists are stored: comma-separated, trimmed, distinct, ordered.</summary>
public static class AccountText
{
    public static IReadOnlyList<string> SplitList(string? text) =>
        string.IsNullOrWhiteSpace(text)
            ? []
            : text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

    public static string? JoinList(IEnumerable<string> items)
    {
        var list = items.Select(i => i.Trim()).Where(i => i.Length > 0).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return list.Count == 0 ? null : string.Join(',', list);
    }

    public static RegionScope ScopeOf(bool province, IReadOnlyList<string> cities) =>
        province ? RegionScope.WholeProvince : cities.Count > 0 ? RegionScope.ForCities(cities) : RegionScope.None;

    /// <summary>Roles as the portal knows them; anything else is refused rather than stored.</summary>
    public static IReadOnlyList<string> ValidRoles(IEnumerable<string> roles)
    {
        var list = roles.Select(r => r.Trim()).Where(r => r.Length > 0).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var unknown = list.Where(r => !AccountRoles.All.Contains(r)).ToList();
        return unknown.Count == 0 ? list : throw new AccountException("UnknownRole");
    }
}

/// <summary>A change refused for a reason the page shows (the message is a resource key, never user input).</summary>
public sealed class AccountException(string reasonKey) : Exception(reasonKey)
{
    public string ReasonKey { get; } = reasonKey;
}
