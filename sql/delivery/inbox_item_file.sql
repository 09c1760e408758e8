-- grain: one delivered file with its owner and bytes
with items as (
    select * from ops.inbox_item
),

final as (
    select username as Username, report_id as ReportId, file_name as FileName, file_type as FileType, to_base64(content) as ContentBase64
    from items
    where item_id = $item_id
)

select * from final
