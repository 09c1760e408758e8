-- grain: one row per task of the campaign the dialer may dial now, best first. only the given cities (handed over and
-- inside the calling hours on their own clock, decided by the caller); never a task leased to someone else, out of
-- attempts, in progress or finished, a callback not yet due, a control-group member, a subscriber on the call
-- blacklist (opt-outs included), without a current line or number, or under contact pressure: the call lists' and
-- SMS's rule (sql/tasks/insert_members.sql, sql/sms/suppress_due.sql) over the calls and SMS of other tasks in the
-- window (the task's own attempts are governed by the attempts limit).
with

task as (
    select task_id, campaign_id, subscriber_id, city_code, status, assigned_to, callback_at, attempts, version,
        priority, priority_score, due_date
    from ops.task
    where campaign_id = $campaign_id
      and list_contains(string_split($cities, ','), city_code)
      and status in ('open', 'assigned', 'callback')
      and (status <> 'callback' or callback_at <= $now)
      and attempts < $max_attempts
),

leased as (
    select distinct task_id
    from ops.dialer_lease
    where campaign_id = $campaign_id
      and reported_at is null
      and expires_at > $now
),

control as (
    select subscriber_id
    from ops.campaign_member
    where campaign_id = $campaign_id
      and member_group = 'control'
),

-- the entries in force for calls, staged beside the warehouse by BlacklistInForce (they may live on PostgreSQL)
blacklisted as (
    select subscriber_id from blacklist_in_force
),

recent as (
    select subscriber_id, task_id, count(*) as contacts
    from ops.contact
    where channel in ('call', 'sms')
      and contact_time >= $today - to_days(cast($contact_window_days as integer))
      and subscriber_id in (select subscriber_id from task)
    group by subscriber_id, task_id
),

-- per task: the contacts of its subscriber in the window that are not its own attempts
pressure as (
    select task.task_id, sum(recent.contacts) as contacts
    from task
    inner join recent
        on recent.subscriber_id = task.subscriber_id
       and recent.task_id is distinct from task.task_id
    group by task.task_id
),

line as (
    select subscriber_id, customer_id, msisdn
    from dw.dim_subscriber
    where is_current
      and coalesce(status, '') <> 'churned'
      and coalesce(msisdn, '') <> ''
),

final as (
    select
        task.task_id, task.subscriber_id, task.city_code, task.status, task.assigned_to, task.callback_at,
        task.attempts, task.version, line.msisdn, customer.customer_name,
        task.status = 'callback' as callback_due
    from task
    inner join line
        on line.subscriber_id = task.subscriber_id
    left join dw.dim_customer as customer
        on customer.customer_id = line.customer_id
    where task.task_id not in (select task_id from leased)
      and task.subscriber_id not in (select subscriber_id from control)
      and task.subscriber_id not in (select subscriber_id from blacklisted)
      and task.task_id not in (select task_id from pressure where contacts >= $max_contacts)
    order by
        callback_due desc,
        task.callback_at nulls last,
        task.priority nulls last,
        task.priority_score desc,
        task.due_date nulls last,
        task.task_id
    limit $limit
)

select * from final
