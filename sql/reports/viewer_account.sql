-- grain: one portal account by username: what a report render needs to know of it (roles, scope, language)
with

app_user as (
    select * from ops.app_user
),

final as (
    select
        username,
        roles,
        scope_province as ScopeProvince,
        scope_cities as ScopeCities,
        preferred_language as PreferredLanguage,
        disabled
    from app_user
    where username = $username
)

select * from final
