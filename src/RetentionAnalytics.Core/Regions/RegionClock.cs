using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace RetentionAnalytics.Core.Regions;

/// <summary>
/// The time zones of the province (configuration section <c>Region</c>): one zone for the province, optionally another
/// for a city (by city code). Calling hours, SMS quiet hours and callbacks are the customer's local time, never the
/// server's. The sample province is <c>Asia/Shanghai</c>.
/// </summary>
public sealed class RegionTimeOptions
{
    /// <summary>IANA id of the province's zone.</summary>
    public string TimeZone { get; set; } = "Asia/Shanghai";

    /// <summary>City code → IANA id, for cities that keep another zone than the province.</summary>
    public Dictionary<string, string> CityTimeZones { get; set; } = [];
}

/// <summary>
/// Cities that share a zone: <see cref="Cities"/> null is the province's group (every city but <see cref="ExceptCities"/>,
/// the overrides with another zone); otherwise the listed override cities.
/// </summary>
public sealed record ZoneGroup(TimeZoneInfo Zone, IReadOnlyList<string>? Cities, IReadOnlyList<string> ExceptCities);

/// <summary>
/// The one place that knows the region's time. Operational timestamps (tasks, calls, SMS) are stored as the
/// province's wall clock, like the warehouse's own business times; checks run in the zone of the customer's city.
/// </summary>
public sealed class RegionClock
{
    private readonly TimeProvider _clock;
    private readonly Dictionary<string, TimeZoneInfo> _cities;

    public RegionClock(RegionTimeOptions options, TimeProvider clock)
    {
        _clock = clock;
        Province = Find(options.TimeZone, "Region:TimeZone");
        _cities = options.CityTimeZones.ToDictionary(c => c.Key, c => Find(c.Value, $"Region:CityTimeZones:{c.Key}"), StringComparer.Ordinal);
    }

    public TimeZoneInfo Province { get; }

    /// <summary>The province's zone as the IANA id databases take (DuckDB's and PostgreSQL's <c>TimeZone</c>).</summary>
    public string ProvinceZoneId => IanaId(Province);

    /// <summary>A zone's IANA id, also on a machine that names zones the Windows way.</summary>
    public static string IanaId(TimeZoneInfo zone) =>
        zone.HasIanaId ? zone.Id : TimeZoneInfo.TryConvertWindowsIdToIanaId(zone.Id, out var iana) ? iana : zone.Id;

    /// <summary>The zone of a city (its override, else the province's); null or unknown: the province's.</summary>
    public TimeZoneInfo ZoneOf(string? cityCode) =>
        cityCode is not null && _cities.TryGetValue(cityCode, out var zone) ? zone : Province;

    /// <summary>Now on the province's wall clock: how operational timestamps are written and compared.</summary>
    public DateTime Now => At(_clock.GetUtcNow());

    /// <summary>An instant on the province's wall clock (e.g. a <see cref="TimeProvider"/>'s now, as stored).</summary>
    public DateTime At(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, Province).DateTime;

    public DateOnly Today => DateOnly.FromDateTime(Now);

    /// <summary>Now on the wall clock of the city's zone.</summary>
    public DateTime LocalNow(string? cityCode) => LocalNow(ZoneOf(cityCode));

    public DateTime LocalNow(TimeZoneInfo zone) => TimeZoneInfo.ConvertTime(_clock.GetUtcNow(), zone).DateTime;

    /// <summary>A time the customer's city reads (e.g. a callback the agent agreed on) as the stored province time.</summary>
    public DateTime ToStored(DateTime cityLocal, string? cityCode) => ToStored(cityLocal, ZoneOf(cityCode));

    public DateTime ToStored(DateTime local, TimeZoneInfo zone) => Convert(local, zone, Province);

    /// <summary>A stored province time as the customer's city reads it.</summary>
    public DateTime ToLocal(DateTime stored, string? cityCode) => Convert(stored, Province, ZoneOf(cityCode));

    /// <summary>The province's cities and every override, grouped by zone: what a per-zone rule (quiet hours) runs over.</summary>
    public IReadOnlyList<ZoneGroup> Groups()
    {
        var others = _cities.Where(c => !SameZone(c.Value, Province)).ToList();
        return
        [
            new ZoneGroup(Province, null, others.Select(c => c.Key).Order(StringComparer.Ordinal).ToList()),
            .. others.GroupBy(c => c.Value.Id)
                .Select(g => new ZoneGroup(g.First().Value, g.Select(c => c.Key).Order(StringComparer.Ordinal).ToList(), [])),
        ];
    }

    private static bool SameZone(TimeZoneInfo a, TimeZoneInfo b) => a.Id == b.Id || a.HasSameRules(b);

    private static DateTime Convert(DateTime time, TimeZoneInfo from, TimeZoneInfo to) =>
        from.Id == to.Id ? time : TimeZoneInfo.ConvertTime(DateTime.SpecifyKind(time, DateTimeKind.Unspecified), from, to);

    private static TimeZoneInfo Find(string id, string setting)
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw new InvalidOperationException($"{setting}: \"{id}\" is not a time zone this machine knows (use an IANA id such as Asia/Shanghai).", ex);
        }
    }
}

public static class RegionServices
{
    /// <summary>The region's clock; the host registers <see cref="RegionTimeOptions"/> from its configuration, else the defaults.</summary>
    public static IServiceCollection AddRegionClock(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(new RegionTimeOptions());
        services.TryAddSingleton<RegionClock>();
        return services;
    }
}
