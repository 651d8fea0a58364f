-- Photos people upload (a proof of a licensed skill: 电工证、医师执业证…), kept in
-- the database so both deployments (Supabase, or a Node server with any Postgres)
-- hold them the same way, read through the API only: by their owner and by staff of
-- the owner's community, each staff read logged (the photo shows personal data).
-- The API checks the bytes are a JPEG, PNG or WebP picture before SQL sees them.

insert into public.policies (key, value, description) values
  ('upload_max_kb', 3072, '上传的照片最大多少 KB（压缩后）');

create table public.uploads (
  id uuid primary key default gen_random_uuid(),
  owner_id uuid not null references public.users (id),
  purpose text not null check (purpose in ('skill_proof')),
  mime text not null check (mime in ('image/jpeg', 'image/png', 'image/webp')),
  bytes bytea not null,
  sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
  created_at timestamptz not null default now(),
  unique (owner_id, sha256)
);
comment on table public.uploads is
  'Uploaded photos (skill proofs), readable through the API by their owner and staff of the owner''s community.';
alter table public.uploads enable row level security;

-- A proof is an https address or one of the owner's uploads (/api/uploads/<id>).
alter table public.volunteer_skill_claims drop constraint volunteer_skill_claims_proof_url_check;
alter table public.volunteer_skill_claims add constraint volunteer_skill_claims_proof_url_check check (
  length(proof_url) <= 500
  and (proof_url ~ '^https://' or proof_url ~ '^/api/uploads/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'));

-- The same picture sent twice (a resend, a second tap) is one upload.
create or replace function public.save_upload(p_actor uuid, p_purpose text, p_mime text, p_base64 text)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_bytes bytea;
  v_sha text;
  v_id uuid;
begin
  perform private.require_user(p_actor);
  if p_purpose is distinct from 'skill_proof' then
    perform private.fail('invalid_input', '上传用途不正确');
  end if;
  if p_mime is null or p_mime not in ('image/jpeg', 'image/png', 'image/webp') then
    perform private.fail('invalid_input', '请上传 JPG、PNG 或 WebP 格式的照片');
  end if;
  begin
    v_bytes := decode(p_base64, 'base64');
  exception when others then
    perform private.fail('invalid_input', '照片数据不完整，请重新选择');
  end;
  if octet_length(v_bytes) < 100 then
    perform private.fail('invalid_input', '照片数据不完整，请重新选择');
  end if;
  if octet_length(v_bytes) > private.policy('upload_max_kb') * 1024 then
    perform private.fail('invalid_input', format('照片太大了，请压缩到 %s MB 以内再上传',
      round(private.policy('upload_max_kb') / 1024.0, 1)));
  end if;
  v_sha := encode(sha256(v_bytes), 'hex');
  insert into public.uploads (owner_id, purpose, mime, bytes, sha256)
  values (p_actor, p_purpose, p_mime, v_bytes, v_sha)
  on conflict (owner_id, sha256) do update set purpose = excluded.purpose
  returning id into v_id;
  return jsonb_build_object('id', v_id, 'url', '/api/uploads/' || v_id, 'mime', p_mime,
    'bytes', octet_length(v_bytes));
end;
$$;
comment on function public.save_upload(uuid, text, text, text) is 'Stores a photo the actor uploads (base64); the same picture twice is one upload.';

-- The picture, for its owner or staff of the community the owner volunteers or lives in.
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
  return jsonb_build_object('mime', v_upload.mime, 'base64', encode(v_upload.bytes, 'base64'));
end;
$$;
comment on function public.get_upload(uuid, uuid) is 'A photo for its owner or staff of the owner''s community (staff reads logged).';

-- A proof given as an upload must be the applicant's own.
create or replace function private.require_own_proof(p_actor uuid, p_proof text)
returns void
language plpgsql
stable
set search_path = ''
as $$
begin
  if p_proof ~ '^/api/uploads/' and not exists (
    select 1 from public.uploads where id = substr(p_proof, 14)::uuid and owner_id = p_actor) then
    perform private.fail('invalid_input', '资质证明照片不是您上传的，请重新上传');
  end if;
end;
$$;

create or replace function private.check_proof_owner()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if new.proof_url is distinct from old.proof_url or tg_op = 'INSERT' then
    perform private.require_own_proof(new.user_id, new.proof_url);
  end if;
  return new;
end;
$$;
create trigger volunteer_skill_claims_own_proof before insert or update of proof_url on public.volunteer_skill_claims
for each row execute function private.check_proof_owner();

-- 注销: their photos go with them.
create or replace function private.erase_uploads()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if new.deleted_at is not null and old.deleted_at is null then
    delete from public.uploads where owner_id = new.id;
  end if;
  return new;
end;
$$;
create trigger users_erase_uploads after update of deleted_at on public.users
for each row execute function private.erase_uploads();

revoke execute on all functions in schema public from public, anon, authenticated;
revoke execute on all functions in schema private from public, anon, authenticated;
grant execute on function
  public.save_upload(uuid, text, text, text),
  public.get_upload(uuid, uuid)
to service_role;
