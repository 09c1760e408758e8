-- schemas of the warehouse: meta (journal, audit, runs, quality), stg (extracts as delivered), dw (dimensions and facts), mart (report-ready)
create schema if not exists meta;
create schema if not exists stg;
create schema if not exists dw;
create schema if not exists mart;
