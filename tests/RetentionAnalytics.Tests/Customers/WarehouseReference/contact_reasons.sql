-- grain: one row per probable reason to call the task's subscriber, most telling first: the alerts behind the task and
-- the campaigns linked to it, each for its scenarios and period (with the detector's evidence and its figures by name),
-- then recent events from the warehouse -- an open or recent complaint, arrears, a contract ending, a plan change.
-- kind + figures let the page word each reason in its language.
with

as_of as (
    select as_of_date from dw.as_of
),

scenario as (
    select scenario_id, case $lang when 'de' then name_de when 'zh' then name_zh else name_en end as scenario_name
    from det.scenario
),

task_scenario as (
    select unnest(string_split(task.scenario_ids, ',')) as scenario_id, campaign.period
    from ops.task as task
    inner join ops.campaign as campaign
        on campaign.campaign_id = task.campaign_id
    where task.task_id = $task_id
    union
    select unnest(string_split(scenario_ids, ',')), period
    from ops.task_link
    where task_id = $task_id
),

alert as (
    select alert.*
    from det.alert as alert
    inner join task_scenario
        on task_scenario.scenario_id = alert.scenario_id
        and task_scenario.period = alert.period
    where alert.subscriber_id = $subscriber_id
),

complaint as (
    select * from dw.fct_service_contact
    where subscriber_id = $subscriber_id
      and is_complaint
      and (is_open or contact_date >= (select as_of_date from as_of) - interval 90 day)
),

arrears as (
    select * from dw.account_state
    where subscriber_id = $subscriber_id and amount_owed > 0
),

agreement as (
    select * from dw.fct_agreement
    where subscriber_id = $subscriber_id and is_active and days_to_end between 0 and 90
),

plan_version as (
    select plan_code, valid_from,
        lag(plan_code) over (order by version_no) as previous_plan_code
    from dw.dim_subscriber
    where subscriber_id = $subscriber_id
),

plan_change as (
    select
        coalesce(new_plan.plan_name, plan_version.plan_code) as plan_name,
        coalesce(previous_plan.plan_name, plan_version.previous_plan_code) as previous_plan_name,
        plan_version.plan_code,
        plan_version.valid_from
    from plan_version
    left join dw.dim_plan as new_plan
        on new_plan.plan_code = plan_version.plan_code
    left join dw.dim_plan as previous_plan
        on previous_plan.plan_code = plan_version.previous_plan_code
    where plan_version.previous_plan_code is not null
      and plan_version.previous_plan_code <> plan_version.plan_code
      and plan_version.valid_from >= (select as_of_date from as_of) - interval 90 day
),

reasons as (
    select 'alert' as kind, alert.scenario_id as code, coalesce(scenario.scenario_name, alert.scenario_id) as name,
        alert.evidence as detail, 1 + alert.score as weight, alert.evidence_json
    from alert
    left join scenario
        on scenario.scenario_id = alert.scenario_id
    union all
    select 'complaint', category, category, cast(contact_date as varchar), case when is_open then 0.9 else 0.6 end, null
    from complaint
    union all
    select 'arrears', null, null, cast(amount_owed as varchar), 0.8, null
    from arrears
    union all
    select 'contract_end', policy_code, policy_name, cast(days_to_end as varchar), 0.7, null
    from agreement
    union all
    select 'plan_change', plan_name, previous_plan_name, cast(valid_from as varchar), 0.5, null
    from plan_change
),

final as (
    select kind, code, name, detail, weight, evidence_json
    from reasons
    qualify row_number() over (partition by kind, code order by weight desc, detail desc) = 1
)

select * from final
order by weight desc, kind, code
limit 8
