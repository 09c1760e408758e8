-- saved cube views: a named pivot state an analyst can re-open, share with everyone or keep private. no primary key
-- (updated table, see 005): the view service hands out ids from the sequence and keeps names unique per owner.
create sequence if not exists ops.cube_view_id_seq start 1;

-- grain: one row per saved view
create table if not exists ops.cube_view (
    view_id         bigint not null,
    owner           varchar not null,   -- ops.app_user.username
    name            varchar not null,
    shared          boolean not null default false,  -- true: every user allowed to analyse may open it (in their own scope)
    cube_id         varchar not null,
    request_json    varchar not null,   -- the PivotRequest: cube, axes, measures, filters, top-N, sort
    created_at      timestamp not null,
    updated_at      timestamp not null
);
