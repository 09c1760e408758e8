-- new-subscriber callbacks: the scope settings the supervisors keep, and the history of generated lists.

-- grain: one row (settings_id = 'default'); replaced on save by the settings service
create table if not exists ops.new_subscriber_settings (
    settings_id             varchar not null,
    activated_within_days   integer not null,   -- subscribers activated within N days before the period end
    channels                varchar,            -- comma-separated channel codes; null: any
    cities                  varchar,            -- comma-separated city codes; null: any
    plans                   varchar,            -- comma-separated plan codes; null: any
    holdout_pct             double not null,
    updated_at              timestamp not null,
    updated_by              varchar not null
);

-- grain: one row per generation run of a campaign made outside the alert-driven call lists (new-subscriber and
-- special campaigns): what was added, with which settings
create table if not exists ops.campaign_run (
    campaign_id     bigint not null,
    run_at          timestamp not null,
    run_by          varchar not null,
    settings_json   varchar not null,
    added_members   bigint not null,
    added_tasks     bigint not null
);

-- grain: one row per special campaign: the segment (a custom-rule condition over the feature fields) and the
-- region scope of the supervisor who created it; re-runs read them from here
create table if not exists ops.campaign_segment (
    campaign_id     bigint not null,
    definition_json varchar not null,
    feature_month   date not null,
    scope_all       boolean not null,
    scope_cities    varchar
);
