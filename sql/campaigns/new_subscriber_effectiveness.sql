-- grain: one row for a campaign within the scope: reach (tasks with a reached call), satisfaction (the questionnaire's
-- satisfaction scale), and early churn (churned within $early_churn_days of activation) of treated vs. control members
with

members as (
    select * from ops.campaign_member
    where campaign_id = $campaign_id
        and member_group in ('treated', 'control')
        and ($scope_all or list_contains(string_split($scope_cities, ','), city_code))
),

subscribers as (
    select subscriber_id, activation_date, deactivation_date, status
    from dw.dim_subscriber
    where is_current
),

tasks as (
    select * from ops.task
    where campaign_id = $campaign_id
        and ($scope_all or list_contains(string_split($scope_cities, ','), city_code))
),

reached as (
    select distinct task_id
    from ops.contact
    where channel = 'call' and outcome = 'reached'
        and task_id in (select task_id from tasks)
),

satisfaction as (
    select count(*) as answers, avg(try_cast(answer as double)) as average
    from ops.questionnaire_answer
    where questionnaire_id = $questionnaire_id
        and question_id = 'satisfaction'
        and task_id in (select task_id from tasks)
),

early_churn as (
    select
        members.member_group,
        count(*) as members,
        count(*) filter (where subscribers.status = 'churned'
            and subscribers.deactivation_date <= subscribers.activation_date + to_days(cast($early_churn_days as integer)))
            as churned
    from members
    left join subscribers
        on subscribers.subscriber_id = members.subscriber_id
    group by members.member_group
),

final as (
    select
        coalesce((select members from early_churn where member_group = 'treated'), 0) as Treated,
        coalesce((select members from early_churn where member_group = 'control'), 0) as Control,
        (select count(*) from tasks) as Tasks,
        (select count(*) from reached) as TasksReached,
        (select count(*) from reached) / nullif((select count(*) from tasks), 0) as ReachRate,
        satisfaction.answers as SatisfactionAnswers,
        satisfaction.average as Satisfaction,
        coalesce((select churned from early_churn where member_group = 'treated'), 0) as TreatedEarlyChurn,
        (select churned / members from early_churn where member_group = 'treated') as TreatedEarlyChurnRate,
        coalesce((select churned from early_churn where member_group = 'control'), 0) as ControlEarlyChurn,
        (select churned / members from early_churn where member_group = 'control') as ControlEarlyChurnRate
    from satisfaction
)

select * from final
