-- grain: one new campaign
insert into ops.campaign
    (campaign_id, campaign_key, name, kind, scenario_id, period, holdout_pct, seed, status, created_at, created_by)
values
    (nextval('ops.campaign_id_seq'), $campaign_key, $name, $kind, $scenario_id, $period, $holdout_pct, $seed, 'open',
     now(), $created_by)
returning campaign_id
