-- Photos people upload (a proof of a licensed skill: 电工证、医师执业证…; later the
-- photos of a need). The bytes live behind the API's file port (Supabase Storage in
-- production, a folder in dev and tests: functions/src/storage); Postgres keeps whose
-- they are and who may read them: their owner and staff of the owner's community,
-- each staff read logged (the photo shows personal data). The API checks the bytes
-- are a JPEG, PNG or WebP picture before SQL sees the upload.

insert into public.policies (key, value, description) values
  ('upload_max_kb', 5120, '上传的照片最大多少 KB');

create table public.uploads (
  id uuid primary key default gen_random_uuid(),
  owner_id uuid not null references public.users (id),
  purpose text not null check (purpose in ('skill_proof')),
  mime text not null check (mime in ('image/jpeg', 'image/png', 'image/webp')),
  size integer not null check (size > 0),
  sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
  storage_key text not null unique,
  created_at timestamptz not null default now(),
  unique (owner_id, sha256),
  check (storage_key = owner_id || '/' || sha256)
);
comment on table public.uploads is
  'Uploaded photos: the file is in storage under storage_key (owner/sha256: the same picture is one file);
   readable through the API by the owner and staff of the owner''s community.';
alter table public.uploads enable row level security;

-- Files whose rows went with a deleted account (注销): the tick removes them from storage.
create table public.file_erasures (
  storage_key text primary key,
  queued_at timestamptz not null default now()
);
alter table public.file_erasures enable row level security;

-- A proof is an https address or one of the owner's uploads (/api/uploads/<id>).
alter table public.volunteer_skill_claims drop constraint volunteer_skill_claims_proof_url_check;
alter table public.volunteer_skill_claims add constraint volunteer_skill_claims_proof_url_check check (
  length(proof_url) <= 500
  and (proof_url ~ '^https://' or proof_url ~ '^/api/uploads/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'));

-- Records an upload (the API stores the bytes under the key it answers); the same
-- picture sent twice (a resend, a second tap) is one upload.
create or replace function public.save_upload(
  p_actor uuid, p_purpose text, p_mime text, p_size integer, p_sha256 text)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_upload public.uploads;
begin
  perform private.require_user(p_actor);
  if p_purpose is distinct from 'skill_proof' then
    perform private.fail('invalid_input', '上传用途不正确');
  end if;
  if p_mime is null or p_mime not in ('image/jpeg', 'image/png', 'image/webp') then
    perform private.fail('invalid_input', '请上传 JPG、PNG 或 WebP 格式的照片');
  end if;
  if p_size is null or p_size < 100 or p_sha256 is null or p_sha256 !~ '^[0-9a-f]{64}$' then
    perform private.fail('invalid_input', '照片数据不完整，请重新选择');
  end if;
  if p_size > private.policy('upload_max_kb') * 1024 then
    perform private.fail('invalid_input', format('照片太大了，请压缩到 %s MB 以内再上传',
      round(private.policy('upload_max_kb') / 1024.0, 1)));
  end if;
  insert into public.uploads (owner_id, purpose, mime, size, sha256, storage_key)
  values (p_actor, p_purpose, p_mime, p_size, p_sha256, p_actor || '/' || p_sha256)
  on conflict (owner_id, sha256) do update set purpose = excluded.purpose
  returning * into v_upload;
  return jsonb_build_object('id', v_upload.id, 'url', '/api/uploads/' || v_upload.id, 'mime', v_upload.mime,
    'bytes', v_upload.size, 'storageKey', v_upload.storage_key);
end;
$$;
comment on function public.save_upload(uuid, text, text, integer, text) is
  'Records a photo the actor uploads; the same picture twice is one upload.';

-- Where the picture is, for its owner or staff of the community the owner volunteers or lives in.
create or replace function public.get_upload(p_actor uuid, p_upload_id uuid)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_upload public.uploads;
  v_community uuid;
begin
  perform private.require_user(p_actor);
  select * into v_upload from public.uploads where id = p_upload_id;
  if v_upload.id is null then
    perform private.fail('not_found', '没有找到这张照片');
  end if;
  if v_upload.owner_id <> p_actor then
    v_community := coalesce((select community_id from public.volunteer_profiles where user_id = v_upload.owner_id),
                            private.home_community(v_upload.owner_id));
    if v_community is null or not private.is_staff_of(p_actor, v_community) then
      perform private.fail('not_found', '没有找到这张照片');
    end if;
    insert into public.personal_data_access_log (viewer_id, subject_id, fields)
    values (p_actor, v_upload.owner_id, array['skill_proof_photo']);
  end if;
  return jsonb_build_object('mime', v_upload.mime, 'storageKey', v_upload.storage_key);
end;
$$;
comment on function public.get_upload(uuid, uuid) is 'A photo''s place in storage, for its owner or staff of the owner''s community (staff reads logged).';

-- The next files to remove from storage (taken off the queue as they are answered).
create or replace function public.take_file_erasures(p_limit integer)
returns jsonb
language sql
security definer
set search_path = ''
as $$
  with taken as (
    delete from public.file_erasures
    where storage_key in (select storage_key from public.file_erasures order by queued_at
                          limit greatest(coalesce(p_limit, 100), 1) for update skip locked)
    returning storage_key)
  select coalesce(jsonb_agg(storage_key), '[]'::jsonb) from taken;
$$;

-- A proof given as an upload must be the applicant's own.
create or replace function private.check_proof_owner()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if new.proof_url ~ '^/api/uploads/' and not exists (
    select 1 from public.uploads where id = substr(new.proof_url, 14)::uuid and owner_id = new.user_id) then
    perform private.fail('invalid_input', '资质证明照片不是您上传的，请重新上传');
  end if;
  return new;
end;
$$;
create trigger volunteer_skill_claims_own_proof before insert or update of proof_url on public.volunteer_skill_claims
for each row execute function private.check_proof_owner();

-- 注销: their photos go with them (the rows now, the files at the next tick).
create or replace function private.erase_uploads()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if new.deleted_at is not null and old.deleted_at is null then
    with gone as (delete from public.uploads where owner_id = new.id returning storage_key)
    insert into public.file_erasures (storage_key) select storage_key from gone on conflict do nothing;
  end if;
  return new;
end;
$$;
create trigger users_erase_uploads after update of deleted_at on public.users
for each row execute function private.erase_uploads();

revoke execute on all functions in schema public from public, anon, authenticated;
revoke execute on all functions in schema private from public, anon, authenticated;
grant execute on function
  public.save_upload(uuid, text, text, integer, text),
  public.get_upload(uuid, uuid),
  public.take_file_erasures(integer)
to service_role;
