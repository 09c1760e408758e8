-- grain: one new campaign made outside the alert-driven call lists (new-subscriber, special), with its questionnaire
insert into ops.campaign
    (campaign_id, campaign_key, name, kind, scenario_id, period, holdout_pct, seed, status, created_at, created_by,
     questionnaire_id)
values
    (nextval('ops.campaign_id_seq'), $campaign_key, $name, $kind, null, $period, $holdout_pct, $seed, 'open', now(),
     $created_by, $questionnaire_id)
returning campaign_id
