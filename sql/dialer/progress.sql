-- grain: one row per campaign handed to the dialer in the supervisor's regions: dialled (attempts reported), connected
-- (picked up: answered, voicemail, wrong number), reached (answered by the customer), remaining (tasks still to dial in
-- the handed cities), leased now (records with a dialer), counted over the supervisor's cities only
with

handed as (
    select campaign_id, city_code, mode, status, handed_at
    from ops.dialer_campaign
    where ($scope_all or list_contains(string_split($scope_cities, ','), city_code))
),

campaigns as (
    select campaign_id, min(mode) as mode, bool_or(status = 'active') as active, max(handed_at) as handed_at
    from handed
    group by campaign_id
),

attempts as (
    select attempt.campaign_id,
        count(*) as dialled,
        count(*) filter (where disposition in ('answered', 'voicemail', 'wrong_number')) as connected,
        count(*) filter (where disposition = 'answered') as reached
    from ops.dialer_attempt as attempt
    inner join handed
        on handed.campaign_id = attempt.campaign_id and handed.city_code = attempt.city_code
    group by attempt.campaign_id
),

remaining as (
    select task.campaign_id, count(*) as remaining
    from ops.task as task
    inner join handed
        on handed.campaign_id = task.campaign_id and handed.city_code = task.city_code
    where task.status in ('open', 'assigned', 'callback')
      and task.attempts < $max_attempts
    group by task.campaign_id
),

leased as (
    select lease.campaign_id, count(*) as leased
    from ops.dialer_lease as lease
    inner join handed
        on handed.campaign_id = lease.campaign_id and handed.city_code = lease.city_code
    where lease.reported_at is null and lease.expires_at > $now
    group by lease.campaign_id
),

final as (
    select campaigns.campaign_id, coalesce(title.title, campaign.name) as name, campaigns.mode, campaigns.active,
        campaigns.handed_at,
        coalesce(attempts.dialled, 0) as dialled, coalesce(attempts.connected, 0) as connected,
        coalesce(attempts.reached, 0) as reached, coalesce(remaining.remaining, 0) as remaining,
        coalesce(leased.leased, 0) as leased
    from campaigns
    inner join ops.campaign as campaign
        on campaign.campaign_id = campaigns.campaign_id
    left join ops.campaign_title as title
        on title.campaign_id = campaigns.campaign_id and title.lang = $lang
    left join attempts on attempts.campaign_id = campaigns.campaign_id
    left join remaining on remaining.campaign_id = campaigns.campaign_id
    left join leased on leased.campaign_id = campaigns.campaign_id
)

select * from final order by handed_at desc, campaign_id
