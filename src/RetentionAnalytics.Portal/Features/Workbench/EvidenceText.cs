using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Localization;

namespace RetentionAnalytics.Portal.Features.Workbench;

/// <summary>
/// A detector's evidence in the reader's language: its figures by name (det.alert.evidence_json), each labelled from
/// the resources and formatted for the culture -- money, shares, dates, yes/no and codes as names. Evidence with a
/// figure the resources do not know (an analyst's custom rule) keeps the detector's own sentence.
/// </summary>
public static class EvidenceText
{
    private static readonly HashSet<string> Money =
        ["balance", "threshold", "amount_owed", "bill", "bill_avg_3m", "fee_due_month_end", "shortfall", "monthly_commitment", "recharge_amount"];

    /// <summary>Shares as fractions (0.25 = 25 %).</summary>
    private static readonly HashSet<string> Fractions = ["voice_trend", "data_trend", "churn_score", "offnet_share"];

    /// <summary>Shares already in percent (25 = 25 %).</summary>
    private static readonly HashSet<string> Percents = ["drop_pct", "usage_pct"];

    /// <summary>Codes worded by a term of their own (Term_&lt;field&gt;_&lt;code&gt;), or the value tier's name.</summary>
    private static readonly HashSet<string> Coded = ["policy_type", "roaming_type", "target_network", "forward_type"];

    /// <summary>Figures for the model's staff, not for a call.</summary>
    private static readonly HashSet<string> Skipped = ["model_id", "top_factors"];

    public static string Format(IStringLocalizer<WorkbenchResource> t, string? json, string? fallback)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return fallback ?? "";
        }
        try
        {
            using var doc = JsonDocument.Parse(json);
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                return fallback ?? "";
            }
            var parts = new List<string>();
            foreach (var figure in doc.RootElement.EnumerateObject())
            {
                if (Skipped.Contains(figure.Name))
                {
                    continue;
                }
                if (t[$"Evidence_{figure.Name}"] is not { ResourceNotFound: false } label)
                {
                    return fallback ?? json;
                }
                if (Value(t, figure.Name, figure.Value) is { Length: > 0 } value)
                {
                    parts.Add($"{label.Value}: {value}");
                }
            }
            return parts.Count == 0 ? fallback ?? "" : string.Join(" · ", parts);
        }
        catch (JsonException)
        {
            return fallback ?? "";
        }
    }

    private static string? Value(IStringLocalizer<WorkbenchResource> t, string name, JsonElement value)
    {
        var culture = CultureInfo.CurrentCulture;
        switch (value.ValueKind)
        {
            case JsonValueKind.Null or JsonValueKind.Undefined:
                return name == "last_redeemed" ? t["Evidence_never"].Value : null;
            case JsonValueKind.True:
                return t["Evidence_yes"].Value;
            case JsonValueKind.False:
                return t["Evidence_no"].Value;
            case JsonValueKind.Array:
                return string.Join(", ", value.EnumerateArray().Select(v => v.ToString()));
            case JsonValueKind.Number:
                var number = value.GetDecimal();
                return Fractions.Contains(name) ? (number * 100).ToString("N0", culture) + " %"
                    : Percents.Contains(name) ? number.ToString("N1", culture) + " %"
                    : Money.Contains(name) ? number.ToString("N2", culture)
                    : name == "change" ? number.ToString("+#,##0;−#,##0;0", culture)
                    : number == decimal.Truncate(number) ? number.ToString("N0", culture)
                    : number.ToString("N2", culture);
            default:
                var text = value.GetString() ?? "";
                if (Coded.Contains(name))
                {
                    return t.Term($"Term_{name}", text);
                }
                if (name is "value_tier" or "base_value_tier")
                {
                    return t.Term("Tier", text);
                }
                return DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
                    ? date.ToString("d", culture)
                    : text;
        }
    }
}
