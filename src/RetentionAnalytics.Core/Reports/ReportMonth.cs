using System.Globalization;
using System.Text.RegularExpressions;

namespace RetentionAnalytics.Core.Reports;

/// <summary>
/// A month as reports, cubes, exports and subscriptions carry it in text: yyyy-MM ("2026-10"), invariant, read as the
/// month's first day.
/// </summary>
public static partial class ReportMonth
{
    public const string Format = "yyyy-MM";

    /// <summary>True for a yyyy-MM month, with its first day; false for anything else (a date, "latest", "2026-1").</summary>
    public static bool TryParse(string? text, out DateOnly month) =>
        DateOnly.TryParseExact(text, Format, CultureInfo.InvariantCulture, DateTimeStyles.None, out month);

    /// <summary>
    /// A month relative to the newest loaded month, as a month parameter's default says it: "latest" is 0 months before
    /// it, "latest-N" N months (up to 999); null for anything else.
    /// </summary>
    public static int? BeforeLatest(string? text) =>
        text == "latest" ? 0
        : text is not null && LatestOffset().Match(text) is { Success: true } offset ? int.Parse(offset.Groups[1].Value, CultureInfo.InvariantCulture)
        : null;

    [GeneratedRegex("^latest-([0-9]{1,3})$")]
    private static partial Regex LatestOffset();
}
