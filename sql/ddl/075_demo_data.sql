-- the demo: a warehouse that the sample province was seeded into in demo mode (the portal's first start with
-- Auth:DemoMode, or ra demo) is marked here, and only a marked warehouse ever gets the demo's past campaigns.
create table if not exists meta.demo_warehouse (
    marked_at           timestamp not null,
    marked_by           varchar not null,   -- portal | cli
    history_months      integer not null,   -- the months before the newest that get past campaigns
    history_seeded_at   timestamp           -- null until every one of them is in
);

-- grain: one row per month whose demo campaigns were made and worked completely; a month without a row is redone
create table if not exists meta.demo_history (
    period      date not null,
    campaigns   integer not null,
    tasks       integer not null,
    contacts    integer not null,
    seeded_at   timestamp not null
);

-- campaigns the demo made, not real work: shown as demo data wherever campaigns are listed
alter table ops.campaign add column if not exists demo boolean default false;
