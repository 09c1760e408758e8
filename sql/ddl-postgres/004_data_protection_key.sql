-- grain: schema only. the asp.net core data protection key ring shared by every portal node (with duckdb each
-- process keeps its own on disk): a cookie or form token issued by one node is read by the others.
-- one row per key, its xml as the key manager writes it
create table if not exists ops.data_protection_key (
    friendly_name   varchar primary key,
    xml             varchar not null,
    created_at      timestamp not null
);
