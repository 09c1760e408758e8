-- grain: one retention team (T<city>-RET) and one account-manager team (T<city>-AM) per city of the sample
-- province (570..580); teams that exist already are left alone
insert into ops.team (team_id, name, kind, city_code, value_tiers, active)

with

city as (
    select cast(code as varchar) as city_code from range(570, 581) as t(code)
),

team as (
    select 'T' || city_code || '-RET' as team_id, 'Retention ' || city_code as name, 'retention' as kind,
        city_code, cast(null as varchar) as value_tiers
    from city
    union all
    select 'T' || city_code || '-AM', 'Account managers ' || city_code, 'account_managers', city_code, 'high'
    from city
),

final as (
    select team.* from team
    where not exists (select 1 from ops.team as existing where existing.team_id = team.team_id)
)

select team_id, name, kind, city_code, value_tiers, true from final
