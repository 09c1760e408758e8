-- grain: one row per questionnaire with its newest published and its draft version
with

questionnaires as (
    select * from ops.questionnaire
),

versions as (
    select questionnaire_id,
        max(version) filter (where status = 'published') as published_version,
        max(version) filter (where status = 'draft') as draft_version
    from ops.questionnaire_version
    group by questionnaire_id
),

final as (
    select
        questionnaires.questionnaire_id as QuestionnaireId,
        questionnaires.name_en as NameEn,
        questionnaires.name_de as NameDe,
        questionnaires.name_zh as NameZh,
        versions.published_version as PublishedVersion,
        versions.draft_version as DraftVersion
    from questionnaires
    left join versions
        on versions.questionnaire_id = questionnaires.questionnaire_id
)

select * from final
order by QuestionnaireId
