-- 成为志愿者: a resident applies; staff of their home community approve, reject with a
-- reason or ask for more; staff suspend and reinstate with a reason, and certify or
-- revoke licensed skills. The ID number arrives already encrypted by the API
-- (AES-256-GCM, key ID_NUMBER_KEY, functions/src/volunteers/id-number.ts) with its
-- masked form: neither the number nor the key ever reaches SQL, its logs or its
-- errors; answers carry only the masked form.

alter table public.skills add column licensed boolean not null default false;
comment on column public.skills.licensed is 'Licensed work (electrical repair, medical, legal): needs a proof photo and staff certification.';
update public.skills set licensed = true where code in ('repair', 'medical', 'legal');

alter table public.volunteer_profiles
  add column id_number_cipher text check (length(id_number_cipher) <= 400),
  add column id_number_masked text check (id_number_masked ~ '^[0-9]{4}\*{10}[0-9]{3}[0-9Xx]$'),
  add column employer text check (length(employer) <= 40),
  add column pledged_at timestamptz,
  add column applied_at timestamptz,
  add column info_requested_at timestamptz;
comment on column public.volunteer_profiles.id_number_cipher is
  'ID number, AES-256-GCM ciphertext made by the API (key from the environment); never returned.';
comment on column public.volunteer_profiles.info_requested_at is
  'Staff asked for more (补充材料): the application stays pending until the applicant applies again.';

-- What a volunteer claims to be able to do, with proof for licensed work. A skill
-- counts for dispatch only in volunteer_skills: unlicensed ones on approval,
-- licensed ones when staff certify them (and leave it when revoked).
create table public.volunteer_skill_claims (
  user_id uuid not null references public.volunteer_profiles (user_id),
  skill_code text not null references public.skills (code),
  proof_url text check (proof_url ~ '^https://' and length(proof_url) <= 500),
  status text not null default 'pending' check (status in ('pending', 'certified', 'revoked')),
  reviewed_by uuid references public.users (id),
  reviewed_at timestamptz,
  note text check (length(note) <= 200),
  created_at timestamptz not null default now(),
  primary key (user_id, skill_code)
);
comment on table public.volunteer_skill_claims is 'Skills an applicant declared, with proof for licensed ones, and staff certification.';
alter table public.volunteer_skill_claims enable row level security;

-- Who changed a volunteer's standing, when and why (审核、暂停、恢复): append-only.
create table public.volunteer_status_events (
  id bigint generated always as identity primary key,
  user_id uuid not null references public.volunteer_profiles (user_id),
  actor_id uuid references public.users (id),
  action text not null check (action in ('apply', 'approve', 'reject', 'more_info', 'suspend', 'reinstate',
                                         'certify_skill', 'revoke_skill')),
  reason text check (length(reason) <= 200),
  at timestamptz not null default now()
);
create index volunteer_status_events_user_idx on public.volunteer_status_events (user_id, at);
alter table public.volunteer_status_events enable row level security;

-- 注销 (account deletion) blanks the profile's phone: the ID number and employer go with it.
create or replace function private.erase_volunteer_identity()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if new.phone is null and old.phone is not null then
    new.id_number_cipher := null;
    new.id_number_masked := null;
    new.employer := null;
    update public.volunteer_skill_claims set proof_url = null where user_id = new.user_id;
  end if;
  return new;
end;
$$;
create trigger volunteer_profiles_erase_identity before update on public.volunteer_profiles
for each row execute function private.erase_volunteer_identity();

-- One application as its owner or a reviewer sees it: the ID number masked, always.
-- Whether staff may take this step with a volunteer now: review an application
-- (approve / reject / ask for more: pending and not waiting for more material),
-- suspend an approved volunteer, reinstate a suspended one. The writes below ask
-- the same question; the staff view lists the answers as `actions`.
create or replace function private.volunteer_step_open(p_profile public.volunteer_profiles, p_step text)
returns boolean
language sql
stable
set search_path = ''
as $$
  select case p_step
    when 'review' then p_profile.status = 'pending' and p_profile.info_requested_at is null
    when 'suspend' then p_profile.status = 'approved'
    when 'reinstate' then p_profile.status = 'suspended'
    else false
  end;
$$;

-- Whether staff may certify (proof given, not yet certified) or revoke (certified) a licensed skill.
create or replace function private.skill_step_open(p_claim public.volunteer_skill_claims, p_step text)
returns boolean
language sql
immutable
set search_path = ''
as $$
  select case p_step
    when 'certify' then p_claim.proof_url is not null and p_claim.status is distinct from 'certified'
    when 'revoke' then p_claim.status = 'certified'
    else false
  end;
$$;

create or replace function private.volunteer_application_json(p_user_id uuid, p_mask_phone boolean)
returns jsonb
language sql
stable
set search_path = ''
as $$
  select jsonb_build_object(
    'userId', v.user_id,
    'communityId', v.community_id,
    'communityName', c.name,
    'realName', v.real_name,
    'phone', case when p_mask_phone then private.mask_phone(v.phone) else v.phone end,
    'idNumberMasked', v.id_number_masked,
    'isPartyMember', v.is_party_member,
    'employer', v.employer,
    'serviceRadiusM', v.service_radius_m,
    'status', v.status,
    'reviewState', case when v.status = 'pending' and v.info_requested_at is not null then 'more_info'
                        else v.status::text end,
    'reviewNote', v.review_note,
    -- Steps staff may take now; only in the reviewer's view (the one with the phone masked).
    'actions', case when not p_mask_phone then '[]'::jsonb else coalesce((
      select jsonb_agg(step) from unnest(array['review', 'suspend', 'reinstate']) step
      where private.volunteer_step_open(v, step)), '[]'::jsonb) end,
    'appliedAt', v.applied_at,
    'reviewedAt', v.reviewed_at,
    'skills', coalesce((
      select jsonb_agg(jsonb_build_object(
          'code', k.code, 'name', k.name, 'licensed', k.licensed,
          'proofUrl', sc.proof_url, 'status', sc.status,
          'actions', case when not k.licensed or not p_mask_phone then '[]'::jsonb else coalesce((
            select jsonb_agg(step) from unnest(array['certify', 'revoke']) step
            where private.skill_step_open(sc, step)), '[]'::jsonb) end) order by k.sort_order)
      from public.volunteer_skill_claims sc join public.skills k on k.code = sc.skill_code
      where sc.user_id = v.user_id), '[]'::jsonb),
    'availability', coalesce((
      select jsonb_agg(jsonb_build_object(
          'weekday', a.weekday, 'start', to_char(a.starts_at, 'HH24:MI'), 'end', to_char(a.ends_at, 'HH24:MI'))
        order by a.weekday, a.starts_at)
      from public.volunteer_availability a where a.user_id = v.user_id), '[]'::jsonb))
  from public.volunteer_profiles v
  join public.communities c on c.id = v.community_id
  where v.user_id = p_user_id;
$$;

create or replace function public.apply_volunteer(p_actor uuid, p_input jsonb, p_key text)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_replay jsonb;
  v_community uuid;
  v_profile public.volunteer_profiles;
  v_skill jsonb;
  v_slot jsonb;
  v_licensed boolean;
begin
  perform private.require_user(p_actor);
  -- The ciphertext differs on every encryption (a fresh nonce): a resend is the same
  -- request if all else is, the masked number included.
  v_replay := private.idem_begin(p_actor, p_key, 'apply_volunteer', p_input - 'idNumberCipher');
  if v_replay is not null then return v_replay; end if;
  perform 1 from public.users where id = p_actor for no key update;
  v_community := private.home_community(p_actor);
  if v_community is null then
    perform private.fail('conflict', '请先选择您所在的社区，再申请成为志愿者');
  end if;
  if coalesce((p_input->>'pledge')::boolean, false) is not true then
    perform private.fail('invalid_input', '请阅读并同意志愿者承诺');
  end if;
  if jsonb_array_length(coalesce(p_input->'skills', '[]')) = 0 then
    perform private.fail('invalid_input', '请至少选择一项专长');
  end if;
  select * into v_profile from public.volunteer_profiles where user_id = p_actor for update;
  if v_profile.status in ('approved', 'suspended') then
    perform private.fail('conflict', '您已经是志愿者了');
  end if;
  if v_profile.user_id is not null and v_profile.community_id <> v_community then
    perform private.fail('conflict', '您的申请在另一个社区，请联系社区工作人员');
  end if;

  insert into public.volunteer_profiles as v (user_id, community_id, real_name, phone, is_party_member, employer,
    service_radius_m, id_number_cipher, id_number_masked, pledged_at, applied_at, status)
  values (p_actor, v_community, p_input->>'realName', p_input->>'phone', (p_input->>'isPartyMember')::boolean,
    nullif(p_input->>'employer', ''), (p_input->>'serviceRadiusM')::integer, p_input->>'idNumberCipher',
    p_input->>'idNumberMasked', now(), now(), 'pending')
  on conflict (user_id) do update set
    real_name = excluded.real_name, phone = excluded.phone, is_party_member = excluded.is_party_member,
    employer = excluded.employer, service_radius_m = excluded.service_radius_m,
    id_number_cipher = excluded.id_number_cipher, id_number_masked = excluded.id_number_masked,
    pledged_at = excluded.pledged_at, applied_at = excluded.applied_at, status = 'pending',
    reviewed_by = null, reviewed_at = null, info_requested_at = null;

  -- Nothing of an earlier application counts for dispatch until staff approve this one.
  delete from public.volunteer_skills where user_id = p_actor;
  delete from public.volunteer_skill_claims where user_id = p_actor;
  for v_skill in select * from jsonb_array_elements(p_input->'skills') loop
    select licensed into v_licensed from public.skills where code = v_skill->>'code';
    if v_licensed is null then
      perform private.fail('invalid_input', '没有这项专长');
    end if;
    if v_licensed and coalesce(v_skill->>'proofUrl', '') = '' then
      perform private.fail('invalid_input', format('“%s”需要上传资质证明照片',
        (select name from public.skills where code = v_skill->>'code')));
    end if;
    insert into public.volunteer_skill_claims (user_id, skill_code, proof_url)
    values (p_actor, v_skill->>'code', nullif(v_skill->>'proofUrl', ''))
    on conflict do nothing;
  end loop;
  delete from public.volunteer_availability where user_id = p_actor;
  for v_slot in select * from jsonb_array_elements(coalesce(p_input->'availability', '[]')) loop
    insert into public.volunteer_availability (user_id, weekday, starts_at, ends_at)
    values (p_actor, (v_slot->>'weekday')::smallint, (v_slot->>'start')::time, (v_slot->>'end')::time);
  end loop;
  insert into public.volunteer_status_events (user_id, actor_id, action) values (p_actor, p_actor, 'apply');

  perform private.notify_staff(v_community, 'application_received',
    'application:' || p_actor || ':' || extract(epoch from now()), '新的志愿者申请',
    format('%s 申请成为志愿者，请审核', p_input->>'realName'),
    '/staff/pages/people/index?communityId=' || v_community || '&status=pending',
    jsonb_build_object('userId', p_actor));
  return private.idem_finish(p_actor, p_key, private.volunteer_application_json(p_actor, false));
end;
$$;

create or replace function public.get_my_volunteer_application(p_actor uuid)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  perform private.require_user(p_actor);
  return coalesce(private.volunteer_application_json(p_actor, false), 'null'::jsonb);
end;
$$;

create or replace function public.list_volunteer_applications(p_actor uuid, p_community_id uuid)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  perform private.require_user(p_actor);
  perform private.require_staff_of(p_actor, p_community_id);
  return coalesce((
    select jsonb_agg(private.volunteer_application_json(v.user_id, true) order by v.applied_at nulls first, v.real_name)
    from public.volunteer_profiles v
    where v.community_id = p_community_id and v.phone is not null), '[]'::jsonb);
end;
$$;

-- Locks a volunteer's profile and checks the actor is staff of its community.
create or replace function private.lock_volunteer_for_staff(p_actor uuid, p_user_id uuid)
returns public.volunteer_profiles
language plpgsql
set search_path = ''
as $$
declare
  v_profile public.volunteer_profiles;
begin
  select * into v_profile from public.volunteer_profiles where user_id = p_user_id for update;
  if v_profile.user_id is null or v_profile.phone is null then
    perform private.fail('not_found', '没有找到这位志愿者');
  end if;
  perform private.require_staff_of(p_actor, v_profile.community_id);
  return v_profile;
end;
$$;

create or replace function public.review_volunteer(
  p_actor uuid, p_user_id uuid, p_decision text, p_reason text, p_key text)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_replay jsonb;
  v_profile public.volunteer_profiles;
  v_key text;
begin
  perform private.require_user(p_actor);
  v_replay := private.idem_begin(p_actor, p_key, 'review_volunteer',
    jsonb_build_object('userId', p_user_id, 'decision', p_decision, 'reason', p_reason));
  if v_replay is not null then return v_replay; end if;
  v_profile := private.lock_volunteer_for_staff(p_actor, p_user_id);
  if not private.volunteer_step_open(v_profile, 'review') then
    perform private.fail('illegal_transition', case
      when v_profile.status = 'pending' then '已经请申请人补充材料，等对方重新提交后再审核'
      else '这份申请已经审核过了' end);
  end if;
  if p_decision <> 'approve' and coalesce(btrim(p_reason), '') = '' then
    perform private.fail('invalid_input', '请写明原因，申请人会看到');
  end if;
  v_key := 'review:' || p_user_id || ':' || extract(epoch from now());
  if p_decision = 'approve' then
    update public.volunteer_profiles
    set status = 'approved', reviewed_by = p_actor, reviewed_at = now(), review_note = nullif(btrim(p_reason), '')
    where user_id = p_user_id;
    insert into public.user_roles (user_id, role, community_id)
    values (p_user_id, 'volunteer', v_profile.community_id)
    on conflict do nothing;
    -- Unlicensed skills count at once; licensed ones wait for certification.
    update public.volunteer_skill_claims sc set status = 'certified', reviewed_by = p_actor, reviewed_at = now()
    from public.skills k
    where sc.user_id = p_user_id and k.code = sc.skill_code and not k.licensed and sc.status = 'pending';
    insert into public.volunteer_skills (user_id, skill_code)
    select user_id, skill_code from public.volunteer_skill_claims where user_id = p_user_id and status = 'certified'
    on conflict do nothing;
    perform private.notify(p_user_id, 'application_approved', v_key, '志愿者申请已通过',
      '欢迎加入！现在可以在任务大厅接单了', '/volunteer/pages/hall/index', '{}'::jsonb);
  elsif p_decision = 'reject' then
    update public.volunteer_profiles
    set status = 'rejected', reviewed_by = p_actor, reviewed_at = now(), review_note = btrim(p_reason)
    where user_id = p_user_id;
    perform private.notify(p_user_id, 'application_rejected', v_key, '志愿者申请没有通过',
      '原因：' || btrim(p_reason), '/volunteer/pages/apply/index', '{}'::jsonb);
  elsif p_decision = 'more_info' then
    update public.volunteer_profiles
    set info_requested_at = now(), review_note = btrim(p_reason)
    where user_id = p_user_id;
    perform private.notify(p_user_id, 'more_info_needed', v_key, '志愿者申请需要补充材料',
      btrim(p_reason), '/volunteer/pages/apply/index', '{}'::jsonb);
  else
    perform private.fail('invalid_input', '审核结果不正确');
  end if;
  insert into public.volunteer_status_events (user_id, actor_id, action, reason)
  values (p_user_id, p_actor, p_decision, nullif(btrim(p_reason), ''));
  return private.idem_finish(p_actor, p_key, private.volunteer_application_json(p_user_id, true));
end;
$$;

-- 暂停 / 恢复. A suspended volunteer gets no offers (private.may_take wants 'approved'),
-- their live offers are withdrawn, and their accepted tasks not yet started go back to
-- dispatch in this same transaction, each with a timeline event and a word to the resident.
create or replace function public.set_volunteer_suspended(
  p_actor uuid, p_user_id uuid, p_suspended boolean, p_reason text, p_key text)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_replay jsonb;
  v_profile public.volunteer_profiles;
  v_order public.orders;
  v_key text;
begin
  perform private.require_user(p_actor);
  v_replay := private.idem_begin(p_actor, p_key, 'set_volunteer_suspended',
    jsonb_build_object('userId', p_user_id, 'suspended', p_suspended, 'reason', p_reason));
  if v_replay is not null then return v_replay; end if;
  v_profile := private.lock_volunteer_for_staff(p_actor, p_user_id);
  if coalesce(btrim(p_reason), '') = '' then
    perform private.fail('invalid_input', '请写明原因');
  end if;
  v_key := 'standing:' || p_user_id || ':' || extract(epoch from now());
  if p_suspended then
    if not private.volunteer_step_open(v_profile, 'suspend') then
      perform private.fail('illegal_transition', '只有审核通过的志愿者可以暂停');
    end if;
    update public.volunteer_profiles set status = 'suspended', review_note = btrim(p_reason)
    where user_id = p_user_id;
    update public.dispatch_offers
    set status = 'withdrawn', responded_at = now(), decline_reason = '志愿者已暂停'
    where volunteer_id = p_user_id and status = 'pending';
    for v_order in
      select * from public.orders where volunteer_id = p_user_id and status = 'accepted' order by id for update
    loop
      update public.orders
      set status = private.next_status('order', 'release', v_order.status::text)::public.order_status,
          volunteer_id = null, accepted_at = null
      where id = v_order.id returning * into v_order;
      perform private.log_order_event(v_order.id, p_actor, 'staff', 'release', 'accepted', 'open',
        jsonb_build_object('reason', '志愿者暂停服务', 'volunteerName', private.display_name(p_user_id)));
      perform private.notify_order_people(v_order, 'order_released',
        'released:' || v_order.id || ':' || extract(epoch from now()), '我们正在重新安排志愿者',
        format('原来的志愿者暂时不能服务，我们正在为您重新安排：%s',
          (select title from public.projects where id = v_order.project_id)));
    end loop;
    perform private.notify(p_user_id, 'volunteer_suspended', v_key, '您的志愿服务已暂停',
      '原因：' || btrim(p_reason) || '。如有疑问请联系社区', '/volunteer/pages/apply/index', '{}'::jsonb);
  else
    if not private.volunteer_step_open(v_profile, 'reinstate') then
      perform private.fail('illegal_transition', '只有已暂停的志愿者可以恢复');
    end if;
    update public.volunteer_profiles set status = 'approved', review_note = btrim(p_reason)
    where user_id = p_user_id;
    perform private.notify(p_user_id, 'volunteer_reinstated', v_key, '您的志愿服务已恢复',
      '现在可以重新接单了', '/volunteer/pages/hall/index', '{}'::jsonb);
  end if;
  insert into public.volunteer_status_events (user_id, actor_id, action, reason)
  values (p_user_id, p_actor, case when p_suspended then 'suspend' else 'reinstate' end, btrim(p_reason));
  return private.idem_finish(p_actor, p_key, private.volunteer_application_json(p_user_id, true));
end;
$$;

create or replace function public.certify_volunteer_skill(
  p_actor uuid, p_user_id uuid, p_skill_code text, p_certified boolean, p_note text, p_key text)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_replay jsonb;
  v_profile public.volunteer_profiles;
  v_claim public.volunteer_skill_claims;
  v_name text;
begin
  perform private.require_user(p_actor);
  v_replay := private.idem_begin(p_actor, p_key, 'certify_volunteer_skill',
    jsonb_build_object('userId', p_user_id, 'skill', p_skill_code, 'certified', p_certified, 'note', p_note));
  if v_replay is not null then return v_replay; end if;
  v_profile := private.lock_volunteer_for_staff(p_actor, p_user_id);
  select name into v_name from public.skills where code = p_skill_code;
  if v_name is null then
    perform private.fail('not_found', '没有这项专长');
  end if;
  select * into v_claim from public.volunteer_skill_claims where user_id = p_user_id and skill_code = p_skill_code;
  if p_certified then
    if v_claim.user_id is null or not private.skill_step_open(v_claim, 'certify') then
      perform private.fail('invalid_input', '这位志愿者还没有提交这项专长的资质证明，或已经认证过了');
    end if;
    update public.volunteer_skill_claims
    set status = 'certified', reviewed_by = p_actor, reviewed_at = now(), note = nullif(btrim(p_note), '')
    where user_id = p_user_id and skill_code = p_skill_code;
    if v_profile.status in ('approved', 'suspended') then
      insert into public.volunteer_skills (user_id, skill_code) values (p_user_id, p_skill_code)
      on conflict do nothing;
    end if;
    perform private.notify(p_user_id, 'skill_certified', 'skill:' || p_user_id || ':' || p_skill_code || ':' ||
      extract(epoch from now()), '专长认证通过', format('您的“%s”专长已通过社区认证', v_name),
      '/volunteer/pages/apply/index', jsonb_build_object('skill', p_skill_code));
  else
    if coalesce(btrim(p_note), '') = '' then
      perform private.fail('invalid_input', '请写明撤销认证的原因');
    end if;
    insert into public.volunteer_skill_claims (user_id, skill_code, status, reviewed_by, reviewed_at, note)
    values (p_user_id, p_skill_code, 'revoked', p_actor, now(), btrim(p_note))
    on conflict (user_id, skill_code) do update set
      status = 'revoked', reviewed_by = p_actor, reviewed_at = now(), note = btrim(p_note);
    delete from public.volunteer_skills where user_id = p_user_id and skill_code = p_skill_code;
    perform private.notify(p_user_id, 'skill_revoked', 'skill:' || p_user_id || ':' || p_skill_code || ':' ||
      extract(epoch from now()), '专长认证已撤销', format('“%s”：%s', v_name, btrim(p_note)),
      '/volunteer/pages/apply/index', jsonb_build_object('skill', p_skill_code));
  end if;
  insert into public.volunteer_status_events (user_id, actor_id, action, reason)
  values (p_user_id, p_actor, case when p_certified then 'certify_skill' else 'revoke_skill' end,
    left(v_name || coalesce('：' || nullif(btrim(p_note), ''), ''), 200));
  return private.idem_finish(p_actor, p_key, private.volunteer_application_json(p_user_id, true));
end;
$$;

revoke execute on all functions in schema public from public, anon, authenticated;
revoke execute on all functions in schema private from public, anon, authenticated;
grant execute on function
  public.apply_volunteer(uuid, jsonb, text),
  public.get_my_volunteer_application(uuid),
  public.list_volunteer_applications(uuid, uuid),
  public.review_volunteer(uuid, uuid, text, text, text),
  public.set_volunteer_suspended(uuid, uuid, boolean, text, text),
  public.certify_volunteer_skill(uuid, uuid, text, boolean, text, text)
to service_role;

-- The skill list says which skills are licensed (the form asks for proof of those).
create or replace function public.list_skills()
returns jsonb
language sql
stable
security definer
set search_path = ''
as $$
  select coalesce(jsonb_agg(jsonb_build_object('code', code, 'name', name, 'licensed', licensed)
    order by sort_order), '[]'::jsonb)
  from public.skills;
$$;
revoke execute on function public.list_skills() from public, anon, authenticated;
grant execute on function public.list_skills() to service_role;
