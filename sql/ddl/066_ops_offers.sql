-- retention offers an agent may suggest, with their eligibility rules and ranking. lists are comma-separated codes;
-- null means "any". no keys (updated table, see 005): the offer service keeps offer_id unique.

-- grain: one row per offer
create table if not exists ops.offer (
    offer_id            varchar not null,
    name_en             varchar not null,
    name_de             varchar not null,
    name_zh             varchar not null,
    description         varchar,
    monthly_value       double not null default 0,  -- value to the subscriber per month (currency units)
    discount_pct        double not null default 0,  -- discount on the monthly fee, 0..100
    plans               varchar,                    -- eligible plan codes; null: any
    value_tiers         varchar,                    -- eligible value tiers; null: any
    scenarios           varchar,                    -- eligible only for these scenarios; null: any
    payment_types       varchar,                    -- prepaid, postpaid; null: any
    min_tenure_months   integer,
    max_tenure_months   integer,
    weight              double not null default 1,  -- base rank
    scenario_bonus      double not null default 0,  -- added when a listed scenario matches
    tier_bonus          double not null default 0,  -- added when a listed value tier matches
    active              boolean not null default true,
    updated_at          timestamp not null,
    updated_by          varchar not null
);
