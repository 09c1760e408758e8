-- grain: one row per current subscriber: the warehouse part of the customer 360 view and of the probable reasons for
-- a call, read by key while the agent is on the phone (one row instead of a dozen section queries). each section is a
-- json list of objects with the rows, order and fields the 360 shows (Core/Customers/CustomerView.cs), names in every
-- language the portal speaks (the reader picks its own: sql/customers/c360_serving_profile.sql). the operational
-- parts (tasks, retention contacts) and the detectors' alerts are read by key from their own tables, combined in code.
-- read through an ART index on subscriber_id (created after each full build, kept up to date by the incremental
-- refreshes): a point read then fetches the one row instead of decoding a vector of large json strings.
-- refreshed by subscriber: a delivery that touches a subscriber's facts rebuilds that subscriber's row; a moved
-- as-of date or a changed catalogue (plan, region, channel, vas product, customer) rebuilds the table.
-- personal data (name, id number, msisdn, imsi), like dim_subscriber and dim_customer, which it copies.
-- refresh: key subscriber_id
-- input: dw.dim_subscriber
-- input: dw.fct_bill (subscriber_id, bill_month, total_amount, voice_fee, data_fee, sms_fee, vas_fee, other_fee, due_date)
-- input: dw.fct_payment (subscriber_id, payment_id, payment_time, payment_date, amount, method)
-- input: dw.fct_recharge (subscriber_id, recharge_id, recharge_time, recharge_date, amount, channel_code)
-- input: dw.fct_balance (subscriber_id, balance_date, balance, fee_due_month_end, shortfall)
-- input: dw.fct_usage_month (subscriber_id, usage_month, voice_minutes, data_mb, offnet_minutes, sms_count, active_days)
-- input: dw.fct_agreement (subscriber_id, agreement_id, policy_code, policy_name, policy_type, start_date, end_date, monthly_commitment, status, days_to_end, is_active)
-- input: dw.fct_vas_order (subscriber_id, order_id, vas_code, action, order_time, order_date, channel_code)
-- input: dw.fct_service_contact (subscriber_id, contact_id, contact_time, contact_date, contact_channel, category, is_complaint, status, closed_at, is_open)
-- input: dw.account_state
-- input: dw.call_forwarding_state
-- input: dw.points_balance
-- input: dw.fct_handset
-- input: dw.dim_customer (customer_id, customer_name, id_number, gender, birth_date, customer_type) all
-- input: dw.dim_plan all
-- input: dw.dim_region all
-- input: dw.dim_channel all
-- input: dw.dim_vas_product all
-- input: dw.dim_value_tier all
-- input: dw.dim_star_level all
-- input: dw.as_of (as_of_date, as_of_month) all
-- order: subscriber_id
-- index: subscriber_id
-- slices: 200000 per 10GB
with

as_of as (
    select as_of_date, as_of_month, cast(as_of_month - interval 11 month as date) as month_from from dw.as_of
),

subscriber as (
    select *
    from dw.dim_subscriber
    where is_current
    {% if is_incremental() %}
        and subscriber_id in (select subscriber_id from refresh_key)
    {% endif %}
),

versions as (
    select versions.*
    from dw.dim_subscriber as versions
    semi join subscriber using (subscriber_id)
),

version_plans as (
    select
        *,
        lag(plan_code) over (partition by subscriber_id order by version_no) as previous_plan_code,
        row_number() over (partition by subscriber_id order by valid_from desc, version_no desc) as n
    from versions
),

-- each section is a list sorted by a row number (list_sort of (n, row) pairs), not list(... order by ...): DuckDB's
-- ordered aggregate sorts every subscriber's few rows on its own, three times slower than one window sort for all
-- (docs/benchmarks.md, "The serving profile's sections in order")
history as (
    select
        versions.subscriber_id,
        cast(to_json(list_transform(list_sort(list(struct_pack(n := versions.n, v := struct_pack(
            VersionNo := cast(versions.version_no as integer),
            ValidFrom := versions.valid_from,
            ValidTo := case when versions.is_current then null else versions.valid_to end,
            PlanCode := versions.plan_code,
            PlanName := plan.plan_name,
            Status := versions.status,
            ValueTier := versions.value_tier,
            StarLevel := versions.star_level,
            CityCode := versions.city_code,
            DistrictCode := versions.district_code,
            IsCurrent := versions.is_current,
            CityName := city.region_name,
            CityNameZh := coalesce(city.region_name_zh, city.region_name),
            DistrictName := district.region_name,
            DistrictNameZh := coalesce(district.region_name_zh, district.region_name)
        )))), lambda item: item.v)) as varchar) as history_json
    from version_plans as versions
    left join dw.dim_plan as plan
        on plan.plan_code = versions.plan_code
    left join dw.dim_region as city
        on city.region_code = versions.city_code
    left join dw.dim_region as district
        on district.region_code = versions.district_code
    group by versions.subscriber_id
),

agreements as (
    select
        subscriber_id,
        cast(to_json(list_transform(list_sort(list(struct_pack(n := n, v := struct_pack(
            AgreementId := agreement_id, PolicyCode := policy_code, PolicyName := policy_name, PolicyType := policy_type,
            StartDate := start_date, EndDate := end_date, MonthlyCommitment := monthly_commitment, Status := status,
            DaysLeft := cast(days_to_end as integer), IsActive := is_active
        )))), lambda item: item.v)) as varchar) as agreements_json
    from (
        select *, row_number() over (partition by subscriber_id order by is_active desc, end_date desc, agreement_id) as n
        from dw.fct_agreement
        semi join subscriber using (subscriber_id)
    )
    group by subscriber_id
),

bills as (
    select
        subscriber_id,
        cast(to_json(list_transform(list_sort(list(struct_pack(n := n, v := struct_pack(
            BillMonth := bill_month, TotalAmount := total_amount, VoiceFee := voice_fee, DataFee := data_fee,
            SmsFee := sms_fee, VasFee := vas_fee, OtherFee := other_fee, DueDate := due_date
        )))), lambda item: item.v)) as varchar) as bills_json
    from (
        select *, row_number() over (partition by subscriber_id order by bill_month) as n
        from dw.fct_bill
        semi join subscriber using (subscriber_id)
        where bill_month >= (select month_from from as_of)
    )
    group by subscriber_id
),

payments as (
    select
        subscriber_id,
        cast(to_json(list_transform(list_sort(list(struct_pack(n := n,
            v := struct_pack(PaymentId := payment_id, PaidAt := payment_time, Amount := amount, Method := method)))),
            lambda item: item.v)) as varchar) as payments_json
    from (
        select *, row_number() over (partition by subscriber_id order by payment_time desc, payment_id) as n
        from dw.fct_payment
        semi join subscriber using (subscriber_id)
        where payment_date >= (select month_from from as_of)
    )
    group by subscriber_id
),

usage as (
    select
        subscriber_id,
        cast(to_json(list_transform(list_sort(list(struct_pack(n := n, v := struct_pack(
            UsageMonth := usage_month, VoiceMinutes := voice_minutes, DataMb := data_mb, OffnetMinutes := offnet_minutes,
            SmsCount := sms_count, ActiveDays := active_days
        )))), lambda item: item.v)) as varchar) as usage_json
    from (
        select *, row_number() over (partition by subscriber_id order by usage_month) as n
        from dw.fct_usage_month
        semi join subscriber using (subscriber_id)
        where usage_month >= (select month_from from as_of)
    )
    group by subscriber_id
),

recharges as (
    select
        recharge.subscriber_id,
        cast(to_json(list_transform(list_sort(list(struct_pack(n := recharge.n, v := struct_pack(
            RechargeId := recharge.recharge_id, RechargedAt := recharge.recharge_time, Amount := recharge.amount,
            ChannelCode := recharge.channel_code, ChannelName := channel.channel_name
        )))), lambda item: item.v)) as varchar) as recharges_json
    from (
        select *, row_number() over (partition by subscriber_id order by recharge_time desc, recharge_id) as n
        from dw.fct_recharge
        semi join subscriber using (subscriber_id)
        where recharge_date >= (select month_from from as_of)
    ) as recharge
    left join dw.dim_channel as channel
        on channel.channel_code = recharge.channel_code
    group by recharge.subscriber_id
),

vas_orders as (
    select orders.*,
        arg_max(orders.action, struct_pack(orders.order_time, orders.order_id))
            over (partition by orders.subscriber_id, orders.vas_code) = 'subscribe' as is_active,
        row_number() over (partition by orders.subscriber_id order by orders.order_time desc, orders.order_id) as n
    from dw.fct_vas_order as orders
    semi join subscriber using (subscriber_id)
),

vas as (
    select
        orders.subscriber_id,
        cast(to_json(list_transform(list_sort(list(struct_pack(n := orders.n, v := struct_pack(
            OrderId := orders.order_id, VasCode := orders.vas_code, VasName := product.vas_name, Category := product.category,
            MonthlyFee := product.monthly_fee, Action := orders.action, OrderedAt := orders.order_time,
            ChannelCode := orders.channel_code, ServiceActive := orders.is_active
        )))), lambda item: item.v)) as varchar) as vas_json
    from vas_orders as orders
    left join dw.dim_vas_product as product
        on product.vas_code = orders.vas_code
    where orders.is_active or orders.order_date >= (select month_from from as_of)
    group by orders.subscriber_id
),

service_contacts as (
    select
        subscriber_id,
        cast(to_json(list_transform(list_sort(list(struct_pack(n := n, v := struct_pack(
            ContactId := contact_id, ContactAt := contact_time, Channel := contact_channel, Category := category,
            IsComplaint := is_complaint, Status := status, ClosedAt := closed_at, IsOpen := is_open
        ))) filter (where is_open or contact_date >= (select month_from from as_of))), lambda item: item.v)) as varchar) as service_contacts_json
    from (
        select *, row_number() over (partition by subscriber_id order by contact_time desc, contact_id) as n
        from dw.fct_service_contact
        semi join subscriber using (subscriber_id)
    )
    group by subscriber_id
),

balance as (
    select subscriber_id, arg_max(struct_pack(balance_date, balance, fee_due_month_end, shortfall), balance_date) as latest
    from dw.fct_balance
    semi join subscriber using (subscriber_id)
    group by subscriber_id
),

-- the warehouse's probable reasons for a call, one per kind and code, worded by the reader from kind and figures
-- (the alerts behind a task come from the detectors: sql/workbench/subscriber_alert_reasons.sql)
reason_rows as (
    select subscriber_id, 'complaint' as kind, category as code, category as name, cast(contact_date as varchar) as detail,
        cast(case when is_open then 0.9 else 0.6 end as double) as weight
    from dw.fct_service_contact
    semi join subscriber using (subscriber_id)
    where is_complaint and (is_open or contact_date >= (select as_of_date from as_of) - interval 90 day)
    union all
    select subscriber_id, 'arrears', null, null, cast(amount_owed as varchar), 0.8
    from dw.account_state
    semi join subscriber using (subscriber_id)
    where amount_owed > 0
    union all
    select subscriber_id, 'contract_end', policy_code, policy_name, cast(days_to_end as varchar), 0.7
    from dw.fct_agreement
    semi join subscriber using (subscriber_id)
    where is_active and days_to_end between 0 and 90
    union all
    select versions.subscriber_id, 'plan_change', coalesce(plan.plan_name, versions.plan_code),
        coalesce(previous_plan.plan_name, versions.previous_plan_code), cast(versions.valid_from as varchar), 0.5
    from version_plans as versions
    left join dw.dim_plan as plan
        on plan.plan_code = versions.plan_code
    left join dw.dim_plan as previous_plan
        on previous_plan.plan_code = versions.previous_plan_code
    where versions.previous_plan_code is not null
        and versions.previous_plan_code <> versions.plan_code
        and versions.valid_from >= (select as_of_date from as_of) - interval 90 day
),

reasons as (
    select
        subscriber_id,
        cast(to_json(list_transform(list_sort(list(struct_pack(n := n,
            v := struct_pack(Kind := kind, Code := code, Name := name, Detail := detail, Weight := weight)))),
            lambda item: item.v)) as varchar) as reasons_json
    from (
        select *, row_number() over (partition by subscriber_id order by weight desc, kind, code) as n
        from (
            select * from reason_rows
            qualify row_number() over (partition by subscriber_id, kind, code order by weight desc, detail desc) = 1
        )
    )
    group by subscriber_id
),

final as (
    select
        subscriber.subscriber_id,
        subscriber.city_code,
        -- the profile, names in every language
        subscriber.customer_id,
        customer.customer_name,
        customer.id_number,
        customer.gender,
        cast(date_diff('year', customer.birth_date, as_of.as_of_date)
            - case when strftime(customer.birth_date, '%m%d') > strftime(as_of.as_of_date, '%m%d') then 1 else 0 end
            as integer) as age,
        customer.customer_type,
        subscriber.msisdn,
        subscriber.imsi,
        subscriber.payment_type,
        subscriber.status,
        subscriber.value_tier,
        tier.name_en as value_tier_name_en,
        tier.name_de as value_tier_name_de,
        tier.name_zh as value_tier_name_zh,
        subscriber.star_level,
        star.name_en as star_level_name_en,
        star.name_de as star_level_name_de,
        star.name_zh as star_level_name_zh,
        city.city_name,
        city.city_name_zh,
        subscriber.district_code,
        district.district_name,
        district.district_name_zh,
        subscriber.channel_code,
        subscriber.account_manager_id,
        subscriber.activation_date,
        subscriber.deactivation_date,
        cast(greatest(date_diff('month', subscriber.activation_date, as_of.as_of_date), 0) as integer) as tenure_months,
        subscriber.plan_code,
        plan.plan_name,
        plan.monthly_fee as plan_monthly_fee,
        plan.data_allowance_mb as plan_data_allowance_mb,
        plan.voice_allowance_min as plan_voice_allowance_min,
        plan.plan_family,
        as_of.as_of_date,
        -- the state at the as-of date: latest prepaid balance, arrears and suspension, forwarding, points, handset
        balance.latest.balance_date,
        balance.latest.balance,
        balance.latest.fee_due_month_end,
        balance.latest.shortfall,
        coalesce(account_state.is_suspended, false) as is_suspended,
        account_state.suspension_type,
        account_state.suspended_since,
        cast(account_state.days_suspended as integer) as days_suspended,
        account_state.amount_owed,
        account_state.arrears_since,
        coalesce(forwarding.active_forwards, 0) > 0 as has_forwarding,
        coalesce(forwarding.has_active_forwarding_offnet, false) as forwarding_offnet,
        forwarding.target_network as forwarding_target_network,
        forwarding.forward_type as forwarding_type,
        forwarding.active_since as forwarding_since,
        cast(points.points_balance as bigint) as points_balance,
        cast(points.points_earned as bigint) as points_earned,
        cast(points.points_redeemed as bigint) as points_redeemed,
        points.last_redeemed_at as points_last_redeemed_at,
        handset.brand as handset_brand,
        handset.model as handset_model,
        handset.is_5g as handset_is_5g,
        handset.first_seen_date as handset_first_seen,
        cast(handset.handsets_seen as integer) as handsets_seen,
        -- the sections as json text: a point read of a nested list column decodes its whole vector, a string does not.
        -- each section becomes text where it is aggregated: nested lists carried through the joins of final cost four
        -- times the rest of the query (docs/benchmarks.md, "The serving profile's sections as text")
        history.history_json,
        agreements.agreements_json,
        bills.bills_json,
        payments.payments_json,
        usage.usage_json,
        recharges.recharges_json,
        vas.vas_json,
        service_contacts.service_contacts_json,
        reasons.reasons_json
    from subscriber
    cross join as_of
    left join dw.dim_customer as customer
        on customer.customer_id = subscriber.customer_id
    left join dw.dim_plan as plan
        on plan.plan_code = subscriber.plan_code
    left join dw.dim_value_tier as tier
        on tier.value_tier = subscriber.value_tier
    left join dw.dim_star_level as star
        on star.star_level = subscriber.star_level
    left join dw.dim_region as city
        on city.region_code = subscriber.city_code
    left join dw.dim_region as district
        on district.region_code = subscriber.district_code
    left join history using (subscriber_id)
    left join agreements using (subscriber_id)
    left join bills using (subscriber_id)
    left join payments using (subscriber_id)
    left join usage using (subscriber_id)
    left join recharges using (subscriber_id)
    left join vas using (subscriber_id)
    left join service_contacts using (subscriber_id)
    left join balance using (subscriber_id)
    left join reasons using (subscriber_id)
    left join dw.account_state as account_state using (subscriber_id)
    left join dw.call_forwarding_state as forwarding using (subscriber_id)
    left join dw.points_balance as points using (subscriber_id)
    left join dw.fct_handset as handset using (subscriber_id)
)

select * from final
