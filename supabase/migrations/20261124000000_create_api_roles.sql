-- The API roles Supabase ships with, and the private schema for helpers.
-- On Supabase these roles exist already; on a plain Postgres (embedded in dev and
-- tests, self-hosted in production) we create them, so the same grants hold
-- everywhere: only service_role may execute the API's functions, and anon and
-- authenticated reach nothing.

do $$
begin
  if not exists (select 1 from pg_catalog.pg_roles where rolname = 'anon') then
    create role anon nologin noinherit;
  end if;
  if not exists (select 1 from pg_catalog.pg_roles where rolname = 'authenticated') then
    create role authenticated nologin noinherit;
  end if;
  if not exists (select 1 from pg_catalog.pg_roles where rolname = 'service_role') then
    create role service_role nologin noinherit bypassrls;
  end if;
end
$$;

grant usage on schema public to service_role;

-- Supabase grants execute on new functions to anon and authenticated by default;
-- we grant function by function instead.
alter default privileges in schema public revoke execute on functions from public;
alter default privileges in schema public revoke execute on functions from anon, authenticated;
alter default privileges in schema public revoke all on tables from anon, authenticated;

-- Helpers used inside our functions; never exposed through the API.
create schema if not exists private;
revoke all on schema private from public;
comment on schema private is 'Helpers called by the API functions; not exposed through PostgREST.';

-- Raise an application error: the message is a code from shared/src/errors.ts and
-- the detail is the Chinese sentence shown to the user. Both adapters map it back.
create or replace function private.fail(p_code text, p_message text)
returns void
language plpgsql
set search_path = ''
as $$
begin
  raise exception using errcode = 'P0001', message = p_code, detail = p_message;
end;
$$;
