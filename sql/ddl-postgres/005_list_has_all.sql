-- grain: schema only. duckdb's list_has_all over two text lists (sql/sms/send_stats.sql: a send's cities all within
-- the reader's), so the shared file runs on both
create or replace function public.list_has_all(list text[], elements text[]) returns boolean
    language sql immutable parallel safe as $$ select elements <@ list $$;
