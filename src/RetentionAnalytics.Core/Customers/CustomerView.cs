namespace RetentionAnalytics.Core.Customers;

/// <summary>
/// Everything an agent needs during a call about one subscriber, read in one go. The identifiers in
/// <see cref="MaskedFields"/> are masked (each can be revealed, audited). "Now" is the warehouse's as-of date, not the clock.
/// </summary>
public sealed record CustomerView(
    CustomerProfile Profile,
    IReadOnlySet<IdentifierField> MaskedFields,
    IReadOnlyList<SubscriberVersion> History,
    IReadOnlyList<AgreementLine> Agreements,
    IReadOnlyList<BillLine> Bills,
    IReadOnlyList<PaymentLine> Payments,
    IReadOnlyList<UsageLine> Usage,
    SubscriberState State,
    IReadOnlyList<RechargeLine> Recharges,
    IReadOnlyList<VasOrderLine> Vas,
    IReadOnlyList<ServiceContactLine> ServiceContacts,
    IReadOnlyList<RetentionContactLine> RetentionContacts,
    IReadOnlyList<AlertLine> Alerts,
    IReadOnlyList<TaskLine> Tasks)
{
    public int OpenAlerts => Alerts.Count(a => a.IsOpen);

    public bool IdentifiersMasked => MaskedFields.Count > 0;

    /// <summary>Retention calls (and any other channel but SMS).</summary>
    public IEnumerable<RetentionContactLine> Calls => RetentionContacts.Where(c => c.Channel != "sms");

    /// <summary>SMS sent to the subscriber by the retention department.</summary>
    public IEnumerable<RetentionContactLine> Sms => RetentionContacts.Where(c => c.Channel == "sms");

    /// <summary>Value-added services whose newest order is a subscription.</summary>
    public IEnumerable<VasOrderLine> ActiveVas =>
        Vas.Where(v => v.ServiceActive && v.Action == "subscribe").DistinctBy(v => v.VasCode);
}

/// <summary>Who the subscriber is, the current version of the line and its plan.</summary>
public sealed record CustomerProfile(
    string SubscriberId,
    string? CustomerId,
    string? CustomerName,
    string? IdNumber,
    string? Gender,
    int? Age,
    string? CustomerType,
    string? Msisdn,
    string? Imsi,
    string? PaymentType,
    string? Status,
    string? ValueTier,
    string? ValueTierName,
    int? StarLevel,
    string? StarLevelName,
    string? CityCode,
    string? CityName,
    string? DistrictCode,
    string? DistrictName,
    string? ChannelCode,
    string? AccountManagerId,
    DateOnly? ActivationDate,
    DateOnly? DeactivationDate,
    int? TenureMonths,
    string? PlanCode,
    string? PlanName,
    decimal? PlanMonthlyFee,
    int? PlanDataAllowanceMb,
    int? PlanVoiceAllowanceMin,
    string? PlanFamily,
    DateOnly AsOfDate);

/// <summary>One SCD2 version of the line: plan, status, tier and region over a span of months.</summary>
public sealed record SubscriberVersion(
    int VersionNo, DateOnly ValidFrom, DateOnly? ValidTo, string? PlanCode, string? PlanName, string? Status,
    string? ValueTier, int? StarLevel, string? CityCode, string? DistrictCode, bool IsCurrent, string? CityName = null,
    string? DistrictName = null);

public sealed record AgreementLine(
    string AgreementId, string? PolicyCode, string? PolicyName, string? PolicyType, DateOnly? StartDate,
    DateOnly? EndDate, decimal? MonthlyCommitment, string? Status, int? DaysLeft, bool IsActive);

public sealed record BillLine(
    DateOnly BillMonth, decimal? TotalAmount, decimal? VoiceFee, decimal? DataFee, decimal? SmsFee, decimal? VasFee,
    decimal? OtherFee, DateOnly? DueDate);

public sealed record PaymentLine(string PaymentId, DateTime PaidAt, decimal? Amount, string? Method);

public sealed record UsageLine(
    DateOnly UsageMonth, decimal? VoiceMinutes, decimal? DataMb, decimal? OffnetMinutes, int? SmsCount, int? ActiveDays);

public sealed record RechargeLine(string RechargeId, DateTime RechargedAt, decimal? Amount, string? ChannelCode, string? ChannelName = null);

/// <summary>The line's state at the as-of date; the parts it has none of are null (or false).</summary>
public sealed record SubscriberState(
    DateOnly? BalanceDate,
    decimal? Balance,
    decimal? FeeDueMonthEnd,
    decimal? Shortfall,
    bool IsSuspended,
    string? SuspensionType,
    DateTime? SuspendedSince,
    int? DaysSuspended,
    decimal? AmountOwed,
    DateTime? ArrearsSince,
    bool HasForwarding,
    bool ForwardingOffnet,
    string? ForwardingTargetNetwork,
    string? ForwardingType,
    DateTime? ForwardingSince,
    long? PointsBalance,
    long? PointsEarned,
    long? PointsRedeemed,
    DateTime? PointsLastRedeemedAt,
    string? HandsetBrand,
    string? HandsetModel,
    bool? HandsetIs5g,
    DateOnly? HandsetFirstSeen,
    int? HandsetsSeen);

public sealed record VasOrderLine(
    string OrderId, string VasCode, string? VasName, string? Category, decimal? MonthlyFee, string? Action,
    DateTime OrderedAt, string? ChannelCode, bool ServiceActive);

public sealed record ServiceContactLine(
    string ContactId, DateTime ContactAt, string? Channel, string? Category, bool IsComplaint, string? Status,
    DateTime? ClosedAt, bool IsOpen);

public sealed record RetentionContactLine(
    long ContactId, string Channel, DateTime ContactAt, long? TaskId, string? Username, string? Outcome, string? CampaignName,
    string? AgentName = null);

public sealed record AlertLine(
    string ScenarioId, string ScenarioName, int? Priority, string? Action, DateOnly Period, double Score,
    string Evidence, DateTime DetectedAt, bool IsOpen, string? EvidenceJson = null);

/// <summary>
/// One alert of a subscriber as read by key (sql/customers/c360_alerts.sql, every period), with the newest period the
/// detectors produced: the 360 shows the three newest periods (<see cref="Recent"/>), the reasons of a task those the
/// task names.
/// </summary>
public sealed record SubscriberAlert(
    string ScenarioId, string ScenarioName, int? Priority, string? Action, DateOnly Period, double Score,
    string Evidence, DateTime DetectedAt, string? EvidenceJson, DateOnly NewestPeriod)
{
    /// <summary>
    /// The alerts of the three newest periods, latest period first, then by scenario priority and score; open: of the
    /// newest period (the next run replaces the picture).
    /// </summary>
    public static IReadOnlyList<AlertLine> Recent(IReadOnlyList<SubscriberAlert> alerts)
    {
        if (alerts.Count == 0)
        {
            return [];
        }
        var newest = alerts[0].NewestPeriod;
        var from = newest.AddMonths(-2);
        return alerts
            .Where(a => a.Period >= from)
            .OrderByDescending(a => a.Period)
            .ThenBy(a => a.Priority is null)
            .ThenBy(a => a.Priority)
            .ThenByDescending(a => a.Score)
            .ThenBy(a => a.ScenarioId, StringComparer.Ordinal)
            .Select(a => new AlertLine(a.ScenarioId, a.ScenarioName, a.Priority, a.Action, a.Period, a.Score, a.Evidence,
                a.DetectedAt, a.Period == newest, a.EvidenceJson))
            .ToList();
    }
}

public sealed record TaskLine(
    long TaskId, long CampaignId, string? CampaignName, string? CampaignKind, DateOnly? CampaignPeriod,
    string ScenarioIds, string Status, string? TeamId, string? AssignedTo, DateOnly? DueDate, int Attempts,
    DateTime CreatedAt, DateTime UpdatedAt, bool IsOpen, string? AgentName = null, long? MergedInto = null);
