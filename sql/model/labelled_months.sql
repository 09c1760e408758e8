-- grain: one row: the months of the feature mart, the newest with a known label and the newest overall
with

features as (
    select month, churned_next_month from mart.mart_subscriber_features
),

final as (
    select
        max(month) filter (where churned_next_month is not null) as LatestLabelled,
        min(month) filter (where churned_next_month is not null) as FirstLabelled,
        max(month) as LatestMonth
    from features
)

select * from final
