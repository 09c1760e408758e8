-- grain: one row: for a past period, how many subscribers the detector would have flagged within the caller's
-- scope, how many of them churned in the following month, and the same for every labelled subscriber in scope
-- (the base rate the hit rate should beat). the label is mart.mart_subscriber_features.churned_next_month.
with

detected as (
    /*detector*/
),

labels as (
    select subscriber_id, city_code, churned_next_month
    from mart.mart_subscriber_features
    where month = cast($period as date)
        and churned_next_month is not null
        and ($scope_all or list_contains(string_split($scope_cities, ','), city_code))
),

flagged as (
    select distinct subscriber_id
    from detected
    where ($scope_all or list_contains(string_split($scope_cities, ','), city_code))
),

final as (
    select
        (select count(*) from flagged) as flagged,
        count(*) filter (where flagged.subscriber_id is not null) as flagged_labelled,
        cast(coalesce(sum(labels.churned_next_month) filter (where flagged.subscriber_id is not null), 0) as bigint)
            as flagged_churned,
        count(*) as labelled,
        cast(coalesce(sum(labels.churned_next_month), 0) as bigint) as labelled_churned
    from labels
    left join flagged
        on flagged.subscriber_id = labels.subscriber_id
)

select * from final
