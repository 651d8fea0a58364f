-- 需求 / 微心愿: a resident (or staff, for someone who phoned) posts a need in their
-- own words, with up to 3 photos; it passes a content check (WeChat's, when
-- configured, and always a local one that keeps phone and ID numbers out of text
-- neighbours may read) and staff review before anyone else sees it. Staff publish it
-- as a 微心愿, turn it into an order of a menu project, hand it to the community
-- office as a 社区事务 case, merge it into a duplicate, or decline it with a reason.
-- A wish is claimed by exactly one volunteer, fulfilled with proof and confirmed by
-- the resident; its points come from the community's issuance account, plus what
-- neighbours gave to it (held in the community's escrow account, refunded if the
-- wish is withdrawn). Every step is on the need's timeline.

alter type public.account_kind add value if not exists 'escrow';
alter type public.transfer_kind add value if not exists 'donate';
alter type public.transfer_kind add value if not exists 'wish';

alter table public.point_transfers drop constraint point_transfers_reference_type_check;
alter table public.point_transfers add constraint point_transfers_reference_type_check
  check (reference_type in ('order', 'redemption', 'adjustment', 'transfer', 'rating_batch', 'wish'));

insert into public.policies (key, value, description) values
  ('need_photos_max', 3, '一条求助最多几张照片'),
  ('wish_points_max', 500, '一个微心愿最多奖励多少积分'),
  ('wish_days_max', 60, '微心愿最长多少天内完成'),
  ('wish_donation_max', 200, '每人每次给一个微心愿最多捐多少积分');

alter table public.uploads drop constraint uploads_purpose_check;
alter table public.uploads add constraint uploads_purpose_check check (purpose in ('skill_proof', 'need_photo', 'wish_proof'));

create table public.needs (
  id uuid primary key default gen_random_uuid(),
  community_id uuid not null references public.communities (id),
  resident_id uuid not null references public.users (id),
  posted_by uuid not null references public.users (id),
  body text not null check (length(body) between 2 and 500),
  urgent boolean not null default false,
  -- 'neighbours': once reviewed, its wish is listed to residents too (anonymised); 'staff': staff and the claimer only.
  visibility text not null check (visibility in ('neighbours', 'staff')),
  status text not null default 'review'
    check (status in ('checking', 'refused', 'review', 'wish', 'ordered', 'case', 'merged', 'declined', 'withdrawn')),
  content_check text not null default 'pass' check (content_check in ('pending', 'pass', 'review', 'risky')),
  content_note text check (length(content_note) <= 200),
  suggested_category text,
  suggested_confidence real check (suggested_confidence between 0 and 1),
  suggested_runner_up text,
  order_id uuid references public.orders (id),
  merged_into uuid references public.needs (id),
  decision_note text check (length(decision_note) <= 300),
  reviewed_by uuid references public.users (id),
  reviewed_at timestamptz,
  created_at timestamptz not null default now(),
  check ((status = 'ordered') = (order_id is not null)),
  check ((status = 'merged') = (merged_into is not null))
);
comment on table public.needs is
  '需求: a resident''s own words; seen by staff of the community and the poster until reviewed.';
create index needs_community_status_idx on public.needs (community_id, status, created_at);
create index needs_resident_idx on public.needs (resident_id, created_at desc);
alter table public.needs enable row level security;

create table public.need_photos (
  need_id uuid not null references public.needs (id),
  upload_id uuid not null references public.uploads (id),
  position smallint not null check (position between 1 and 9),
  -- WeChat's asynchronous image check: its trace id and verdict (pass without WeChat).
  check_status text not null default 'pass' check (check_status in ('pending', 'pass', 'review', 'risky')),
  trace_id text unique,
  primary key (need_id, upload_id)
);
alter table public.need_photos enable row level security;

create table public.need_events (
  id bigint generated always as identity primary key,
  need_id uuid not null references public.needs (id),
  actor_id uuid references public.users (id),
  actor_role text not null check (actor_role in ('resident', 'volunteer', 'staff', 'system')),
  action text not null,
  detail jsonb not null default '{}',
  at timestamptz not null default now()
);
create index need_events_need_idx on public.need_events (need_id, id);
alter table public.need_events enable row level security;
create trigger need_events_append_only before update or delete on public.need_events
  for each row execute function private.forbid_change();

create table public.wishes (
  id uuid primary key default gen_random_uuid(),
  need_id uuid not null unique references public.needs (id),
  community_id uuid not null references public.communities (id),
  resident_id uuid not null references public.users (id),
  title text not null check (length(title) between 2 and 40),
  description text not null check (length(description) between 2 and 300),
  points integer not null check (points between 1 and 100000),
  pool bigint not null default 0 check (pool >= 0),
  deadline timestamptz not null,
  status text not null default 'open' check (status in ('open', 'claimed', 'fulfilled', 'confirmed', 'withdrawn')),
  claimer_id uuid references public.users (id),
  claimed_at timestamptz,
  fulfilled_at timestamptz,
  proof_upload_id uuid references public.uploads (id),
  proof_note text check (length(proof_note) <= 300),
  confirmed_at timestamptz,
  rating smallint check (rating between 1 and 3),
  rating_comment text check (length(rating_comment) <= 300),
  points_awarded bigint not null default 0,
  created_by uuid not null references public.users (id),
  created_at timestamptz not null default now(),
  check ((status in ('claimed', 'fulfilled', 'confirmed')) = (claimer_id is not null))
);
comment on table public.wishes is
  '微心愿: a reviewed need published for volunteers to claim (认领, one claimer), fulfil with proof and the resident to confirm.';
create index wishes_community_status_idx on public.wishes (community_id, status, deadline);
alter table public.wishes enable row level security;

create table public.community_cases (
  id uuid primary key default gen_random_uuid(),
  need_id uuid not null unique references public.needs (id),
  community_id uuid not null references public.communities (id),
  status text not null default 'accepted' check (status in ('accepted', 'in_progress', 'closed')),
  reply text check (length(reply) <= 300),
  handled_by uuid references public.users (id),
  updated_at timestamptz not null default now()
);
comment on table public.community_cases is '社区事务: handled by the community office or property management (受理 → 处理中 → 已办结).';
alter table public.community_cases enable row level security;

-- ---------------------------------------------------------------------------
-- Views and what each viewer may do.

-- Who the actor is to a need: its resident or poster, staff of its community, or nobody.
create or replace function private.need_viewer(p_actor uuid, p_need public.needs)
returns text
language sql
stable
set search_path = ''
as $$
  select case
    when p_actor in (p_need.resident_id, p_need.posted_by) and not private.is_staff_of(p_actor, p_need.community_id)
      then 'resident'
    when private.is_staff_of(p_actor, p_need.community_id) then 'staff'
  end;
$$;

create or replace function private.need_actions(p_need public.needs, p_kind text)
returns jsonb
language sql
stable
set search_path = ''
as $$
  select coalesce(jsonb_agg(a order by n), '[]'::jsonb)
  from unnest(array['publish_wish', 'make_order', 'open_case', 'merge', 'decline', 'update_case', 'withdraw'])
    with ordinality x(a, n)
  where case a
    when 'withdraw' then p_kind = 'resident' and p_need.status in ('checking', 'review')
    when 'update_case' then p_kind = 'staff' and p_need.status = 'case'
      and exists (select 1 from public.community_cases c where c.need_id = p_need.id and c.status <> 'closed')
    else p_kind = 'staff' and p_need.status = 'review'
  end;
$$;

create or replace function private.need_json(p_need public.needs, p_actor uuid, p_timeline boolean)
returns jsonb
language sql
stable
set search_path = ''
as $$
  select jsonb_build_object(
    'id', p_need.id,
    'communityId', p_need.community_id,
    'communityName', c.name,
    'residentId', p_need.resident_id,
    'residentName', private.display_name(p_need.resident_id),
    'postedByStaff', p_need.posted_by <> p_need.resident_id,
    'body', p_need.body,
    'urgent', p_need.urgent,
    'visibility', p_need.visibility,
    'status', p_need.status,
    'contentCheck', case when k.kind = 'staff' then p_need.content_check end,
    'contentNote', p_need.content_note,
    'suggestion', case when k.kind = 'staff' and p_need.suggested_category is not null then jsonb_build_object(
      'category', p_need.suggested_category, 'confidence', p_need.suggested_confidence,
      'runnerUp', p_need.suggested_runner_up) end,
    'photos', coalesce((select jsonb_agg(jsonb_build_object('id', ph.upload_id, 'url', '/api/uploads/' || ph.upload_id,
                                                            'checked', ph.check_status) order by ph.position)
                        from public.need_photos ph where ph.need_id = p_need.id), '[]'::jsonb),
    'orderId', p_need.order_id,
    'orderStatus', (select status from public.orders where id = p_need.order_id),
    'mergedInto', p_need.merged_into,
    'wishId', (select id from public.wishes w where w.need_id = p_need.id),
    'case', (select jsonb_build_object('id', cs.id, 'status', cs.status, 'reply', cs.reply, 'updatedAt', cs.updated_at)
             from public.community_cases cs where cs.need_id = p_need.id),
    'decisionNote', p_need.decision_note,
    'createdAt', p_need.created_at,
    'reviewedAt', p_need.reviewed_at,
    'viewerKind', k.kind,
    'actions', private.need_actions(p_need, k.kind))
    || case when p_timeline then jsonb_build_object('timeline', coalesce((
      select jsonb_agg(jsonb_build_object('action', e.action, 'actorRole', e.actor_role,
          'actorName', case when e.actor_id is null then '系统' else private.display_name(e.actor_id) end,
          'at', e.at, 'detail', e.detail) order by e.id)
      from public.need_events e where e.need_id = p_need.id), '[]'::jsonb)) else '{}'::jsonb end
  from public.communities c, lateral (select private.need_viewer(p_actor, p_need) as kind) k
  where c.id = p_need.community_id;
$$;

create or replace function private.log_need_event(
  p_need uuid, p_actor uuid, p_role text, p_action text, p_detail jsonb default '{}')
returns void
language sql
set search_path = ''
as $$
  insert into public.need_events (need_id, actor_id, actor_role, action, detail)
  values (p_need, p_actor, p_role, p_action, coalesce(p_detail, '{}'));
$$;

-- Who the actor is to a wish: its resident, its claimer, staff of its community, a
-- volunteer who may claim it, a neighbour of the community (anonymised), or nobody.
create or replace function private.wish_viewer(p_actor uuid, p_wish public.wishes)
returns text
language sql
stable
set search_path = ''
as $$
  select case
    when private.is_staff_of(p_actor, p_wish.community_id) then 'staff'
    when p_actor = p_wish.resident_id then 'resident'
    when p_actor = p_wish.claimer_id then 'claimer'
    when exists (select 1 from public.volunteer_profiles v
                 where v.user_id = p_actor and v.community_id = p_wish.community_id
                   and private.volunteer_serves(v.status)) and p_wish.status in ('open', 'claimed') then 'volunteer'
    when private.home_community(p_actor) = p_wish.community_id and p_wish.status in ('open', 'claimed')
      and (select visibility from public.needs where id = p_wish.need_id) = 'neighbours' then 'neighbour'
  end;
$$;

create or replace function private.wish_actions(p_wish public.wishes, p_kind text)
returns jsonb
language sql
stable
set search_path = ''
as $$
  select coalesce(jsonb_agg(a order by n), '[]'::jsonb)
  from unnest(array['claim', 'fulfil', 'release', 'confirm', 'donate', 'withdraw']) with ordinality x(a, n)
  where case a
    when 'claim' then p_kind = 'volunteer' and p_wish.status = 'open' and p_wish.deadline > private.clock()
    when 'fulfil' then p_kind = 'claimer' and p_wish.status = 'claimed'
    when 'release' then p_kind = 'claimer' and p_wish.status = 'claimed'
    when 'confirm' then p_kind = 'resident' and p_wish.status = 'fulfilled'
    when 'donate' then p_kind in ('volunteer', 'neighbour', 'claimer') and p_wish.status in ('open', 'claimed')
    when 'withdraw' then p_kind = 'staff' and p_wish.status in ('open', 'claimed')
  end;
$$;

-- How a wish looks to one viewer: neighbours and volunteers browsing see no name and no
-- address; the claimer sees the resident's contact while the wish is theirs to fulfil;
-- staff see everything; the rating only the resident and staff.
create or replace function private.wish_json(p_wish public.wishes, p_actor uuid)
returns jsonb
language sql
stable
set search_path = ''
as $$
  select jsonb_build_object(
    'id', p_wish.id,
    'needId', p_wish.need_id,
    'communityId', p_wish.community_id,
    'communityName', c.name,
    'title', p_wish.title,
    'description', p_wish.description,
    'points', p_wish.points,
    'pool', p_wish.pool,
    'deadline', p_wish.deadline,
    'status', p_wish.status,
    'residentName', case when k.kind in ('staff', 'resident') or (k.kind = 'claimer' and p_wish.status = 'claimed')
                         then private.display_name(p_wish.resident_id) else '一位邻居' end,
    'address', case
      when k.kind = 'staff' or (k.kind = 'claimer' and p_wish.status = 'claimed') then u.address
      when k.kind = 'resident' then u.address
      else private.mask_address(u.address) end,
    'phone', case
      when k.kind = 'staff' or (k.kind = 'claimer' and p_wish.status = 'claimed') or k.kind = 'resident' then u.phone
      else null end,
    'claimerName', case when k.kind in ('staff', 'resident', 'claimer') then private.display_name(p_wish.claimer_id) end,
    'mine', k.kind = 'claimer',
    'claimedAt', p_wish.claimed_at,
    'fulfilledAt', p_wish.fulfilled_at,
    'proofNote', case when k.kind in ('staff', 'resident', 'claimer') then p_wish.proof_note end,
    'proofPhotoUrl', case when k.kind in ('staff', 'resident', 'claimer') and p_wish.proof_upload_id is not null
                          then '/api/uploads/' || p_wish.proof_upload_id end,
    'photos', case when k.kind in ('staff', 'claimer') then coalesce((
      select jsonb_agg('/api/uploads/' || ph.upload_id order by ph.position)
      from public.need_photos ph where ph.need_id = p_wish.need_id), '[]'::jsonb) else '[]'::jsonb end,
    'confirmedAt', p_wish.confirmed_at,
    'rating', case when k.kind in ('staff', 'resident') then p_wish.rating end,
    'pointsAwarded', p_wish.points_awarded,
    'viewerKind', k.kind,
    'actions', private.wish_actions(p_wish, k.kind))
  from public.communities c, public.users u, lateral (select private.wish_viewer(p_actor, p_wish) as kind) k
  where c.id = p_wish.community_id and u.id = p_wish.resident_id;
$$;

-- ---------------------------------------------------------------------------
-- Posting and the content check.

-- Text neighbours may read never carries a phone or an ID number (a local check, always).
create or replace function private.public_text_problem(p_text text)
returns text
language sql
immutable
set search_path = ''
as $$
  select case
    when p_text ~ '(^|[^0-9])1[3-9][0-9][ -]?[0-9]{4}[ -]?[0-9]{4}([^0-9]|$)' or p_text ~ '0[0-9]{2,3}-[0-9]{7,8}'
      then '请不要在公开的求助里写电话号码：社区审核后会通过系统联系您'
    when p_text ~* '(^|[^0-9])[0-9]{17}[0-9x]([^0-9a-z]|$)' then '请不要在求助里写身份证号'
  end;
$$;

-- A need: p_input {residentId?, body, urgent, visibility, photoIds[], suggestion?, contentCheck, photoCheck}.
-- The API ran WeChat's text check (a risky text never reaches here). With photoCheck
-- 'wechat' the photos wait for WeChat's asynchronous verdicts (the API starts them next
-- and records their trace ids: record_media_trace) and the need waits ('checking');
-- without WeChat it goes straight to review.
create or replace function public.post_need(p_actor uuid, p_input jsonb, p_key text)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_replay jsonb;
  v_resident uuid := coalesce((p_input->>'residentId')::uuid, p_actor);
  v_home uuid;
  v_problem text;
  v_need public.needs;
  v_photo text;
  v_position integer := 0;
  v_pending boolean := false;
begin
  perform private.require_user(p_actor);
  -- What WeChat and the model said may differ on a resend: the request is what the person sent.
  v_replay := private.idem_begin(p_actor, p_key, 'post_need', p_input - 'contentCheck' - 'photoCheck' - 'suggestion');
  if v_replay is not null then return v_replay; end if;
  perform 1 from public.users where id = v_resident and deleted_at is null for no key update;
  if not found then
    perform private.fail('not_found', '没有找到这位居民');
  end if;
  v_home := private.home_community(v_resident);
  if v_home is null then
    perform private.fail('invalid_input', case when v_resident = p_actor then '请先选择您所在的社区'
                                           else '这位居民还没有登记所在社区' end);
  end if;
  if v_resident <> p_actor then
    perform private.require_staff_of(p_actor, v_home);
  end if;
  if length(btrim(coalesce(p_input->>'body', ''))) < 2 then
    perform private.fail('invalid_input', '请说一说需要什么帮助');
  end if;
  if length(p_input->>'body') > 500 then
    perform private.fail('invalid_input', '求助内容最多 500 字');
  end if;
  if coalesce(p_input->>'visibility', '') not in ('neighbours', 'staff') then
    perform private.fail('invalid_input', '请选择谁能看到这条求助');
  end if;
  if p_input->>'visibility' = 'neighbours' then
    v_problem := private.public_text_problem(p_input->>'body');
    if v_problem is not null then
      perform private.fail('invalid_input', v_problem);
    end if;
  end if;
  if jsonb_array_length(coalesce(p_input->'photoIds', '[]')) > private.policy('need_photos_max') then
    perform private.fail('invalid_input', format('照片最多 %s 张', private.policy('need_photos_max')));
  end if;

  insert into public.needs (community_id, resident_id, posted_by, body, urgent, visibility, status, content_check,
    content_note, suggested_category, suggested_confidence, suggested_runner_up)
  values (v_home, v_resident, p_actor, btrim(p_input->>'body'), coalesce((p_input->>'urgent')::boolean, false),
    p_input->>'visibility', 'review', coalesce(p_input->>'contentCheck', 'pass'),
    case when p_input->>'contentCheck' = 'review' then '内容安全检查建议人工复核' end,
    p_input->'suggestion'->>'category', (p_input->'suggestion'->>'confidence')::real,
    p_input->'suggestion'->>'runnerUp')
  returning * into v_need;

  for v_photo in select jsonb_array_elements_text(coalesce(p_input->'photoIds', '[]')) loop
    v_position := v_position + 1;
    if not exists (select 1 from public.uploads where id = v_photo::uuid and owner_id = p_actor and purpose = 'need_photo') then
      perform private.fail('invalid_input', '照片不是您刚上传的，请重新选择');
    end if;
    v_pending := p_input->>'photoCheck' = 'wechat';
    insert into public.need_photos (need_id, upload_id, position, check_status)
    values (v_need.id, v_photo::uuid, v_position, case when v_pending then 'pending' else 'pass' end)
    on conflict do nothing;
  end loop;
  if v_pending then
    update public.needs set status = 'checking', content_check = 'pending' where id = v_need.id returning * into v_need;
  end if;

  perform private.log_need_event(v_need.id, p_actor, case when v_resident = p_actor then 'resident' else 'staff' end,
    'post', jsonb_build_object('urgent', v_need.urgent, 'photos', v_position));
  if not v_pending then
    perform private.notify_staff(v_home, 'need_posted', 'need:' || v_need.id,
      case when v_need.urgent then '紧急求助待审核' else '新的求助待审核' end,
      format('%s：%s', private.display_name(v_resident), left(v_need.body, 60)),
      '/staff/pages/need/index?id=' || v_need.id, jsonb_build_object('needId', v_need.id));
  end if;
  return private.idem_finish(p_actor, p_key, private.need_json(v_need, p_actor, false));
end;
$$;
comment on function public.post_need(uuid, jsonb, text) is
  '需求: a resident (or staff for them) posts in their own words; checked, then reviewed by staff.';

-- WeChat's verdict on one photo (its asynchronous check). Any risky photo refuses the
-- need; once every photo is in, the need goes to review with the worst verdict.
create or replace function public.record_media_check(p_trace_id text, p_result text)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_photo public.need_photos;
  v_need public.needs;
begin
  if p_result is null or p_result not in ('pass', 'review', 'risky') then
    perform private.fail('invalid_input', '检查结果不正确');
  end if;
  select * into v_photo from public.need_photos where trace_id = p_trace_id;
  if v_photo.need_id is null then
    return jsonb_build_object('known', false);
  end if;
  select * into v_need from public.needs where id = v_photo.need_id for update;
  update public.need_photos set check_status = p_result
  where trace_id = p_trace_id and check_status = 'pending';
  if v_need.status <> 'checking' then
    return jsonb_build_object('known', true, 'status', v_need.status);
  end if;
  if p_result = 'risky' then
    update public.needs set status = 'refused', content_check = 'risky',
      content_note = '照片没有通过内容安全检查'
    where id = v_need.id returning * into v_need;
    perform private.log_need_event(v_need.id, null, 'system', 'refuse', jsonb_build_object('reason', '照片没有通过内容安全检查'));
    perform private.notify(v_need.posted_by, 'need_refused', 'need_refused:' || v_need.id, '求助没有发出',
      '照片没有通过内容安全检查，请换一张照片或只用文字再发一次', '/pages/needs/index', jsonb_build_object('needId', v_need.id));
  elsif not exists (select 1 from public.need_photos where need_id = v_need.id and check_status = 'pending') then
    update public.needs set status = 'review',
      content_check = case when v_need.content_check = 'review'
                             or exists (select 1 from public.need_photos where need_id = v_need.id and check_status = 'review')
                           then 'review' else 'pass' end
    where id = v_need.id returning * into v_need;
    perform private.log_need_event(v_need.id, null, 'system', 'checked', jsonb_build_object('result', v_need.content_check));
    perform private.notify_staff(v_need.community_id, 'need_posted', 'need:' || v_need.id,
      case when v_need.urgent then '紧急求助待审核' else '新的求助待审核' end,
      format('%s：%s', private.display_name(v_need.resident_id), left(v_need.body, 60)),
      '/staff/pages/need/index?id=' || v_need.id, jsonb_build_object('needId', v_need.id));
  end if;
  return jsonb_build_object('known', true, 'status', v_need.status);
end;
$$;
comment on function public.record_media_check(text, text) is 'WeChat''s asynchronous photo check verdict (mediaCheckAsync callback).';

-- The trace id WeChat gave a photo's check, kept until its verdict arrives.
create or replace function public.record_media_trace(p_need_id uuid, p_upload_id uuid, p_trace_id text)
returns void
language sql
security definer
set search_path = ''
as $$
  update public.need_photos set trace_id = p_trace_id
  where need_id = p_need_id and upload_id = p_upload_id and check_status = 'pending' and trace_id is null;
$$;

create or replace function public.withdraw_need(p_actor uuid, p_need_id uuid, p_key text)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_replay jsonb;
  v_need public.needs;
begin
  perform private.require_user(p_actor);
  v_replay := private.idem_begin(p_actor, p_key, 'withdraw_need', jsonb_build_object('needId', p_need_id));
  if v_replay is not null then return v_replay; end if;
  select * into v_need from public.needs where id = p_need_id for update;
  if v_need.id is null or private.need_viewer(p_actor, v_need) is null then
    perform private.fail('not_found', '没有找到这条求助');
  end if;
  if private.need_viewer(p_actor, v_need) <> 'resident' then
    perform private.fail('forbidden', '只有发布求助的居民可以撤回；社区可以直接处理或不予受理');
  end if;
  if not private.need_actions(v_need, private.need_viewer(p_actor, v_need)) ? 'withdraw' then
    perform private.fail('illegal_transition', '社区已经处理了这条求助，不能撤回了，有变化请打电话给社区');
  end if;
  update public.needs set status = 'withdrawn' where id = p_need_id returning * into v_need;
  perform private.log_need_event(p_need_id, p_actor, 'resident', 'withdraw');
  return private.idem_finish(p_actor, p_key, private.need_json(v_need, p_actor, true));
end;
$$;

-- ---------------------------------------------------------------------------
-- Staff review: one decision per need, in one transaction with what it makes.

create or replace function public.review_need(
  p_actor uuid, p_need_id uuid, p_decision text, p_input jsonb, p_key text)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_replay jsonb;
  v_need public.needs;
  v_into public.needs;
  v_order jsonb;
  v_deadline timestamptz;
  v_points integer;
  v_note text;
  v_title text;
  v_body text;
begin
  perform private.require_user(p_actor);
  v_replay := private.idem_begin(p_actor, p_key, 'review_need',
    jsonb_build_object('needId', p_need_id, 'decision', p_decision, 'input', p_input));
  if v_replay is not null then return v_replay; end if;
  -- A merge locks both needs, in id order (two merges the other way round wait, not deadlock):
  -- the target can't be decided away under it.
  perform 1 from public.needs
  where id in (p_need_id, case when p_decision = 'merge' then (p_input->>'intoNeedId')::uuid end)
  order by id for update;
  select * into v_need from public.needs where id = p_need_id;
  if v_need.id is null or private.need_viewer(p_actor, v_need) is distinct from 'staff' then
    perform private.fail('not_found', '没有找到这条求助');
  end if;
  if v_need.status <> 'review' then
    perform private.fail('illegal_transition', case v_need.status
      when 'checking' then '照片还在做内容安全检查，请稍后再审核'
      when 'withdrawn' then '居民已经撤回了这条求助'
      else '这条求助已经处理过了' end);
  end if;

  if p_decision = 'publish_wish' then
    v_title := btrim(coalesce(p_input->>'title', ''));
    v_body := btrim(coalesce(p_input->>'description', ''));
    v_points := (p_input->>'points')::integer;
    v_deadline := (p_input->>'deadline')::timestamptz;
    if length(v_title) not between 2 and 40 then
      perform private.fail('invalid_input', '心愿标题要 2 到 40 个字');
    end if;
    if length(v_body) not between 2 and 300 then
      perform private.fail('invalid_input', '心愿说明要 2 到 300 个字');
    end if;
    -- What neighbours read: no phone, no ID number (the staff's own words too).
    if private.public_text_problem(v_title || ' ' || v_body) is not null then
      perform private.fail('invalid_input', '心愿的标题和说明里不要写电话号码或身份证号');
    end if;
    if v_points is null or v_points < 1 or v_points > private.policy('wish_points_max') then
      perform private.fail('invalid_input', format('奖励积分要在 1 到 %s 之间', private.policy('wish_points_max')));
    end if;
    if v_deadline is null or v_deadline <= private.clock()
       or v_deadline > private.clock() + make_interval(days => private.policy('wish_days_max')) then
      perform private.fail('invalid_input', format('完成期限要在今后 %s 天以内', private.policy('wish_days_max')));
    end if;
    insert into public.wishes (need_id, community_id, resident_id, title, description, points, deadline, created_by)
    values (v_need.id, v_need.community_id, v_need.resident_id, v_title, v_body, v_points, v_deadline, p_actor);
    update public.needs set status = 'wish' where id = p_need_id;
    v_note := format('已发布为微心愿“%s”，等志愿者认领', v_title);
  elsif p_decision = 'make_order' then
    -- A prefilled 代下单 for the resident; the need follows the order from here.
    v_order := public.place_order(p_actor, jsonb_strip_nulls(jsonb_build_object(
        'projectId', p_input->'projectId', 'windowStart', p_input->'windowStart', 'windowEnd', p_input->'windowEnd',
        'address', p_input->'address', 'contactPhone', p_input->'contactPhone',
        'residentId', v_need.resident_id,
        'notes', coalesce(nullif(p_input->>'notes', ''), left(v_need.body, 500)))),
      left(p_key, 90) || '-order');
    update public.needs set status = 'ordered', order_id = (v_order->>'id')::uuid where id = p_need_id;
    v_note := format('已为您预约服务“%s”', v_order->>'projectTitle');
  elsif p_decision = 'open_case' then
    insert into public.community_cases (need_id, community_id, handled_by) values (v_need.id, v_need.community_id, p_actor);
    update public.needs set status = 'case' where id = p_need_id;
    v_note := '社区已受理，会尽快处理并回复您';
  elsif p_decision = 'merge' then
    select * into v_into from public.needs where id = (p_input->>'intoNeedId')::uuid;
    if v_into.id is null or v_into.community_id <> v_need.community_id or v_into.id = v_need.id
       or v_into.status in ('merged', 'declined', 'withdrawn', 'refused') then
      perform private.fail('invalid_input', '请选择本社区另一条还在处理的求助来合并');
    end if;
    update public.needs set status = 'merged', merged_into = v_into.id where id = p_need_id;
    perform private.log_need_event(v_into.id, p_actor, 'staff', 'merged_in', jsonb_build_object('needId', v_need.id));
    v_note := '这件事已经有人反映过，社区合并处理';
  elsif p_decision = 'decline' then
    v_note := btrim(coalesce(p_input->>'reason', ''));
    if length(v_note) < 2 then
      perform private.fail('invalid_input', '请写明原因，居民会看到');
    end if;
    update public.needs set status = 'declined' where id = p_need_id;
  else
    perform private.fail('invalid_input', '请选择处理方式');
  end if;

  update public.needs set decision_note = left(v_note, 300), reviewed_by = p_actor, reviewed_at = now()
  where id = p_need_id returning * into v_need;
  -- Needs merged into this one share its outcome: declined with it, or told what became of it.
  for v_into in select * from public.needs where merged_into = p_need_id for update loop
    if p_decision = 'decline' then
      update public.needs set status = 'declined', merged_into = null, decision_note = v_need.decision_note
      where id = v_into.id;
    end if;
    perform private.log_need_event(v_into.id, p_actor, 'staff', 'merged_' || p_decision,
      jsonb_build_object('note', v_need.decision_note, 'needId', p_need_id));
    perform private.notify(v_into.resident_id, 'need_reviewed', 'need_reviewed:' || v_into.id || ':' || p_need_id,
      '您的求助有回音了', v_need.decision_note, '/pages/need/index?id=' || v_into.id,
      jsonb_build_object('needId', v_into.id));
  end loop;
  perform private.log_need_event(p_need_id, p_actor, 'staff', p_decision, jsonb_build_object('note', v_need.decision_note)
    || case when v_need.order_id is not null then jsonb_build_object('orderId', v_need.order_id) else '{}'::jsonb end);
  perform private.notify(v_need.resident_id, 'need_reviewed', 'need_reviewed:' || v_need.id, '您的求助有回音了',
    v_need.decision_note, '/pages/need/index?id=' || v_need.id, jsonb_build_object('needId', v_need.id));
  return private.idem_finish(p_actor, p_key, private.need_json(v_need, p_actor, true));
end;
$$;
comment on function public.review_need(uuid, uuid, text, jsonb, text) is
  'Staff decide a need: publish_wish, make_order (代下单), open_case (社区事务), merge, or decline with a reason.';

-- 社区事务: 受理 → 处理中 → 已办结, each step with a word to the resident.
create or replace function public.update_case(p_actor uuid, p_case_id uuid, p_status text, p_reply text, p_key text)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_replay jsonb;
  v_case public.community_cases;
  v_need public.needs;
begin
  perform private.require_user(p_actor);
  v_replay := private.idem_begin(p_actor, p_key, 'update_case',
    jsonb_build_object('caseId', p_case_id, 'status', p_status, 'reply', p_reply));
  if v_replay is not null then return v_replay; end if;
  select * into v_case from public.community_cases where id = p_case_id for update;
  if v_case.id is null or not private.is_staff_of(p_actor, v_case.community_id) then
    perform private.fail('not_found', '没有找到这件社区事务');
  end if;
  if v_case.status = 'closed' then
    perform private.fail('illegal_transition', '这件事已经办结了');
  end if;
  if p_status is null or p_status not in ('in_progress', 'closed')
     or (p_status = 'in_progress' and v_case.status = 'in_progress' and coalesce(btrim(p_reply), '') = '') then
    perform private.fail('invalid_input', '请选择处理中或已办结，并写几句回复');
  end if;
  if length(btrim(coalesce(p_reply, ''))) < 2 then
    perform private.fail('invalid_input', '请写几句给居民的回复');
  end if;
  update public.community_cases set status = p_status, reply = left(btrim(p_reply), 300), handled_by = p_actor,
    updated_at = now()
  where id = p_case_id returning * into v_case;
  select * into v_need from public.needs where id = v_case.need_id;
  perform private.log_need_event(v_case.need_id, p_actor, 'staff', 'case_' || p_status,
    jsonb_build_object('reply', v_case.reply));
  perform private.notify(v_need.resident_id, 'case_replied', 'case:' || v_case.id || ':' || extract(epoch from now()),
    case when p_status = 'closed' then '您反映的事已办结' else '您反映的事正在处理' end, v_case.reply,
    '/pages/need/index?id=' || v_need.id, jsonb_build_object('needId', v_need.id));
  return private.idem_finish(p_actor, p_key, private.need_json(v_need, p_actor, true));
end;
$$;

create or replace function public.list_my_needs(p_actor uuid)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  perform private.require_user(p_actor);
  return coalesce((
    select jsonb_agg(private.need_json(n, p_actor, false) order by n.created_at desc)
    from public.needs n where p_actor in (n.resident_id, n.posted_by)), '[]'::jsonb);
end;
$$;

create or replace function public.get_need(p_actor uuid, p_need_id uuid)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_need public.needs;
begin
  perform private.require_user(p_actor);
  select * into v_need from public.needs where id = p_need_id;
  if v_need.id is null or private.need_viewer(p_actor, v_need) is null then
    perform private.fail('not_found', '没有找到这条求助');
  end if;
  return private.need_json(v_need, p_actor, true);
end;
$$;

-- Staff's queue: needs to review first (urgent first), then the rest, newest first.
create or replace function public.list_community_needs(p_actor uuid, p_community_id uuid, p_status text)
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
    select jsonb_agg(private.need_json(n, p_actor, false)
                     order by (n.status = 'review') desc, n.urgent desc, n.created_at desc)
    from (select * from public.needs
          where community_id = p_community_id and (p_status is null or status = p_status)
          order by created_at desc limit 200) n), '[]'::jsonb);
end;
$$;

-- ---------------------------------------------------------------------------
-- 微心愿: claim (one claimer), fulfil with proof, confirm; donations held in escrow.

create or replace function private.lock_wish(p_actor uuid, p_wish_id uuid)
returns public.wishes
language plpgsql
set search_path = ''
as $$
declare
  v_wish public.wishes;
begin
  select * into v_wish from public.wishes where id = p_wish_id for update;
  if v_wish.id is null or private.wish_viewer(p_actor, v_wish) is null then
    perform private.fail('not_found', '没有找到这个心愿');
  end if;
  return v_wish;
end;
$$;

create or replace function private.require_wish_action(p_actor uuid, p_wish public.wishes, p_action text)
returns void
language plpgsql
stable
set search_path = ''
as $$
declare
  v_kind text := private.wish_viewer(p_actor, p_wish);
begin
  if private.wish_actions(p_wish, v_kind) ? p_action then
    return;
  end if;
  -- Who does what first (their role can never), then what the wish's state allows now.
  if not v_kind = any (case p_action
      when 'claim' then array['volunteer']
      when 'fulfil' then array['claimer']
      when 'release' then array['claimer']
      when 'confirm' then array['resident']
      when 'donate' then array['volunteer', 'neighbour', 'claimer']
      when 'withdraw' then array['staff']
      else array[]::text[] end) then
    perform private.fail('forbidden', case p_action
      when 'claim' then case when v_kind = 'resident' then '不能认领自己的心愿' else '审核通过的本社区志愿者才能认领心愿' end
      when 'confirm' then '只有许愿的居民可以确认'
      when 'withdraw' then '只有本社区的工作人员可以撤销心愿'
      when 'donate' then '本社区的居民和志愿者可以给心愿捐积分'
      else '这不是您认领的心愿' end);
  end if;
  perform private.fail(case when p_action = 'claim' and p_wish.status <> 'open' then 'conflict' else 'illegal_transition' end,
    case p_action
      when 'claim' then case when p_wish.status <> 'open' then '这个心愿已经有人认领了' else '这个心愿已过期限，不能认领了' end
      when 'confirm' then '志愿者完成后才能确认'
      when 'donate' then '这个心愿现在不能捐积分了'
      else '现在不能这样操作这个心愿' end);
end;
$$;

create or replace function public.list_wishes(p_actor uuid)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  perform private.require_user(p_actor);
  return coalesce((
    select jsonb_agg(private.wish_json(w, p_actor)
                     order by (w.claimer_id = p_actor) desc nulls last, (w.status = 'open') desc, w.deadline)
    from public.wishes w
    where w.status in ('open', 'claimed', 'fulfilled')
      and private.wish_viewer(p_actor, w) is not null), '[]'::jsonb);
end;
$$;

create or replace function public.get_wish(p_actor uuid, p_wish_id uuid)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_wish public.wishes;
begin
  perform private.require_user(p_actor);
  select * into v_wish from public.wishes where id = p_wish_id;
  if v_wish.id is null or private.wish_viewer(p_actor, v_wish) is null then
    perform private.fail('not_found', '没有找到这个心愿');
  end if;
  return private.wish_json(v_wish, p_actor);
end;
$$;

-- 认领: twenty volunteers at once, one claimer (the row lock; the others are told it is taken).
create or replace function public.claim_wish(p_actor uuid, p_wish_id uuid, p_key text)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_replay jsonb;
  v_wish public.wishes;
begin
  perform private.require_user(p_actor);
  v_replay := private.idem_begin(p_actor, p_key, 'claim_wish', jsonb_build_object('wishId', p_wish_id));
  if v_replay is not null then return v_replay; end if;
  v_wish := private.lock_wish(p_actor, p_wish_id);
  perform private.require_wish_action(p_actor, v_wish, 'claim');
  update public.wishes set status = 'claimed', claimer_id = p_actor, claimed_at = now()
  where id = p_wish_id returning * into v_wish;
  perform private.log_need_event(v_wish.need_id, p_actor, 'volunteer', 'claim');
  perform private.notify(v_wish.resident_id, 'wish_claimed', 'wish_claimed:' || v_wish.id || ':' || p_actor,
    '您的心愿有人认领了', format('%s 认领了“%s”，会尽快联系您', private.display_name(p_actor), v_wish.title),
    '/pages/wish/index?id=' || v_wish.id, jsonb_build_object('wishId', v_wish.id));
  return private.idem_finish(p_actor, p_key, private.wish_json(v_wish, p_actor));
end;
$$;

create or replace function public.release_wish(p_actor uuid, p_wish_id uuid, p_reason text, p_key text)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_replay jsonb;
  v_wish public.wishes;
begin
  perform private.require_user(p_actor);
  v_replay := private.idem_begin(p_actor, p_key, 'release_wish', jsonb_build_object('wishId', p_wish_id, 'reason', p_reason));
  if v_replay is not null then return v_replay; end if;
  v_wish := private.lock_wish(p_actor, p_wish_id);
  perform private.require_wish_action(p_actor, v_wish, 'release');
  update public.wishes set status = 'open', claimer_id = null, claimed_at = null
  where id = p_wish_id returning * into v_wish;
  perform private.log_need_event(v_wish.need_id, p_actor, 'volunteer', 'release',
    jsonb_build_object('reason', coalesce(btrim(p_reason), '')));
  return private.idem_finish(p_actor, p_key, private.wish_json(v_wish, p_actor));
end;
$$;

create or replace function public.fulfil_wish(p_actor uuid, p_wish_id uuid, p_photo_id uuid, p_note text, p_key text)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_replay jsonb;
  v_wish public.wishes;
begin
  perform private.require_user(p_actor);
  v_replay := private.idem_begin(p_actor, p_key, 'fulfil_wish',
    jsonb_build_object('wishId', p_wish_id, 'photoId', p_photo_id, 'note', p_note));
  if v_replay is not null then return v_replay; end if;
  v_wish := private.lock_wish(p_actor, p_wish_id);
  perform private.require_wish_action(p_actor, v_wish, 'fulfil');
  if p_photo_id is null or not exists (
    select 1 from public.uploads where id = p_photo_id and owner_id = p_actor and purpose = 'wish_proof') then
    perform private.fail('invalid_input', '请拍一张照片作为完成的凭证');
  end if;
  if length(btrim(coalesce(p_note, ''))) < 2 then
    perform private.fail('invalid_input', '请写几句完成情况');
  end if;
  update public.wishes set status = 'fulfilled', fulfilled_at = now(), proof_upload_id = p_photo_id,
    proof_note = left(btrim(p_note), 300)
  where id = p_wish_id returning * into v_wish;
  perform private.log_need_event(v_wish.need_id, p_actor, 'volunteer', 'fulfil');
  perform private.notify(v_wish.resident_id, 'wish_fulfilled', 'wish_fulfilled:' || v_wish.id, '心愿完成了，请确认',
    format('%s 说“%s”已经完成，请看看并评价', private.display_name(p_actor), v_wish.title),
    '/pages/wish/index?id=' || v_wish.id, jsonb_build_object('wishId', v_wish.id));
  return private.idem_finish(p_actor, p_key, private.wish_json(v_wish, p_actor));
end;
$$;

-- The resident confirms and rates (一事一评): the wish's points from the community and
-- what neighbours gave, to the claimer, in this transaction.
create or replace function public.confirm_wish(p_actor uuid, p_wish_id uuid, p_rating integer, p_comment text, p_key text)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_replay jsonb;
  v_wish public.wishes;
  v_wallet uuid;
begin
  perform private.require_user(p_actor);
  v_replay := private.idem_begin(p_actor, p_key, 'confirm_wish',
    jsonb_build_object('wishId', p_wish_id, 'rating', p_rating, 'comment', p_comment));
  if v_replay is not null then return v_replay; end if;
  v_wish := private.lock_wish(p_actor, p_wish_id);
  perform private.require_wish_action(p_actor, v_wish, 'confirm');
  if p_rating is null or p_rating not between 1 and 3 then
    perform private.fail('invalid_input', '请选择评价：很好、好或一般');
  end if;
  v_wallet := private.wallet_of(v_wish.claimer_id);
  perform private.transfer('wish', private.account_id('issuance', v_wish.community_id, null), v_wallet, v_wish.points,
    'wish', v_wish.id::text, 'wish:' || v_wish.id, '微心愿：' || v_wish.title, p_actor);
  if v_wish.pool > 0 then
    perform private.transfer('wish', private.account_id('escrow', v_wish.community_id, null), v_wallet, v_wish.pool,
      'wish', v_wish.id::text, 'wish-pool:' || v_wish.id, '微心愿邻里捐赠：' || v_wish.title, p_actor);
  end if;
  update public.wishes set status = 'confirmed', confirmed_at = now(), rating = p_rating,
    rating_comment = left(btrim(coalesce(p_comment, '')), 300), points_awarded = v_wish.points + v_wish.pool, pool = 0
  where id = p_wish_id returning * into v_wish;
  perform private.log_need_event(v_wish.need_id, p_actor, 'resident', 'confirm');
  perform private.notify(v_wish.claimer_id, 'wish_confirmed', 'wish_confirmed:' || v_wish.id, '心愿已确认',
    format('“%s”居民已确认，%s 积分已到账', v_wish.title, v_wish.points_awarded), '/store/pages/wallet/index',
    jsonb_build_object('wishId', v_wish.id));
  return private.idem_finish(p_actor, p_key, private.wish_json(v_wish, p_actor));
end;
$$;

-- 积分捐赠: a neighbour adds points to a wish; held in the community's escrow account.
create or replace function public.donate_to_wish(p_actor uuid, p_wish_id uuid, p_amount integer, p_key text)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_replay jsonb;
  v_wish public.wishes;
  v_balance bigint;
begin
  perform private.require_user(p_actor);
  v_replay := private.idem_begin(p_actor, p_key, 'donate_to_wish', jsonb_build_object('wishId', p_wish_id, 'amount', p_amount));
  if v_replay is not null then return v_replay; end if;
  v_wish := private.lock_wish(p_actor, p_wish_id);
  perform private.require_wish_action(p_actor, v_wish, 'donate');
  if p_amount is null or p_amount < 1 or p_amount > private.policy('wish_donation_max') then
    perform private.fail('invalid_input', format('每次可以捐 1 到 %s 积分', private.policy('wish_donation_max')));
  end if;
  select balance into v_balance from public.point_accounts where id = private.wallet_of(p_actor) for update;
  if coalesce(v_balance, 0) < p_amount then
    perform private.fail('insufficient_points', format('您的积分不够，现在有 %s 分', coalesce(v_balance, 0)));
  end if;
  perform private.transfer('donate', private.wallet_of(p_actor), private.account_id('escrow', v_wish.community_id, null),
    p_amount, 'wish', v_wish.id::text, 'donate:' || p_actor || ':' || p_key, '捐给微心愿：' || v_wish.title, p_actor);
  update public.wishes set pool = pool + p_amount where id = p_wish_id returning * into v_wish;
  perform private.log_need_event(v_wish.need_id, p_actor, 'volunteer', 'donate', jsonb_build_object('amount', p_amount));
  return private.idem_finish(p_actor, p_key, private.wish_json(v_wish, p_actor));
end;
$$;

-- Returns what neighbours gave to a wish, each gift to its giver.
create or replace function private.refund_wish_pool(p_wish public.wishes, p_actor uuid)
returns bigint
language plpgsql
set search_path = ''
as $$
declare
  v_gift public.point_transfers;
  v_total bigint := 0;
begin
  for v_gift in
    select * from public.point_transfers
    where kind = 'donate' and reference_type = 'wish' and reference_id = p_wish.id::text order by id
  loop
    perform private.transfer('refund', v_gift.to_account, v_gift.from_account, v_gift.amount, 'wish', p_wish.id::text,
      'donate-refund:' || v_gift.id, '微心愿撤销，捐赠退回：' || p_wish.title, p_actor);
    v_total := v_total + v_gift.amount;
  end loop;
  return v_total;
end;
$$;

create or replace function public.withdraw_wish(p_actor uuid, p_wish_id uuid, p_reason text, p_key text)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_replay jsonb;
  v_wish public.wishes;
  v_refunded bigint;
begin
  perform private.require_user(p_actor);
  v_replay := private.idem_begin(p_actor, p_key, 'withdraw_wish', jsonb_build_object('wishId', p_wish_id, 'reason', p_reason));
  if v_replay is not null then return v_replay; end if;
  v_wish := private.lock_wish(p_actor, p_wish_id);
  perform private.require_wish_action(p_actor, v_wish, 'withdraw');
  if length(btrim(coalesce(p_reason, ''))) < 2 then
    perform private.fail('invalid_input', '请写明撤销原因');
  end if;
  v_refunded := private.refund_wish_pool(v_wish, p_actor);
  if v_wish.claimer_id is not null then
    perform private.notify(v_wish.claimer_id, 'wish_withdrawn', 'wish_withdrawn:' || v_wish.id, '心愿已撤销',
      format('“%s”：%s', v_wish.title, btrim(p_reason)), '/pages/wishes/index', jsonb_build_object('wishId', v_wish.id));
  end if;
  update public.wishes set status = 'withdrawn', pool = 0, claimer_id = null, claimed_at = null
  where id = p_wish_id returning * into v_wish;
  -- The need ends with its wish: the resident reads why.
  update public.needs set status = 'withdrawn', decision_note = left('心愿已撤销：' || btrim(p_reason), 300)
  where id = v_wish.need_id;
  perform private.notify(v_wish.resident_id, 'need_reviewed', 'wish_withdrawn_resident:' || v_wish.id, '您的心愿已撤销',
    btrim(p_reason), '/pages/need/index?id=' || v_wish.need_id, jsonb_build_object('needId', v_wish.need_id));
  perform private.log_need_event(v_wish.need_id, p_actor, 'staff', 'withdraw_wish',
    jsonb_build_object('reason', btrim(p_reason), 'refunded', v_refunded));
  return private.idem_finish(p_actor, p_key, private.wish_json(v_wish, p_actor));
end;
$$;

-- The tick: a claim not fulfilled by the deadline lapses and the wish returns to the
-- list for a week more, staff hear of it; a need whose photo checks have not come
-- back in 30 minutes goes to staff to judge by eye.
create or replace function public.tick_needs(p_now timestamptz default now())
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_wish public.wishes;
  v_need public.needs;
  v_lapsed integer := 0;
  v_unchecked integer := 0;
begin
  for v_wish in
    select * from public.wishes where status = 'claimed' and deadline <= p_now for update skip locked
  loop
    update public.wishes set status = 'open', claimer_id = null, claimed_at = null,
      deadline = p_now + interval '7 days'
    where id = v_wish.id;
    perform private.log_need_event(v_wish.need_id, null, 'system', 'claim_lapsed',
      jsonb_build_object('volunteerName', private.display_name(v_wish.claimer_id)));
    perform private.notify(v_wish.claimer_id, 'wish_claim_lapsed', 'wish_lapsed:' || v_wish.id || ':' || v_wish.claimed_at,
      '认领的心愿已到期', format('“%s”到期还没有完成，已放回心愿墙', v_wish.title), '/pages/wishes/index',
      jsonb_build_object('wishId', v_wish.id));
    perform private.notify_staff(v_wish.community_id, 'wish_claim_lapsed', 'wish_lapsed:' || v_wish.id || ':' || v_wish.claimed_at,
      '心愿认领已到期', format('“%s”到期没有完成，已放回心愿墙，期限延长 7 天', v_wish.title),
      '/staff/pages/need/index?id=' || v_wish.need_id, jsonb_build_object('wishId', v_wish.id));
    v_lapsed := v_lapsed + 1;
  end loop;
  for v_need in
    select * from public.needs where status = 'checking' and created_at <= p_now - interval '30 minutes'
    for update skip locked
  loop
    update public.needs set status = 'review', content_check = 'review',
      content_note = '照片检查没有按时返回结果，请人工查看照片'
    where id = v_need.id;
    perform private.log_need_event(v_need.id, null, 'system', 'checked', jsonb_build_object('result', 'review'));
    perform private.notify_staff(v_need.community_id, 'need_posted', 'need:' || v_need.id, '新的求助待审核',
      format('%s：%s', private.display_name(v_need.resident_id), left(v_need.body, 60)),
      '/staff/pages/need/index?id=' || v_need.id, jsonb_build_object('needId', v_need.id));
    v_unchecked := v_unchecked + 1;
  end loop;
  return jsonb_build_object('lapsedClaims', v_lapsed, 'uncheckedNeeds', v_unchecked);
end;
$$;

-- ---------------------------------------------------------------------------
-- Photos of needs and of wishes' proof: who may read them.

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
  if p_purpose is null or p_purpose not in ('skill_proof', 'need_photo', 'wish_proof') then
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
  -- The same picture for another purpose is the same file; the row says the latest purpose.
  insert into public.uploads (owner_id, purpose, mime, size, sha256, storage_key)
  values (p_actor, p_purpose, p_mime, p_size, p_sha256, p_actor || '/' || p_sha256)
  on conflict (owner_id, sha256) do update set purpose = excluded.purpose
  returning * into v_upload;
  return jsonb_build_object('id', v_upload.id, 'url', '/api/uploads/' || v_upload.id, 'mime', v_upload.mime,
    'bytes', v_upload.size, 'storageKey', v_upload.storage_key);
end;
$$;

create or replace function public.get_upload(p_actor uuid, p_upload_id uuid)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_upload public.uploads;
  v_staff boolean := false;
  v_other boolean := false;
begin
  perform private.require_user(p_actor);
  select * into v_upload from public.uploads where id = p_upload_id;
  if v_upload.id is null then
    perform private.fail('not_found', '没有找到这张照片');
  end if;
  if v_upload.owner_id <> p_actor then
    -- A skill proof: staff of the community the owner volunteers in (or lives in).
    v_staff := private.is_staff_of(p_actor, coalesce(
      (select community_id from public.volunteer_profiles where user_id = v_upload.owner_id),
      private.home_community(v_upload.owner_id)));
    -- A need's photo: staff of its community, its resident, the volunteer who took its wish.
    select v_staff or bool_or(private.is_staff_of(p_actor, n.community_id)),
           bool_or(p_actor in (n.resident_id, n.posted_by) or exists (
             select 1 from public.wishes w where w.need_id = n.id and w.claimer_id = p_actor
               and w.status in ('claimed', 'fulfilled', 'confirmed')))
    into v_staff, v_other
    from public.need_photos ph join public.needs n on n.id = ph.need_id
    where ph.upload_id = p_upload_id;
    v_staff := coalesce(v_staff, false) or exists (
      select 1 from public.wishes w where w.proof_upload_id = p_upload_id and private.is_staff_of(p_actor, w.community_id));
    v_other := coalesce(v_other, false) or exists (
      select 1 from public.wishes w where w.proof_upload_id = p_upload_id and w.resident_id = p_actor);
    if not v_staff and not v_other then
      perform private.fail('not_found', '没有找到这张照片');
    end if;
    if v_staff and not v_other then
      insert into public.personal_data_access_log (viewer_id, subject_id, fields)
      values (p_actor, v_upload.owner_id, array[v_upload.purpose]);
    end if;
  end if;
  return jsonb_build_object('mime', v_upload.mime, 'storageKey', v_upload.storage_key);
end;
$$;

-- A photo WeChat is still checking (the only ones its signed link serves).
create or replace function public.media_under_check(p_upload_id uuid)
returns jsonb
language sql
stable
security definer
set search_path = ''
as $$
  select jsonb_build_object('mime', u.mime, 'storageKey', u.storage_key)
  from public.uploads u
  where u.id = p_upload_id
    and exists (select 1 from public.need_photos ph where ph.upload_id = u.id and ph.check_status = 'pending');
$$;

-- The actor's WeChat openid, which WeChat's content checks ask for (null: not a WeChat login).
create or replace function public.get_openid(p_actor uuid)
returns text
language sql
stable
security definer
set search_path = ''
as $$
  select wechat_openid from public.users where id = p_actor and deleted_at is null;
$$;

-- A resend's answer is drawn again as the viewer may see it now: orders as before,
-- and now needs and wishes too (a stale claim must not keep showing a phone).
create or replace function private.replay_answer(p_actor uuid, p_response jsonb)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_order public.orders;
  v_need public.needs;
  v_wish public.wishes;
  v_kind text;
begin
  if p_response is null or jsonb_typeof(p_response) <> 'object' or not (p_response ? 'viewerKind') then
    return p_response;
  end if;
  if p_response ? 'claimerName' then
    select * into v_wish from public.wishes where id = (p_response->>'id')::uuid;
    if v_wish.id is not null and private.wish_viewer(p_actor, v_wish) is not null then
      return private.wish_json(v_wish, p_actor);
    end if;
    return p_response || jsonb_build_object('residentName', '一位邻居', 'phone', null,
      'address', private.mask_address(p_response->>'address'), 'actions', '[]'::jsonb);
  end if;
  if p_response ? 'visibility' and p_response ? 'body' then
    select * into v_need from public.needs where id = (p_response->>'id')::uuid;
    if v_need.id is not null and private.need_viewer(p_actor, v_need) is not null then
      return private.need_json(v_need, p_actor, p_response ? 'timeline');
    end if;
    return p_response || jsonb_build_object('actions', '[]'::jsonb);
  end if;
  select * into v_order from public.orders where id = (p_response->>'id')::uuid;
  v_kind := case when v_order.id is not null then private.viewer_kind(p_actor, v_order) end;
  if v_kind is null then
    return p_response || jsonb_build_object(
      'address', private.mask_address(p_response->>'address'),
      'contactPhone', private.mask_phone(p_response->>'contactPhone'),
      'contactVisible', false,
      'volunteerPhone', private.mask_phone(p_response->>'volunteerPhone'),
      'actions', '[]'::jsonb);
  end if;
  return private.order_json(v_order, v_kind, null, p_actor);
end;
$$;

create or replace function public.get_community_overview(p_actor uuid, p_community_id uuid)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_result jsonb;
begin
  perform private.require_user(p_actor);
  if not private.is_staff_of(p_actor, p_community_id) then
    perform private.fail('forbidden', '只有本社区的工作人员可以查看');
  end if;
  select jsonb_build_object(
    'communityId', c.id,
    'communityName', c.name,
    'residents', (select count(*) from public.user_roles r
                  where r.community_id = c.id and r.role = 'resident'),
    'volunteers', (select count(*) from public.volunteer_profiles v
                   where v.community_id = c.id and v.status = 'approved'),
    'pendingVolunteers', (select count(*) from public.volunteer_profiles v
                          where v.community_id = c.id and v.status = 'pending'),
    -- 居民求助 waiting for staff (the console's badge), urgent ones counted apart.
    'needsToReview', (select count(*) from public.needs n where n.community_id = c.id and n.status = 'review'),
    'urgentNeeds', (select count(*) from public.needs n
                    where n.community_id = c.id and n.status = 'review' and n.urgent),
    'staff', (select count(*) from public.user_roles r
              where r.community_id = c.id and r.role = 'staff'),
    -- How presence was proved in the last 30 days: staff confirmations counted apart, so misuse shows.
    'presence', (select jsonb_build_object(
                   'code', count(*) filter (where m = 'code'),
                   'location', count(*) filter (where m = 'location'),
                   'staff', count(*) filter (where m = 'staff'))
                 from public.orders o, unnest(array[o.check_in_method, o.check_out_method]) m
                 where o.community_id = c.id and o.checked_in_at > private.clock() - interval '30 days'),
    -- 专长清单: approved volunteers per skill, every skill listed even at zero.
    'skills', (select coalesce(jsonb_agg(jsonb_build_object(
                  'code', k.code, 'name', k.name, 'volunteers', (
                    select count(*) from public.volunteer_skills vs
                    join public.volunteer_profiles v on v.user_id = vs.user_id
                    where vs.skill_code = k.code and v.community_id = c.id and v.status = 'approved'))
                  order by k.sort_order), '[]'::jsonb)
               from public.skills k))
  into v_result
  from public.communities c
  where c.id = p_community_id;
  return v_result;
end;
$$;


revoke execute on all functions in schema public from public, anon, authenticated;
revoke execute on all functions in schema private from public, anon, authenticated;
grant execute on function
  public.post_need(uuid, jsonb, text),
  public.record_media_check(text, text),
  public.withdraw_need(uuid, uuid, text),
  public.review_need(uuid, uuid, text, jsonb, text),
  public.update_case(uuid, uuid, text, text, text),
  public.list_my_needs(uuid),
  public.get_need(uuid, uuid),
  public.list_community_needs(uuid, uuid, text),
  public.list_wishes(uuid),
  public.get_wish(uuid, uuid),
  public.claim_wish(uuid, uuid, text),
  public.release_wish(uuid, uuid, text, text),
  public.fulfil_wish(uuid, uuid, uuid, text, text),
  public.confirm_wish(uuid, uuid, integer, text, text),
  public.donate_to_wish(uuid, uuid, integer, text),
  public.withdraw_wish(uuid, uuid, text, text),
  public.tick_needs(timestamptz),
  public.get_openid(uuid),
  public.media_under_check(uuid),
  public.record_media_trace(uuid, uuid, text)
to service_role;
