-- grain: schema only. duckdb's to_base64 over bytes (sql/delivery/inbox_item_file.sql hands a delivered file to the
-- portal as base64 text), without the line breaks postgresql's encode puts every 76 characters
create or replace function public.to_base64(content bytea) returns text
    language sql immutable parallel safe as $$ select translate(encode(content, 'base64'), E'\n', '') $$;
