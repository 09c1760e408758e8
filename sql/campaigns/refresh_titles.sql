-- grain: the stored titles (ops.campaign_title) of one campaign, or of every campaign when $campaign_id is null, made
-- equal to their derivation (ops.campaign_naming): only rows whose title changed are written, rows of campaigns that
-- no longer exist are removed. run where a campaign is created or renamed and where scenario names change.
delete from ops.campaign_title as stored
where (cast($campaign_id as bigint) is null or stored.campaign_id = cast($campaign_id as bigint))
    and not exists (
        select 1
        from ops.campaign_naming as named
        where named.campaign_id = stored.campaign_id
            and named.lang = stored.lang
            and named.title is not distinct from stored.title
    );

insert into ops.campaign_title (campaign_id, lang, title)
select named.campaign_id, named.lang, named.title
from ops.campaign_naming as named
where (cast($campaign_id as bigint) is null or named.campaign_id = cast($campaign_id as bigint))
    and not exists (
        select 1
        from ops.campaign_title as stored
        where stored.campaign_id = named.campaign_id
            and stored.lang = named.lang
            and stored.title is not distinct from named.title
    );
