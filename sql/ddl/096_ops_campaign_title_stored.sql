-- campaign titles are read with nearly every task, contact and queue row: they are stored (ops.campaign_title) and
-- recomputed where a campaign is created or renamed and where scenario names change (sql/campaigns/refresh_titles.sql),
-- instead of being derived by a view on every read.

drop view if exists ops.campaign_title;

-- grain: one row per campaign and portal language (en, de, zh): the title a person reads. alert campaigns are named by
-- their scenario, the combined and the new-subscriber lists by what they are, each with its month in that language;
-- campaigns named by a person (special campaigns) keep their name. the derivation (was ops.campaign_title, 072), read
-- only to refresh the stored titles.
create or replace view ops.campaign_naming as
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

-- grain: one row per campaign and portal language: the stored title (ops.campaign_naming as of the last refresh)
create table if not exists ops.campaign_title (
    campaign_id     bigint not null,
    lang            varchar not null,
    title           varchar
);

insert into ops.campaign_title (campaign_id, lang, title)
select campaign_id, lang, title from ops.campaign_naming;
