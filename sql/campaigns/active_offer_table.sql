-- grain: schema only. the active offers beside the warehouse for one suggestion (campaigns/offer_suggestions.sql),
-- filled by the caller from the offer catalogue in the operational data
drop table if exists active_offer;
create temp table active_offer (
    offer_id            varchar,
    name_en             varchar,
    name_de             varchar,
    name_zh             varchar,
    description         varchar,
    monthly_value       double,
    discount_pct        double,
    plans               varchar,
    value_tiers         varchar,
    scenarios           varchar,
    payment_types       varchar,
    min_tenure_months   integer,
    max_tenure_months   integer,
    weight              double,
    scenario_bonus      double,
    tier_bonus          double
)
