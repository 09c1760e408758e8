using Dapper;

namespace RetentionAnalytics.Core.Access;

/// <summary>
/// The regions whose rows a user may read: the whole province, or some cities. No scope means no rows.
/// Every scoped query binds it and filters with the one predicate
/// <c>($scope_all or list_contains(string_split($scope_cities, ','), city_code))</c>, so a city manager's report,
/// export, cube, search or audience holds their cities' rows only.
/// </summary>
public sealed record RegionScope(bool Province, IReadOnlyList<string> Cities)
{
    /// <summary>Default deny: reads nothing.</summary>
    public static readonly RegionScope None = new(false, []);

    /// <summary>The whole province (provincial roles and the system's own jobs).</summary>
    public static readonly RegionScope WholeProvince = new(true, []);

    public static RegionScope ForCities(IEnumerable<string> cities) => new(false, cities.Distinct().Order().ToList());

    public bool IsEmpty => !Province && Cities.Count == 0;

    public bool Allows(string? cityCode) => Province || (cityCode is not null && Cities.Contains(cityCode));

    /// <summary>Binds <c>$scope_all</c> and <c>$scope_cities</c> for the scope predicate.</summary>
    public DynamicParameters AddTo(DynamicParameters parameters)
    {
        parameters.Add("scope_all", Province);
        // "-" never matches a city code, so an empty list cannot turn into "every city"
        parameters.Add("scope_cities", Cities.Count == 0 ? "-" : string.Join(',', Cities));
        return parameters;
    }
}
