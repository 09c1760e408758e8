using System.Globalization;
using System.Security.Claims;
using RetentionAnalytics.Core.Access;

namespace RetentionAnalytics.Portal.Features.Access;

/// <summary>
/// What the session cookie carries: username, display name, roles, region scope, the server-side session id and
/// the account's change stamp (a newer stamp in ops.app_user rebuilds the claims on the next request).
/// </summary>
public static class PortalClaims
{
    public const string AuthenticationType = "ra-session";
    public const string DisplayName = "ra:display_name";
    public const string Scope = "ra:scope";
    public const string SessionId = "ra:sid";
    public const string Stamp = "ra:stamp";
    public const string MustChangePassword = "ra:must_change_password";
    public const string SignInIp = "ra:ip";

    public static ClaimsPrincipal Build(AppUser user, string sessionId, bool mustChangePassword, string? clientIp)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.Name, user.Username),
            new(DisplayName, user.DisplayName),
            new(Scope, ScopeValue(user.Scope)),
            new(SessionId, sessionId),
            new(Stamp, StampOf(user.UpdatedAt)),
        };
        claims.AddRange(user.RoleList.Select(r => new Claim(ClaimTypes.Role, r)));
        if (mustChangePassword)
        {
            claims.Add(new Claim(MustChangePassword, "true"));
        }
        if (clientIp is not null)
        {
            claims.Add(new Claim(SignInIp, clientIp));
        }
        return new ClaimsPrincipal(new ClaimsIdentity(claims, AuthenticationType, ClaimTypes.Name, ClaimTypes.Role));
    }

    public static string StampOf(DateTime? updatedAt) =>
        (updatedAt?.Ticks ?? 0).ToString(CultureInfo.InvariantCulture);

    /// <summary><c>province</c>, <c>cities:571,574</c> or <c>none</c>.</summary>
    public static string ScopeValue(RegionScope scope) =>
        scope.Province ? "province" : scope.Cities.Count > 0 ? "cities:" + string.Join(',', scope.Cities) : "none";

    /// <summary>The scope a principal carries; anything unreadable or missing is <see cref="RegionScope.None"/>.</summary>
    public static RegionScope ScopeOf(ClaimsPrincipal principal)
    {
        if (principal.Identity?.IsAuthenticated != true)
        {
            return RegionScope.None;
        }
        var value = principal.FindFirstValue(Scope);
        if (value == "province")
        {
            return RegionScope.WholeProvince;
        }
        if (value is not null && value.StartsWith("cities:", StringComparison.Ordinal))
        {
            var cities = AccountText.SplitList(value["cities:".Length..]);
            return cities.Count > 0 ? RegionScope.ForCities(cities) : RegionScope.None;
        }
        return RegionScope.None;
    }

    public static string? SessionOf(ClaimsPrincipal principal) => principal.FindFirstValue(SessionId);

    public static bool MustChange(ClaimsPrincipal principal) => principal.HasClaim(MustChangePassword, "true");
}
