-- grain: one delivered file of the user, newest first (without the file bytes)
with items as (
    select * from ops.inbox_item
),

final as (
    select item_id as ItemId, run_id as RunId, subscription_id as SubscriptionId, username as Username,
           report_id as ReportId, file_name as FileName, file_type as FileType, rows_delivered as RowsDelivered,
           created_at as CreatedAt
    from items
    where username = $username
)

select * from final order by ItemId desc limit $limit
