-- grain: schema only: the rows of campaigns made in the portal to apply (AgentJournal.Replay), filled by the caller;
-- the columns of ops.campaign (with ops.campaign_segment's), ops.campaign_member, ops.task, ops.task_link, ops.campaign_run
create or replace temp table journal_made_campaign (
    campaign_id bigint, campaign_key varchar, name varchar, kind varchar, scenario_id varchar, period date, holdout_pct double,
    seed varchar, status varchar, created_at timestamp, created_by varchar, questionnaire_id varchar, demo boolean,
    segment_json varchar, feature_month date, scope_all boolean, scope_cities varchar
);
create or replace temp table journal_made_member (
    campaign_id bigint, subscriber_id varchar, city_code varchar, member_group varchar, excluded_reason varchar, risk_score double,
    added_at timestamp, scenario_ids varchar, value_tier varchar
);
create or replace temp table journal_made_task (
    task_id bigint, campaign_id bigint, subscriber_id varchar, city_code varchar, value_tier varchar, priority_score double,
    scenario_ids varchar, status varchar, team_id varchar, assigned_to varchar, due_date date, attempts integer, version integer,
    created_at timestamp, updated_at timestamp, result varchar, callback_at timestamp, last_attempt_at timestamp,
    closed_at timestamp, priority integer, customer_name varchar, merged_into bigint
);
create or replace temp table journal_made_link (
    task_id bigint, campaign_id bigint, subscriber_id varchar, scenario_ids varchar, period date, linked_at timestamp
);
create or replace temp table journal_made_run (
    campaign_id bigint, run_at timestamp, run_by varchar, settings_json varchar, added_members bigint, added_tasks bigint
);
