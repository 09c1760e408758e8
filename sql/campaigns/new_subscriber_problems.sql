-- grain: one row per problem category named in the new-subscriber questionnaire's "problems" question of a campaign's
-- tasks within the scope
with

tasks as (
    select task_id from ops.task
    where campaign_id = $campaign_id
        and ($scope_all or list_contains(string_split($scope_cities, ','), city_code))
),

final as (
    select answer as Category, count(*) as Answers
    from ops.questionnaire_answer
    where questionnaire_id = $questionnaire_id
        and question_id = 'problems'
        and task_id in (select task_id from tasks)
    group by answer
)

select * from final
order by Answers desc, Category
