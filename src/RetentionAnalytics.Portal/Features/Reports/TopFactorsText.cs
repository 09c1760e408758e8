using System.Globalization;
using Microsoft.Extensions.Localization;
using RetentionAnalytics.Core.Scenarios;
using RetentionAnalytics.Portal.Features.CustomRules;

namespace RetentionAnalytics.Portal.Features.Reports;

/// <summary>
/// A churn score's main factors (det.churn_score.top_factors: "points_balance 17; arpu_avg_3m missing; contract=Two
/// year", the scorer's words) in the reader's language: each feature by the name the rule editor gives it, a number in
/// the culture's format, a yes/no feature and a missing value as words (a category is named by the report engine). A feature the resources do not name (a contract's own column)
/// keeps its column name; a category keeps its value as delivered.
/// </summary>
public static class TopFactorsText
{
    public static string Format(IStringLocalizer<CustomRulesResource> names, IStringLocalizer<ReportsResource> t, string? factors)
    {
        if (string.IsNullOrWhiteSpace(factors))
        {
            return "";
        }
        var parts = factors.Split("; ", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(factor => Factor(names, t, factor))
            .Distinct(StringComparer.Ordinal);
        return string.Join(" · ", parts);
    }

    private static string Factor(IStringLocalizer<CustomRulesResource> names, IStringLocalizer<ReportsResource> t, string factor)
    {
        // a category's slot: column=value (the value may hold spaces, the column never does)
        var equals = factor.IndexOf('=', StringComparison.Ordinal);
        if (equals > 0 && !factor[..equals].Contains(' ', StringComparison.Ordinal))
        {
            return $"{names.FieldName(factor[..equals])}: {factor[(equals + 1)..]}";
        }
        var space = factor.LastIndexOf(' ');
        if (space <= 0)
        {
            return names.FieldName(factor);
        }
        var (column, value) = (factor[..space], factor[(space + 1)..]);
        var shown = value == "missing" ? t["FactorMissing"].Value
            : FeatureFields.Find(column)?.Type == "bool" ? t[value == "0" ? "FactorNo" : "FactorYes"].Value
            : double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? number.ToString("#,##0.##", CultureInfo.CurrentCulture)
            : value;
        return $"{names.FieldName(column)}: {shown}";
    }
}
