-- grain: one row per subscriber and month still a subscriber at month end (status not churned): the churn model's
-- input on the province. label = churned_next_month (null while unknown). every feature is known at the month end:
-- * status / is_active are left out: a training row is never churned (its own churn-month row has no label), so they
--   only repeat is_suspended, and at scoring time they would separate rows the model never saw.
-- * in_snapshot_base is left out: the base is fixed on a later reference date, so in the months before it a
--   subscriber who churned early is "not in the base" -- the future leaks into the past.
-- * days_since_last_usage is left out: it exists for the newest month only (train/serve skew).
-- * months_to_contract_end is point-in-time in the mart (dw.fct_subscriber_month reads each agreement as known at
--   the month end), so a churner's cancelled contract is not erased from the months before the churn.
with

features as (
    select * from mart.mart_subscriber_features
),

final as (
    select
        features.subscriber_id,
        features.month as period,
        features.city_code,
        features.churned_next_month as label,
        -- categorical
        features.value_tier,
        features.payment_type,
        features.plan_code,
        features.channel_code,
        -- numeric
        cast(features.tenure_months as double) as tenure_months,
        cast(features.is_new as double) as is_new,
        cast(features.star_level as double) as star_level,
        cast(features.star_level_change as double) as star_level_change,
        cast(features.value_tier is distinct from features.value_tier_previous
            and features.value_tier_previous is not null as double) as value_tier_changed,
        cast(features.arpu as double) as arpu,
        features.arpu_avg_3m,
        features.arpu_trend,
        cast(features.voice_minutes as double) as voice_minutes,
        features.voice_trend,
        cast(features.data_mb as double) as data_mb,
        features.data_trend,
        cast(features.sms_count as double) as sms_count,
        features.offnet_share,
        cast(features.active_days as double) as active_days,
        cast(features.open_complaints as double) as open_complaints,
        cast(features.complaints_90d as double) as complaints_90d,
        cast(features.is_suspended as double) as is_suspended,
        cast(features.days_suspended as double) as days_suspended,
        cast(features.amount_owed as double) as amount_owed,
        cast(features.months_to_contract_end as double) as months_to_contract_end,
        cast(features.has_active_forwarding_offnet as double) as has_active_forwarding_offnet,
        cast(features.balance as double) as balance,
        cast(features.shortfall as double) as shortfall,
        cast(features.recharge_amount as double) as recharge_amount,
        cast(features.is_roaming as double) as is_roaming,
        cast(features.points_balance as double) as points_balance
    from features
    where features.status <> 'churned'
)

select * from final
