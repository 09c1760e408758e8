using System.Globalization;
using Microsoft.Extensions.Localization;
using RetentionAnalytics.Core.Reports;
using RetentionAnalytics.Portal.Features.Reports;

namespace RetentionAnalytics.Portal.Features.Delivery;

/// <summary>
/// A subscription's parameters as the report page shows them, in the reader's language: each by the label of the
/// report's definition, its value as the page's field shows it (a month in the reader's words, a city by its name, a
/// number with the reader's decimal mark). A parameter the subscription leaves out is what each delivery takes: a
/// month relative to the newest loaded month, every city of the subscriber's regions, the report's default.
/// </summary>
public static class SubscriptionParameterText
{
    /// <param name="report">The report subscribed to; null when it is no report of the catalogue (a saved view, a removed report).</param>
    /// <param name="allCities">What the report page calls an empty city: every city of the reader's regions.</param>
    public static IReadOnlyList<string> Of(ReportDefinition? report, IReadOnlyDictionary<string, string> stored, NameBook names,
        CultureInfo culture, IStringLocalizer<DeliveryResource> t, string allCities)
    {
        var texts = new List<string>();
        var declared = report?.Parameters ?? [];
        foreach (var p in declared)
        {
            var shown = stored.TryGetValue(p.Name, out var value) && value.Length > 0
                ? Value(p, value, names, culture, t)
                : Left(p, names, culture, t, allCities);
            if (shown is not null)
            {
                texts.Add(t["ParameterValue", p.Label.In(names.Language), shown]);
            }
        }
        // what the report does not (or no longer) declare: as it is stored
        texts.AddRange(stored.Where(s => declared.All(p => p.Name != s.Key)).Select(s => t["ParameterValue", s.Key, s.Value].Value));
        return texts;
    }

    private static string Value(ReportParameter p, string value, NameBook names, CultureInfo culture, IStringLocalizer<DeliveryResource> t) =>
        p.Type == ParameterTypes.Month && ReportMonth.BeforeLatest(value) is { } before
            ? BeforeLatest(before, t)
            : ReportParameterText.Read(p, value, names, culture);

    private static string? Left(ReportParameter p, NameBook names, CultureInfo culture, IStringLocalizer<DeliveryResource> t, string allCities) => p.Type switch
    {
        ParameterTypes.City => allCities,
        _ when p.Default is { Length: > 0 } fallback => Value(p, fallback, names, culture, t),
        _ => null,
    };

    private static string BeforeLatest(int months, IStringLocalizer<DeliveryResource> t) => months switch
    {
        0 => t["MonthLatest"],
        1 => t["MonthBeforeLatest"],
        _ => t["MonthsBeforeLatest", months],
    };
}
