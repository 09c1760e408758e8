-- grain: one row: the subscriber's serving profile (mart.subscriber_profile: the warehouse part of the 360 and of the
-- probable reasons). no row = not found. read through the ART index on subscriber_id (the key must be the only filter
-- for DuckDB to use it): the caller checks city_code against the viewer's region scope before showing anything.
-- sections are stored as json text.
select
    subscriber_id as SubscriberId, city_code as CityCode, customer_id as CustomerId, customer_name as CustomerName,
    id_number as IdNumber, gender as Gender, age as Age, customer_type as CustomerType, msisdn as Msisdn, imsi as Imsi,
    payment_type as PaymentType, status as Status, value_tier as ValueTier,
    case $lang when 'de' then value_tier_name_de when 'zh' then value_tier_name_zh else value_tier_name_en end as ValueTierName,
    star_level as StarLevel,
    case $lang when 'de' then star_level_name_de when 'zh' then star_level_name_zh else star_level_name_en end as StarLevelName,
    case when $lang = 'zh' then city_name_zh else city_name end as CityName,
    district_code as DistrictCode,
    case when $lang = 'zh' then district_name_zh else district_name end as DistrictName,
    channel_code as ChannelCode, account_manager_id as AccountManagerId, activation_date as ActivationDate,
    deactivation_date as DeactivationDate, tenure_months as TenureMonths, plan_code as PlanCode, plan_name as PlanName,
    plan_monthly_fee as PlanMonthlyFee, plan_data_allowance_mb as PlanDataAllowanceMb,
    plan_voice_allowance_min as PlanVoiceAllowanceMin, plan_family as PlanFamily, as_of_date as AsOfDate,
    balance_date as BalanceDate, balance as Balance, fee_due_month_end as FeeDueMonthEnd, shortfall as Shortfall,
    is_suspended as IsSuspended, suspension_type as SuspensionType, suspended_since as SuspendedSince,
    days_suspended as DaysSuspended, amount_owed as AmountOwed, arrears_since as ArrearsSince,
    has_forwarding as HasForwarding, forwarding_offnet as ForwardingOffnet,
    forwarding_target_network as ForwardingTargetNetwork, forwarding_type as ForwardingType,
    forwarding_since as ForwardingSince, points_balance as PointsBalance, points_earned as PointsEarned,
    points_redeemed as PointsRedeemed, points_last_redeemed_at as PointsLastRedeemedAt, handset_brand as HandsetBrand,
    handset_model as HandsetModel, handset_is_5g as HandsetIs5g, handset_first_seen as HandsetFirstSeen,
    handsets_seen as HandsetsSeen,
    history_json as HistoryJson,
    agreements_json as AgreementsJson,
    bills_json as BillsJson,
    payments_json as PaymentsJson,
    usage_json as UsageJson,
    recharges_json as RechargesJson,
    vas_json as VasJson,
    service_contacts_json as ServiceContactsJson,
    reasons_json as ReasonsJson
from mart.subscriber_profile
where subscriber_id = $subscriber_id
