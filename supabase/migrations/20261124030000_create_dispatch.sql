-- 派单: offers to ranked volunteers with an acceptance window, escalation of
-- orders nobody takes (bonus points in steps, a wider area, staff's overdue list),
-- and 结对帮扶 pairs. Ranking is a pure function in shared/src/dispatch; the
-- database supplies the candidates' facts and makes offers atomically.

create type public.offer_status as enum ('pending', 'accepted', 'declined', 'expired', 'withdrawn');

alter table public.volunteer_profiles
  add column latitude double precision check (latitude between -90 and 90),
  add column longitude double precision check (longitude between -180 and 180),
  add column daily_cap smallint not null default 3 check (daily_cap between 1 and 10);
comment on column public.volunteer_profiles.latitude is 'Where the volunteer usually sets out from (home or work), for distance in dispatch.';

alter table public.orders
  add column escalation_level smallint not null default 0 check (escalation_level between 0 and 10),
  add column widened boolean not null default false,
  add column escalated_at timestamptz;
comment on column public.orders.widened is 'Escalated to volunteers of the other communities of the street.';

create table public.dispatch_offers (
  id uuid primary key default gen_random_uuid(),
  order_id uuid not null references public.orders (id),
  volunteer_id uuid not null references public.users (id),
  status public.offer_status not null default 'pending',
  score double precision not null,
  offered_at timestamptz not null,
  expires_at timestamptz not null,
  responded_at timestamptz,
  decline_reason text check (length(decline_reason) <= 200),
  -- A volunteer is offered an order once: after a decline or a timeout, never again.
  unique (order_id, volunteer_id),
  check (expires_at > offered_at)
);
comment on table public.dispatch_offers is
  'Offers of an open order to ranked volunteers; the order is exclusive to its pending offers until they expire.';
create index dispatch_offers_pending_idx on public.dispatch_offers (expires_at) where status = 'pending';
create index dispatch_offers_volunteer_idx on public.dispatch_offers (volunteer_id, status);
create index order_events_release_idx on public.order_events (actor_id) where action = 'release';

create table public.resident_pairs (
  resident_id uuid not null references public.users (id),
  volunteer_id uuid not null references public.users (id),
  community_id uuid not null references public.communities (id),
  created_by uuid not null references public.users (id),
  created_at timestamptz not null default now(),
  primary key (resident_id, volunteer_id)
);
comment on table public.resident_pairs is '结对帮扶: an elder''s usual volunteer, offered their orders first.';

alter table public.dispatch_offers enable row level security;
alter table public.resident_pairs enable row level security;
revoke all on all tables in schema public from anon, authenticated;

-- An order under pending offers belongs to those volunteers until the offers end.
create or replace function private.offered_elsewhere(p_order_id uuid, p_volunteer uuid, p_now timestamptz)
returns boolean
language sql
stable
set search_path = ''
as $$
  select exists (select 1 from public.dispatch_offers
                 where order_id = p_order_id and status = 'pending' and expires_at > p_now and volunteer_id <> p_volunteer)
     and not exists (select 1 from public.dispatch_offers
                     where order_id = p_order_id and status = 'pending' and expires_at > p_now and volunteer_id = p_volunteer);
$$;

-- Once an order is taken, its offers end: accepted for the taker, withdrawn for the rest.
create or replace function private.settle_offers(p_order_id uuid, p_volunteer uuid)
returns void
language sql
set search_path = ''
as $$
  update public.dispatch_offers
  set status = case when volunteer_id = p_volunteer then 'accepted'::public.offer_status else 'withdrawn' end,
      responded_at = now()
  where order_id = p_order_id and status = 'pending';
$$;

-- Everything ranking needs about one open order and each volunteer who may take it.
create or replace function public.dispatch_candidates(p_order_id uuid, p_now timestamptz default now())
returns json
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_order public.orders;
  v_lat double precision;
  v_lng double precision;
begin
  select * into v_order from public.orders where id = p_order_id;
  if v_order.id is null or v_order.status <> 'open' then
    return null;
  end if;
  select coalesce(v_order.latitude, c.latitude), coalesce(v_order.longitude, c.longitude) into v_lat, v_lng
  from public.communities c where c.id = v_order.community_id;
  -- Set-based: each statistic is aggregated once for all candidates, not per volunteer;
  -- json, not jsonb: built as text, it costs a fraction with thousands of candidates.
  return json_build_object(
    'orderId', v_order.id,
    'windowStart', v_order.window_start,
    'requiredSkills', coalesce((select json_agg(skill_code) from public.project_skills where project_id = v_order.project_id), '[]'::json),
    'candidates', coalesce((
      with cand as (
        select v.* from public.volunteer_profiles v
        join public.communities vc on vc.id = v.community_id
        join public.communities oc on oc.id = v_order.community_id
        where v.status = 'approved'
          and (v.community_id = v_order.community_id or (v_order.widened and vc.street_id = oc.street_id))
          and v.user_id <> v_order.resident_id
          and not exists (select 1 from public.dispatch_offers f where f.order_id = v_order.id and f.volunteer_id = v.user_id)
          and not exists (select 1 from public.project_skills ps where ps.project_id = v_order.project_id
                          and not exists (select 1 from public.volunteer_skills vs
                                          where vs.user_id = v.user_id and vs.skill_code = ps.skill_code))
          -- The rule of private.has_overlap, written as a join here: called per volunteer it is a
          -- subplan for each of thousands of rows (measured 58 ms p95 against 38 ms this way).
          and not exists (select 1 from public.orders x
                          where x.volunteer_id = v.user_id and x.status in ('accepted', 'in_service')
                            and x.window_start < v_order.window_end and v_order.window_start < x.window_end)
      ), tasks as (
        select o.volunteer_id,
          count(*) filter (where o.accepted_at > p_now - interval '30 days' and o.status not in ('cancelled', 'voided')) as recent,
          count(*) filter (where o.status in ('accepted', 'in_service', 'completed', 'confirmed')
            and (o.window_start at time zone 'Asia/Shanghai')::date = (v_order.window_start at time zone 'Asia/Shanghai')::date)
            as that_day,
          coalesce(sum(o.rating), 0) as rating_sum,
          count(o.rating) as rating_count,
          bool_or(o.resident_id = v_order.resident_id and o.status = 'confirmed') as served_before
        from public.orders o where o.volunteer_id in (select user_id from cand) group by o.volunteer_id
      ), offers as (
        select f.volunteer_id,
          count(*) filter (where f.status = 'accepted') as accepted,
          count(*) filter (where f.status in ('declined', 'expired')) as missed
        from public.dispatch_offers f where f.volunteer_id in (select user_id from cand) group by f.volunteer_id
      ), releases as (
        select e.actor_id, count(*) as n from public.order_events e
        where e.action = 'release' and e.actor_id in (select user_id from cand) group by e.actor_id
      ), skills as (
        select vs.user_id, json_agg(vs.skill_code) as codes
        from public.volunteer_skills vs where vs.user_id in (select user_id from cand) group by vs.user_id
      ), slots as (
        select a.user_id,
          bool_or(a.weekday = extract(isodow from v_order.window_start at time zone 'Asia/Shanghai')
                  and a.starts_at <= (v_order.window_start at time zone 'Asia/Shanghai')::time
                  and a.ends_at >= (v_order.window_end at time zone 'Asia/Shanghai')::time) as fits
        from public.volunteer_availability a where a.user_id in (select user_id from cand) group by a.user_id
      )
      -- One positional array per candidate, in the order decodeFacts in
      -- shared/src/dispatch/rank.ts reads: keys repeated 3,000 times cost more than the facts.
      select json_agg(json_build_array(
        c.user_id,
        case when c.latitude is null or v_lat is null then null
          else round(private.distance_m(v_lat, v_lng, c.latitude, c.longitude)) end,
        c.service_radius_m,
        c.community_id <> v_order.community_id,
        coalesce(sk.codes, '[]'::json),
        coalesce(t.recent, 0),
        coalesce(t.that_day, 0),
        c.daily_cap,
        coalesce(t.rating_sum, 0),
        coalesce(t.rating_count, 0),
        coalesce(f.accepted, 0),
        coalesce(f.missed, 0),
        coalesce(r.n, 0),
        exists (select 1 from public.resident_pairs p where p.resident_id = v_order.resident_id and p.volunteer_id = c.user_id),
        coalesce(t.served_before, false),
        -- No weekly slots declared means flexible: available any time.
        coalesce(sl.fits, true)))
      from cand c
      left join tasks t on t.volunteer_id = c.user_id
      left join offers f on f.volunteer_id = c.user_id
      left join releases r on r.actor_id = c.user_id
      left join skills sk on sk.user_id = c.user_id
      left join slots sl on sl.user_id = c.user_id), '[]'::json));
end;
$$;
comment on function public.dispatch_candidates(uuid, timestamptz) is
  'Qualified volunteers for an open order with the facts ranking weighs; excludes anyone offered it before.';

-- Offers an order to the chosen volunteers, atomically: only while it is open and
-- has no live offer, and only to volunteers never offered it. Two ticks running
-- at once serialise on the order row; the second finds the live offers and stops.
create or replace function public.make_offers(p_order_id uuid, p_offers jsonb, p_window_minutes integer, p_now timestamptz)
returns integer
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_order public.orders;
  v_made integer;
begin
  select * into v_order from public.orders where id = p_order_id for update;
  if v_order.id is null or v_order.status <> 'open'
     or exists (select 1 from public.dispatch_offers where order_id = p_order_id and status = 'pending' and expires_at > p_now) then
    return 0;
  end if;
  insert into public.dispatch_offers (order_id, volunteer_id, score, offered_at, expires_at)
  select p_order_id, (o->>'volunteerId')::uuid, (o->>'score')::double precision, p_now,
    p_now + make_interval(mins => p_window_minutes)
  from jsonb_array_elements(p_offers) o
  on conflict (order_id, volunteer_id) do nothing;
  get diagnostics v_made = row_count;
  return v_made;
end;
$$;

create or replace function public.list_my_offers(p_actor uuid)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  perform private.require_user(p_actor);
  return coalesce((
    select jsonb_agg(private.order_json(o, 'candidate', false)
      || jsonb_build_object('offerId', f.id, 'offerExpiresAt', f.expires_at) order by f.expires_at)
    from public.dispatch_offers f join public.orders o on o.id = f.order_id
    where f.volunteer_id = p_actor and f.status = 'pending' and f.expires_at > now() and o.status = 'open'), '[]'::jsonb);
end;
$$;

create or replace function public.decline_offer(p_actor uuid, p_offer_id uuid, p_reason text, p_key text)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_replay jsonb;
  v_offer public.dispatch_offers;
begin
  perform private.require_user(p_actor);
  v_replay := private.idem_begin(p_actor, p_key, 'decline_offer', jsonb_build_object('offerId', p_offer_id, 'reason', p_reason));
  if v_replay is not null then return v_replay; end if;
  select * into v_offer from public.dispatch_offers where id = p_offer_id for update;
  if v_offer.id is null or v_offer.volunteer_id <> p_actor then
    perform private.fail('not_found', '没有找到这个派单');
  end if;
  if v_offer.status <> 'pending' then
    perform private.fail('illegal_transition', '这个派单已经结束了');
  end if;
  update public.dispatch_offers set status = 'declined', responded_at = now(), decline_reason = p_reason
  where id = p_offer_id;
  return private.idem_finish(p_actor, p_key, jsonb_build_object('offerId', p_offer_id, 'status', 'declined'));
end;
$$;

-- 结对帮扶: staff pair a volunteer with a resident of their community.
create or replace function public.pair_volunteer(p_actor uuid, p_resident_id uuid, p_volunteer_id uuid, p_key text)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_replay jsonb;
  v_community uuid;
begin
  perform private.require_user(p_actor);
  v_replay := private.idem_begin(p_actor, p_key, 'pair_volunteer',
    jsonb_build_object('residentId', p_resident_id, 'volunteerId', p_volunteer_id));
  if v_replay is not null then return v_replay; end if;
  v_community := private.home_community(p_resident_id);
  if v_community is null then
    perform private.fail('not_found', '没有找到这位居民');
  end if;
  perform private.require_staff_of(p_actor, v_community);
  if not exists (select 1 from public.volunteer_profiles where user_id = p_volunteer_id and status = 'approved') then
    perform private.fail('invalid_input', '只能和审核通过的志愿者结对');
  end if;
  insert into public.resident_pairs (resident_id, volunteer_id, community_id, created_by)
  values (p_resident_id, p_volunteer_id, v_community, p_actor)
  on conflict do nothing;
  return private.idem_finish(p_actor, p_key, jsonb_build_object('residentId', p_resident_id, 'volunteerId', p_volunteer_id));
end;
$$;

-- Offers run out; orders nobody takes gain a bonus every half hour (5 points a
-- step, at most 4 steps), and after the second step reach the whole street.
create or replace function public.tick_dispatch(p_now timestamptz default now())
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_expired integer;
  v_escalated integer;
begin
  update public.dispatch_offers set status = 'expired', responded_at = p_now
  where status = 'pending' and expires_at <= p_now;
  get diagnostics v_expired = row_count;

  with due as (
    select id from public.orders
    where status = 'open' and escalation_level < 4
      and created_at + make_interval(mins => 30 * (escalation_level + 1)) <= p_now
    for update skip locked
  )
  update public.orders o set
    escalation_level = o.escalation_level + 1,
    bonus_points = least(20, o.bonus_points + 5),
    widened = o.widened or o.escalation_level + 1 >= 2,
    escalated_at = p_now
  from due where o.id = due.id;
  get diagnostics v_escalated = row_count;

  return jsonb_build_object(
    'expiredOffers', v_expired,
    'escalated', v_escalated,
    'needOffers', coalesce((
      select jsonb_agg(o.id order by o.created_at)
      from public.orders o
      where o.status = 'open' and o.window_end > p_now
        and not exists (select 1 from public.dispatch_offers f
                        where f.order_id = o.id and f.status = 'pending' and f.expires_at > p_now)), '[]'::jsonb));
end;
$$;

revoke execute on all functions in schema public from public, anon, authenticated;
revoke execute on all functions in schema private from public, anon, authenticated;
grant execute on function
  public.dispatch_candidates(uuid, timestamptz),
  public.make_offers(uuid, jsonb, integer, timestamptz),
  public.list_my_offers(uuid),
  public.decline_offer(uuid, uuid, text, text),
  public.pair_volunteer(uuid, uuid, uuid, text),
  public.tick_dispatch(timestamptz)
to service_role;
