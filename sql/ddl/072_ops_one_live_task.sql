-- one subscriber, one live conversation: a subscriber has at most one unfinished task (open, assigned, in_progress,
-- callback) across all campaigns, so one agent talks to them. a campaign whose treated member already has a live
-- task elsewhere links its reasons to that task instead of opening a second one (sql/tasks/link_tasks.sql).

-- grain: one row per live task and campaign whose member it also serves, with that campaign's scenarios
create table if not exists ops.task_link (
    task_id         bigint not null,    -- the subscriber's live task (ops.task)
    campaign_id     bigint not null,    -- the campaign whose treated member the task also serves
    subscriber_id   varchar not null,
    scenario_ids    varchar not null,   -- comma-separated scenarios of that campaign's member
    period          date not null,      -- that campaign's period (its alerts)
    linked_at       timestamp not null
);

-- a task closed because its reasons moved to the subscriber's other live task
alter table ops.task add column if not exists merged_into bigint;

-- the warehouse as it was: a subscriber with several unfinished tasks keeps the one furthest along (in progress, a
-- callback, assigned, open; then the most attempts, then the oldest); the others close into links to it.
create temp table live_task_keep as
select
    task.task_id,
    task.subscriber_id,
    task.campaign_id,
    task.scenario_ids,
    campaign.period,
    first_value(task.task_id) over (
        partition by task.subscriber_id
        order by case task.status when 'in_progress' then 0 when 'callback' then 1 when 'assigned' then 2 else 3 end,
            task.attempts desc, task.created_at, task.task_id
    ) as keep_id
from ops.task as task
left join ops.campaign as campaign
    on campaign.campaign_id = task.campaign_id
where task.status in ('open', 'assigned', 'in_progress', 'callback');

insert into ops.task_link (task_id, campaign_id, subscriber_id, scenario_ids, period, linked_at)
select keep_id, campaign_id, subscriber_id, scenario_ids, coalesce(period, current_date), now()
from live_task_keep
where task_id <> keep_id;

update ops.task
set status = 'closed',
    merged_into = merged.keep_id,
    closed_at = now(),
    updated_at = now(),
    version = version + 1
from (select task_id as merged_task_id, keep_id from live_task_keep where task_id <> keep_id) as merged
where ops.task.task_id = merged.merged_task_id;

drop table live_task_keep;

-- grain: one row per campaign and portal language (en, de, zh): the title a person reads. alert campaigns are named by
-- their scenario, the combined and the new-subscriber lists by what they are, each with its month in that language;
-- campaigns named by a person (special campaigns) keep their name.
create or replace view ops.campaign_title as
with

language as (
    select * from (values ('en'), ('de'), ('zh')) as l(lang)
),

campaign as (
    select campaign_id, kind, scenario_id, period, name from ops.campaign
),

scenario as (
    select scenario_id, name_en, name_de, name_zh from det.scenario
),

named as (
    select
        campaign.campaign_id,
        language.lang,
        campaign.name,
        case
            when campaign.kind = 'scenario' and scenario.scenario_id is not null then
                case language.lang when 'de' then scenario.name_de when 'zh' then scenario.name_zh else scenario.name_en end
            when campaign.kind = 'retention' then
                case language.lang when 'de' then 'Kundenbindung' when 'zh' then '客户挽留' else 'Retention' end
            when campaign.kind = 'new_subscriber' then
                case language.lang when 'de' then 'Neukunden' when 'zh' then '新入网用户' else 'New subscribers' end
        end as subject,
        case language.lang
            when 'de' then ['Januar', 'Februar', 'März', 'April', 'Mai', 'Juni', 'Juli', 'August', 'September',
                'Oktober', 'November', 'Dezember'][month(campaign.period)] || ' ' || cast(year(campaign.period) as varchar)
            when 'zh' then cast(year(campaign.period) as varchar) || '年' || cast(month(campaign.period) as varchar) || '月'
            else strftime(campaign.period, '%B %Y')
        end as month_label
    from campaign
    cross join language
    left join scenario
        on scenario.scenario_id = campaign.scenario_id
),

final as (
    select campaign_id, lang, coalesce(subject || ' · ' || month_label, name) as title
    from named
)

select * from final;
