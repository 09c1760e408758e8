namespace RetentionAnalytics.Tests.Support;

/// <summary>
/// The sample province's clock (Asia/Shanghai, the default <c>Region:TimeZone</c>): what the product stamps and shows,
/// whatever zone the machine running the tests keeps.
/// </summary>
public static class Province
{
    public static readonly TimeZoneInfo Zone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    public static DateTime Now => TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, Zone).DateTime;
}
