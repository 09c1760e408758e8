-- grain: one new row per campaign and candidate subscriber not yet a member (the temp table campaign_candidates:
-- subscriber_id, city_code, value_tier, risk_score, scenario_ids; tasks/alerted_candidates.sql for call lists).
-- excluded subscribers are recorded with the first reason that applies; the rest
-- fall into the control group by a hash of the campaign seed and subscriber id (the same seed, the same members).
insert into ops.campaign_member
    (campaign_id, subscriber_id, city_code, member_group, excluded_reason, risk_score, added_at, scenario_ids, value_tier)

with

existing_members as (
    select subscriber_id from ops.campaign_member where campaign_id = $campaign_id
),

-- the status of the newest month-end snapshot before the day the list is made: today's list sees the current
-- status; a list made for a past month (a backfill) does not drop those who only left later
subscribers as (
    select subscriber_id, status
    from dw.dim_subscriber
    where valid_from <= date_trunc('month', cast($today as date)) - interval 1 month
        and valid_to > date_trunc('month', cast($today as date)) - interval 1 month
),

-- the temp table of blacklist/in_force.sql for calls on $today, filled by the caller
blacklisted as (
    select subscriber_id, opted_out from blacklist_in_force
),

recently_contacted as (
    select distinct subscriber_id
    from ops.contact
    where channel in ('call', 'sms')
        and contact_time >= $today - to_days(cast($contact_window_days as integer))
),

open_complaints as (
    select distinct subscriber_id
    from dw.fct_service_contact
    where is_open and is_complaint
),

-- the candidates of this run (alerted subscribers, new subscribers, a segment), one row each, filled by the caller
alerted as (
    select candidates.*
    from campaign_candidates as candidates
    where candidates.subscriber_id not in (select subscriber_id from existing_members)
),

classified as (
    select
        alerted.*,
        case
            when subscribers.status = 'churned' then 'churned'
            when blacklisted.opted_out then 'opt_out'
            when blacklisted.subscriber_id is not null then 'blacklist'
            when open_complaints.subscriber_id is not null then 'open_complaint'
            when recently_contacted.subscriber_id is not null then 'recent_contact'
        end as excluded_reason,
        -- 32 bits of md5: stable across versions and machines, unlike hash()
        cast(('0x' || substr(md5($seed || ':' || alerted.subscriber_id), 1, 8)) as bigint) / 4294967296.0
            as control_draw
    from alerted
    left join subscribers
        on subscribers.subscriber_id = alerted.subscriber_id
    left join blacklisted
        on blacklisted.subscriber_id = alerted.subscriber_id
    left join recently_contacted
        on recently_contacted.subscriber_id = alerted.subscriber_id
    left join open_complaints
        on open_complaints.subscriber_id = alerted.subscriber_id
),

final as (
    select
        $campaign_id as campaign_id,
        subscriber_id,
        city_code,
        case
            when excluded_reason is not null then 'excluded'
            when control_draw < $holdout_pct then 'control'
            else 'treated'
        end as member_group,
        excluded_reason,
        risk_score,
        now() as added_at,
        scenario_ids,
        value_tier
    from classified
)

select * from final
