namespace RetentionAnalytics.Core.Scenarios;

public sealed record FeatureField(string Name, string Type, string Meaning);

/// <summary>
/// The columns of <c>mart.mart_subscriber_features</c> a custom rule may test (docs/scenarios.md lists them). This map
/// is the only source of column names in a compiled rule: a field that is not a key here is rejected.
/// </summary>
public static class FeatureFields
{
    public static readonly IReadOnlyList<FeatureField> All =
    [
        new("city_code", "text", "city at month end (570..580)"),
        new("district_code", "text", "district at month end"),
        new("plan_code", "text", "tariff plan at month end (e.g. Q88, P28)"),
        new("payment_type", "text", "prepaid or postpaid"),
        new("channel_code", "text", "sales channel of the subscription"),
        new("value_tier", "text", "value tier at month end: high, mid, low"),
        new("value_tier_previous", "text", "value tier a month earlier"),
        new("status", "text", "month-end status: active or suspended (churned rows are never matched)"),
        new("star_level", "int", "star (membership) level 0..7 (0 none … 5 five stars, 6 gold, 7 diamond)"),
        new("star_level_previous", "int", "star level a month earlier"),
        new("star_level_change", "int", "star level minus the previous month's (negative: down)"),
        new("is_new", "bool", "activated during the month"),
        new("in_snapshot_base", "bool", "member of the snapshot base (拍照用户)"),
        new("tenure_months", "int", "whole months since activation"),
        new("arpu", "decimal", "the month's bill total"),
        new("arpu_avg_3m", "decimal", "average bill of the three months before"),
        new("arpu_trend", "decimal", "bill ÷ 3-month average (0.5 = half)"),
        new("voice_minutes", "decimal", "voice minutes in the month"),
        new("voice_trend", "decimal", "voice minutes ÷ their 3-month average"),
        new("data_mb", "decimal", "mobile data in MB in the month"),
        new("data_trend", "decimal", "data ÷ its 3-month average"),
        new("sms_count", "int", "SMS sent in the month"),
        new("offnet_minutes", "decimal", "voice minutes to other networks"),
        new("offnet_share", "decimal", "offnet minutes ÷ voice minutes (0..1)"),
        new("active_days", "int", "days with any usage in the month"),
        new("open_complaints", "int", "complaints open at month end"),
        new("complaints_90d", "int", "complaints made in the 90 days up to month end"),
        new("is_suspended", "bool", "suspended at month end"),
        new("days_suspended", "int", "days since the latest suspension (suspended lines)"),
        new("amount_owed", "decimal", "open arrears amount"),
        new("months_to_contract_end", "int", "months until the binding agreement ends (null: none)"),
        new("has_active_forwarding_offnet", "bool", "a call forwarding to another network in force at month end"),
        new("balance", "decimal", "prepaid balance at month end"),
        new("fee_due_month_end", "decimal", "fee deducted at the turn of the month (prepaid)"),
        new("shortfall", "decimal", "fee due − balance (> 0: will be suspended)"),
        new("recharge_amount", "decimal", "top-ups in the month"),
        new("days_since_last_usage", "int", "days since the last usage day (newest month only)"),
        new("is_roaming", "bool", "a roaming session open at month end"),
        new("points_balance", "int", "loyalty points balance at month end"),
    ];

    private static readonly Dictionary<string, FeatureField> ByName = All.ToDictionary(f => f.Name, StringComparer.Ordinal);

    public static FeatureField? Find(string? name) => name is null ? null : ByName.GetValueOrDefault(name);
}
