-- campaign titles are stored (as the duckdb twin, sql/ddl/096): ops.campaign_naming derives them, ops.campaign_title
-- holds them, refreshed by sql/campaigns/refresh_titles.sql where a campaign is created or renamed and where scenario
-- names change.

drop view if exists ops.campaign_title;

-- grain: one row per campaign and portal language: the title a person reads (the derivation, was ops.campaign_title)
create or replace view ops.campaign_naming as
with

language as (
    select * from (values ('en'), ('de'), ('zh')) as l(lang)
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
            when 'de' then (array['Januar', 'Februar', 'März', 'April', 'Mai', 'Juni', 'Juli', 'August', 'September',
                'Oktober', 'November', 'Dezember'])[extract(month from campaign.period)::int]
                || ' ' || extract(year from campaign.period)::int::varchar
            when 'zh' then extract(year from campaign.period)::int::varchar || '年'
                || extract(month from campaign.period)::int::varchar || '月'
            else to_char(campaign.period, 'FMMonth YYYY')
        end as month_label
    from ops.campaign as campaign
    cross join language
    left join ops.scenario_name as scenario
        on scenario.scenario_id = campaign.scenario_id
),

final as (
    select campaign_id, lang, coalesce(subject || ' · ' || month_label, name) as title
    from named
)

select * from final;

-- grain: one row per campaign and portal language: the stored title
create table if not exists ops.campaign_title (
    campaign_id     bigint not null,
    lang            varchar not null,
    title           varchar,
    primary key (campaign_id, lang)
);

insert into ops.campaign_title (campaign_id, lang, title)
select campaign_id, lang, title from ops.campaign_naming;
