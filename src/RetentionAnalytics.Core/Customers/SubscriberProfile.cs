using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace RetentionAnalytics.Core.Customers;

/// <summary>
/// One row of <c>mart.subscriber_profile</c> (sql/transforms/260_mart_subscriber_profile.sql) as read for the
/// viewer's language: the profile, the state and the warehouse's sections of the 360 as JSON, plus the warehouse's
/// probable reasons for a call. Built by the pipeline with every load; read by key while the agent is on the phone.
/// </summary>
public sealed record SubscriberProfileRow(
    string SubscriberId, string CityCode, string? CustomerId, string? CustomerName, string? IdNumber, string? Gender, int? Age,
    string? CustomerType, string? Msisdn, string? Imsi, string? PaymentType, string? Status, string? ValueTier,
    string? ValueTierName, int? StarLevel, string? StarLevelName, string? CityName, string? DistrictCode, string? DistrictName,
    string? ChannelCode, string? AccountManagerId, DateOnly? ActivationDate, DateOnly? DeactivationDate, int? TenureMonths,
    string? PlanCode, string? PlanName, decimal? PlanMonthlyFee, int? PlanDataAllowanceMb, int? PlanVoiceAllowanceMin,
    string? PlanFamily, DateOnly AsOfDate,
    DateOnly? BalanceDate, decimal? Balance, decimal? FeeDueMonthEnd, decimal? Shortfall, bool IsSuspended,
    string? SuspensionType, DateTime? SuspendedSince, int? DaysSuspended, decimal? AmountOwed, DateTime? ArrearsSince,
    bool HasForwarding, bool ForwardingOffnet, string? ForwardingTargetNetwork, string? ForwardingType,
    DateTime? ForwardingSince, long? PointsBalance, long? PointsEarned, long? PointsRedeemed, DateTime? PointsLastRedeemedAt,
    string? HandsetBrand, string? HandsetModel, bool? HandsetIs5g, DateOnly? HandsetFirstSeen, int? HandsetsSeen,
    string? HistoryJson, string? AgreementsJson, string? BillsJson, string? PaymentsJson, string? UsageJson,
    string? RechargesJson, string? VasJson, string? ServiceContactsJson, string? ReasonsJson)
{
    public CustomerProfile Profile => new(
        SubscriberId, CustomerId, CustomerName, IdNumber, Gender, Age, CustomerType, Msisdn, Imsi, PaymentType, Status,
        ValueTier, ValueTierName, StarLevel, StarLevelName, CityCode, CityName, DistrictCode, DistrictName, ChannelCode,
        AccountManagerId, ActivationDate, DeactivationDate, TenureMonths, PlanCode, PlanName, PlanMonthlyFee,
        PlanDataAllowanceMb, PlanVoiceAllowanceMin, PlanFamily, AsOfDate);

    public SubscriberState State => new(
        BalanceDate, Balance, FeeDueMonthEnd, Shortfall, IsSuspended, SuspensionType, SuspendedSince, DaysSuspended,
        AmountOwed, ArrearsSince, HasForwarding, ForwardingOffnet, ForwardingTargetNetwork, ForwardingType, ForwardingSince,
        PointsBalance, PointsEarned, PointsRedeemed, PointsLastRedeemedAt, HandsetBrand, HandsetModel, HandsetIs5g,
        HandsetFirstSeen, HandsetsSeen);

    /// <summary>The versions with city and district named in <paramref name="language"/>.</summary>
    public IReadOnlyList<SubscriberVersion> History(string language) =>
        ProfileJson.List<HistoryEntry>(HistoryJson).Select(h => new SubscriberVersion(
            h.VersionNo, h.ValidFrom, h.ValidTo, h.PlanCode, h.PlanName, h.Status, h.ValueTier, h.StarLevel, h.CityCode,
            h.DistrictCode, h.IsCurrent, language == "zh" ? h.CityNameZh : h.CityName,
            language == "zh" ? h.DistrictNameZh : h.DistrictName)).ToList();

    public IReadOnlyList<AgreementLine> Agreements => ProfileJson.List<AgreementLine>(AgreementsJson);
    public IReadOnlyList<BillLine> Bills => ProfileJson.List<BillLine>(BillsJson);
    public IReadOnlyList<PaymentLine> Payments => ProfileJson.List<PaymentLine>(PaymentsJson);
    public IReadOnlyList<UsageLine> Usage => ProfileJson.List<UsageLine>(UsageJson);
    public IReadOnlyList<RechargeLine> Recharges => ProfileJson.List<RechargeLine>(RechargesJson);
    public IReadOnlyList<VasOrderLine> Vas => ProfileJson.List<VasOrderLine>(VasJson);
    public IReadOnlyList<ServiceContactLine> ServiceContacts => ProfileJson.List<ServiceContactLine>(ServiceContactsJson);

    /// <summary>Complaints, arrears, contracts ending and plan changes: one per kind and code, most telling first.</summary>
    public IReadOnlyList<WarehouseReason> Reasons => ProfileJson.List<WarehouseReason>(ReasonsJson);

    private sealed record HistoryEntry(
        int VersionNo, DateOnly ValidFrom, DateOnly? ValidTo, string? PlanCode, string? PlanName, string? Status,
        string? ValueTier, int? StarLevel, string? CityCode, string? DistrictCode, bool IsCurrent, string? CityName,
        string? CityNameZh, string? DistrictName, string? DistrictNameZh);
}

/// <summary>
/// A probable reason for a call that the warehouse knows of (kind complaint, arrears, contract_end or plan_change;
/// see <c>ContactReason</c> in the workbench for the figures each carries).
/// </summary>
public sealed record WarehouseReason(string Kind, string? Code, string? Name, string? Detail, double Weight);

/// <summary>The sections as DuckDB's <c>to_json</c> writes them: timestamps with a space, a missing list as null.</summary>
public static class ProfileJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        Converters = { new SpacedDateTime() },
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
    };

    public static IReadOnlyList<T> List<T>(string? json) =>
        string.IsNullOrEmpty(json) ? [] : JsonSerializer.Deserialize<List<T>>(json, Options) ?? [];

    private sealed class SpacedDateTime : JsonConverter<DateTime>
    {
        public override DateTime Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            DateTime.Parse(reader.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.None);

        public override void Write(Utf8JsonWriter writer, DateTime value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture));
    }
}
