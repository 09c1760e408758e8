using RetentionAnalytics.Core.Access;

namespace RetentionAnalytics.Core.Customers;

/// <summary>
/// Who is looking at customers: what the search and the 360 view need to know of the signed-in user. The portal
/// builds it from its current user; Core never reads claims.
/// </summary>
/// <param name="Username">For the audit trail; null only for anonymous callers, who have no scope anyway.</param>
/// <param name="Scope">The regions whose subscribers the user may find and open (by the subscriber's current city).</param>
/// <param name="SeesUnmaskedIdentifiers">Agents and supervisors work with the customer and see numbers in full.</param>
/// <param name="ClientIp">For the audit trail.</param>
/// <param name="Language">Names of scenarios, tiers and cities: <c>en</c>, <c>de</c> or <c>zh</c>.</param>
public sealed record CustomerViewer(
    string? Username, RegionScope Scope, bool SeesUnmaskedIdentifiers, string? ClientIp = null, string Language = "en")
{
    /// <summary>The language code the warehouse's name columns use, from a UI culture name (de-DE → de, zh-Hans → zh).</summary>
    public static string LanguageOf(string cultureName) =>
        cultureName.StartsWith("de", StringComparison.OrdinalIgnoreCase) ? "de"
        : cultureName.StartsWith("zh", StringComparison.OrdinalIgnoreCase) ? "zh"
        : "en";
}
