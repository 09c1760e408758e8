-- what working a task records, shared by the agent workbench (writes), the callback and effectiveness reports and
-- the cubes (read). a call or an SMS is one ops.contact row; the task keeps its latest state.

-- ops.contact.outcome (005) holds whether the contact got through:
--   calls: reached | no_answer | busy | wrong_number | switched_off;  sms: queued | sent | delivered | failed
alter table ops.contact add column if not exists result varchar;        -- reached calls: retained | accepted_offer | will_consider | refused | already_churned
alter table ops.contact add column if not exists churn_reason_id varchar; -- ops.churn_reason, when the subscriber names one
alter table ops.contact add column if not exists offer_id varchar;        -- the retention offer accepted, if any
alter table ops.contact add column if not exists notes varchar;           -- agent's free text; never logged
alter table ops.contact add column if not exists campaign_id bigint;

alter table ops.task add column if not exists result varchar;           -- the final result once done (as ops.contact.result)
alter table ops.task add column if not exists callback_at timestamp;    -- when status = callback: when to call again
alter table ops.task add column if not exists last_attempt_at timestamp;
alter table ops.task add column if not exists closed_at timestamp;
alter table ops.task add column if not exists priority integer;         -- supervisor's override: 1 (most urgent) .. 5; null: by priority_score

alter table ops.campaign add column if not exists questionnaire_id varchar; -- the questionnaire the workbench shows for this campaign's tasks

-- the managed list of churn / cancellation reasons an agent picks from (and the cubes' churn-reason dimension)
create table if not exists ops.churn_reason (
    reason_id   varchar not null,
    name_en     varchar not null,
    name_de     varchar not null,
    name_zh     varchar not null,
    sort_order  integer not null,
    active      boolean not null default true
);
insert into ops.churn_reason
select * from (values
    ('price',        'Price too high',                'Preis zu hoch',                 '资费太高',       10, true),
    ('competitor',   'Better offer from a competitor', 'Besseres Angebot der Konkurrenz', '竞争对手优惠更好', 20, true),
    ('coverage',     'Network coverage or quality',   'Netzabdeckung oder -qualität',  '网络覆盖或质量',  30, true),
    ('service',      'Poor customer service',         'Schlechter Kundenservice',      '客户服务不佳',    40, true),
    ('billing',      'Billing dispute',               'Rechnungsstreit',               '账单争议',       50, true),
    ('relocation',   'Moving away',                   'Umzug',                         '搬迁',          60, true),
    ('handset',      'Handset or device',             'Endgerät',                      '终端问题',       70, true),
    ('second_line',  'Second line no longer needed',  'Zweitanschluss nicht mehr nötig', '副卡不再需要',    80, true),
    ('other',        'Other',                         'Sonstiges',                     '其他',          90, true)
) as seed(reason_id, name_en, name_de, name_zh, sort_order, active)
where not exists (select 1 from ops.churn_reason);
