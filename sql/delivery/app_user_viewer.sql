-- grain: one portal account (the subscriber a scheduled report is rendered for)
with app_user as (
    select * from ops.app_user
),

final as (
    select username as Username, roles as Roles, scope_province as ScopeProvince, scope_cities as ScopeCities,
           preferred_language as PreferredLanguage, disabled as Disabled
    from app_user
    where username = $username
)

select * from final
