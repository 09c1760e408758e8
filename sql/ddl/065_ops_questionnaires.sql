-- questionnaires: managed and versioned scripts shown on a campaign's tasks. a questionnaire id has versions; a
-- version is a draft until published and never changes afterwards, so answers recorded against it keep their meaning.
-- no keys (updated tables, see 005): the questionnaire service keeps (questionnaire_id, version) unique.

-- grain: one row per questionnaire
create table if not exists ops.questionnaire (
    questionnaire_id    varchar not null,   -- e.g. retention, new_subscriber, broadband
    name_en             varchar not null,
    name_de             varchar not null,
    name_zh             varchar not null,
    created_at          timestamp not null,
    created_by          varchar not null
);

-- grain: one row per questionnaire and version; definition_json holds the questions (QuestionnaireDefinition)
create table if not exists ops.questionnaire_version (
    questionnaire_id    varchar not null,
    version             integer not null,
    status              varchar not null,   -- draft | published
    definition_json     varchar not null,
    created_at          timestamp not null,
    created_by          varchar not null,
    published_at        timestamp,
    published_by        varchar
);

-- grain: one row per task, question and answer value (a multiple-choice answer is one row per option chosen), so an
-- answer is a dimension in analysis without parsing
create table if not exists ops.questionnaire_answer (
    task_id             bigint not null,
    questionnaire_id    varchar not null,
    version             integer not null,
    question_id         varchar not null,
    answer              varchar not null,
    answered_by         varchar not null,
    answered_at         timestamp not null
);

-- grain: one row per answer value with the task's campaign, subscriber and city: the questionnaire-answer dimension
-- for cubes and reports (scoped by city_code like every subscriber-level read)
create or replace view mart.questionnaire_answer_fact as
select
    answer.questionnaire_id,
    answer.version,
    answer.question_id,
    answer.answer,
    answer.task_id,
    task.campaign_id,
    campaign.kind as campaign_kind,
    task.subscriber_id,
    task.city_code,
    task.value_tier,
    answer.answered_by,
    answer.answered_at
from ops.questionnaire_answer as answer
inner join ops.task as task
    on task.task_id = answer.task_id
inner join ops.campaign as campaign
    on campaign.campaign_id = task.campaign_id;
