-- grain: one new ops.campaign row per journaled campaign not there yet, with the id it got on the writer
-- (cluster/journal_made_tables.sql); returns the campaigns inserted, whose titles the caller stores
insert into ops.campaign
    (campaign_id, campaign_key, name, kind, scenario_id, period, holdout_pct, seed, status, created_at, created_by,
     questionnaire_id, demo)
select made.campaign_id, made.campaign_key, made.name, made.kind, made.scenario_id, made.period, made.holdout_pct, made.seed,
    made.status, made.created_at, made.created_by, made.questionnaire_id, made.demo
from journal_made_campaign as made
where not exists (select 1 from ops.campaign as campaign where campaign.campaign_id = made.campaign_id)
returning campaign_id
