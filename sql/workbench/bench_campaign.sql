-- grain: the one benchmark campaign (ra benchmark agents --setup, on a warehouse copy only)
insert into ops.campaign (campaign_id, campaign_key, name, kind, scenario_id, period, holdout_pct, seed, status, created_at, created_by)
select nextval('ops.campaign_id_seq'), 'bench:agents', 'Agent benchmark', 'retention', null,
    (select as_of_month from dw.as_of), 0, 'bench:agents', 'open', now(), 'benchmark'
where not exists (select 1 from ops.campaign where campaign_key = 'bench:agents')
