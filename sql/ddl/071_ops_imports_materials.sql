-- imports (blacklist, handsets) and the material library.
create sequence if not exists ops.import_id_seq start 1;
create sequence if not exists ops.material_id_seq start 1;

-- grain: one row per import file: rows in = accepted + rejected
create table if not exists ops.import_run (
    import_id       bigint not null,
    kind            varchar not null,   -- blacklist | handset
    file_name       varchar not null,
    rows_in         integer not null,
    accepted        integer not null,
    rejected        integer not null,
    imported_at     timestamp not null,
    imported_by     varchar not null
);

-- grain: one row per rejected row of an import, with the reason (no row content: it may hold personal data)
create table if not exists ops.import_rejection (
    import_id       bigint not null,
    row_no          integer not null,   -- 1 = the first data row after the header
    reason          varchar not null
);

-- grain: one row per subscriber and handset seen, imported from terminal files; the customer 360 reads the newest
create table if not exists ops.handset (
    subscriber_id   varchar not null,
    brand           varchar not null,
    model           varchar not null,
    imei_tac        varchar not null,   -- the 8-digit type allocation code: identifies the model, not the device
    observed_on     date not null,
    import_id       bigint not null,
    imported_at     timestamp not null
);

-- grain: one row per material and version; roles = comma-separated portal roles that may see it
create table if not exists ops.material (
    material_id     bigint not null,
    version         integer not null,
    title           varchar not null,
    kind            varchar not null,   -- script | offer_sheet | document
    file_name       varchar not null,
    content_type    varchar not null,
    size_bytes      bigint not null,
    content         blob not null,
    roles           varchar not null,
    uploaded_at     timestamp not null,
    uploaded_by     varchar not null
);
