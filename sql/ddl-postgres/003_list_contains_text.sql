-- grain: schema only. list_contains over a text list and a varchar column (string_split(...) against job_name):
-- the polymorphic definition of 001 needs the element's exact type, so this overload takes text and varchar casts to it
create or replace function public.list_contains(list text[], element text) returns boolean
    language sql immutable parallel safe as $$ select element = any(list) $$;
