using System.Globalization;
using RetentionAnalytics.Core.Reports;

namespace RetentionAnalytics.Portal.Features.Reports;

/// <summary>
/// A report parameter as the reader types and reads it, and as the engine, the export link and a subscription take it.
/// A decimal is written in the reader's language on the page ("7,5" in German) and travels invariant ("7.5"): the
/// engine reads a point only, and would take a German "7,5" for 75.
/// </summary>
public static class ReportParameterText
{
    /// <summary>A typed number: a sign, the reader's decimal mark, no group separators (which would hide a misplaced mark).</summary>
    private const NumberStyles Typed = ReportCatalog.DecimalStyle;

    /// <summary>A bound value in the parameter's box: a month as yyyy-MM (its dropdown's value), a decimal in the reader's language.</summary>
    public static string Shown(object? bound, CultureInfo culture) => bound switch
    {
        null => "",
        DateOnly d => d.ToString("yyyy-MM", CultureInfo.InvariantCulture),
        double or float or decimal => Convert.ToDecimal(bound, CultureInfo.InvariantCulture).ToString(culture),
        var v => ReportEngine.KeyText(v),
    };

    /// <summary>
    /// A value as it travels (yyyy-MM, a city code, an invariant number) as the report page shows it in its field: a
    /// month in the reader's words, a city by its name, a number in the reader's language; anything else as it is.
    /// </summary>
    public static string Read(ReportParameter p, string value, NameBook names, CultureInfo culture) => p.Type switch
    {
        ParameterTypes.Month when ReportMonth.TryParse(value, out var month) => month.ToString("Y", culture),
        ParameterTypes.City => names.Name("city", value),
        ParameterTypes.Integer when long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) => l.ToString(culture),
        ParameterTypes.Decimal when decimal.TryParse(value, ReportCatalog.DecimalStyle, CultureInfo.InvariantCulture, out var m) => m.ToString(culture),
        _ => value,
    };

    /// <summary>True when a decimal parameter's text reads as a number in the reader's language (other types are the engine's to check).</summary>
    public static bool Readable(ReportParameter p, string typed, CultureInfo culture) =>
        p.Type != ParameterTypes.Decimal || decimal.TryParse(typed, Typed, culture, out _);

    /// <summary>What the engine is given: a decimal the reader typed, invariant; anything else (or an unreadable decimal) as typed.</summary>
    public static string Sent(ReportParameter? p, string typed, CultureInfo culture) =>
        p?.Type == ParameterTypes.Decimal && decimal.TryParse(typed, Typed, culture, out var value)
            ? value.ToString(CultureInfo.InvariantCulture)
            : typed;
}
