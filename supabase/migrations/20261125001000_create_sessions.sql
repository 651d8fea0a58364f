-- 四点半课堂, first slice: session projects, children and booking.
-- * A project of mode 'session' has a weekly schedule (weekdays, times, term dates,
--   skipped dates, place, seats, grade range, tutor slots and the minimum tutor
--   ratio, booking and cancellation deadlines). Its occurrences follow from the
--   schedule, generated here: saving it again adds new dates, cancels dates no
--   longer in it while nobody is booked on them (else refuses), and updates times and
--   seats of the future ones. Staff cancel one occurrence with a reason; everyone
--   booked or waiting is told.
-- * A guardian registers children (name, grade, school, allergies, health notes, who
--   may pick them up) with a separate consent (PIPL art. 28/31: under 14), kept with
--   its version and time. Only the guardian and staff (of the guardian's community,
--   or of the community running a class the child is booked on) see a child; every
--   staff read is logged; messages carry the masked name only. Removing a child
--   erases it (bookings keep an anonymised stub); child_retention_days after the last
--   term it was booked in, the tick erases it too. Stored answers of child writes hold
--   ids only and are drawn again on a resend.
-- * Booking: the whole term or single dates; seats are counted under the occurrence's
--   row lock; when full, a waitlist in request order (an identity, not timestamps).
--   A freed seat is offered to the first waiting, who confirms within
--   session_offer_minutes or it passes on (the tick).
-- * A session project is never ordered as a visit: the menu and place_order take
--   visits only.

insert into public.policies (key, value, description) values
  ('session_offer_minutes', 120, '课堂候补轮到名额后，家长多少分钟内确认'),
  ('child_retention_days', 90, '孩子最后一个报名学期结束后多少天删除孩子的信息'),
  ('child_consent_version', 1, '儿童个人信息监护人同意书的当前版本'),
  ('children_per_guardian', 6, '每位家长最多登记几个孩子'),
  ('pickup_contacts_max', 5, '每个孩子最多登记几位接送人');

-- ---------------------------------------------------------------------------
-- Tables.

create table public.session_schedules (
  project_id uuid primary key references public.projects (id),
  -- ISO weekdays, 1 = Monday … 7 = Sunday, sorted.
  weekdays smallint[] not null check (cardinality(weekdays) between 1 and 7 and weekdays <@ '{1,2,3,4,5,6,7}'),
  start_time time not null,
  end_time time not null,
  term_start date not null,
  term_end date not null,
  skipped_dates date[] not null default '{}' check (cardinality(skipped_dates) <= 120),
  place text not null check (length(place) between 2 and 100),
  seats smallint not null check (seats between 1 and 200),
  grade_min smallint not null check (grade_min between 1 and 9),
  grade_max smallint not null check (grade_max between 1 and 9),
  tutor_slots smallint not null check (tutor_slots between 1 and 20),
  -- The minimum ratio: at most this many children per tutor (1 : 8).
  children_per_tutor smallint not null check (children_per_tutor between 1 and 50),
  booking_deadline_hours smallint not null check (booking_deadline_hours between 0 and 168),
  cancel_deadline_hours smallint not null check (cancel_deadline_hours between 0 and 168),
  version integer not null default 1,
  updated_by uuid not null references public.users (id),
  updated_at timestamptz not null default now(),
  check (end_time > start_time and end_time - start_time <= interval '4 hours'),
  check (term_end >= term_start and term_end - term_start <= 366),
  check (grade_min <= grade_max),
  check (tutor_slots * children_per_tutor >= seats)
);
comment on table public.session_schedules is
  '四点半课堂: the weekly schedule of a session project; its occurrences follow from it (save_session_schedule).';

create table public.session_occurrences (
  id uuid primary key default gen_random_uuid(),
  project_id uuid not null references public.session_schedules (project_id),
  community_id uuid not null references public.communities (id),
  on_date date not null,
  starts_at timestamptz not null,
  ends_at timestamptz not null,
  seats smallint not null check (seats between 1 and 200),
  status text not null default 'scheduled' check (status in ('scheduled', 'cancelled')),
  -- 'schedule': the date left the schedule (it comes back if it returns); 'staff': cancelled with a reason.
  cancel_source text check (cancel_source in ('schedule', 'staff')),
  cancel_reason text check (length(cancel_reason) <= 200),
  cancelled_by uuid references public.users (id),
  cancelled_at timestamptz,
  created_at timestamptz not null default now(),
  unique (project_id, on_date),
  check (ends_at > starts_at),
  check ((status = 'cancelled') = (cancel_source is not null))
);
comment on table public.session_occurrences is
  'One class of a session project on one date, with its seats; locked while seats are counted.';
create index session_occurrences_project_idx on public.session_occurrences (project_id, starts_at);
create index session_occurrences_community_idx on public.session_occurrences (community_id, starts_at);

create table public.children (
  id uuid primary key default gen_random_uuid(),
  guardian_id uuid not null references public.users (id),
  name text not null check (length(name) between 1 and 20),
  grade smallint not null check (grade between 1 and 9),
  school text not null default '' check (length(school) <= 40),
  allergies text not null default '' check (length(allergies) <= 200),
  health_notes text not null default '' check (length(health_notes) <= 200),
  -- The guardian's separate consent (PIPL art. 31): which text they agreed to, and when.
  consent_version integer not null check (consent_version >= 1),
  consented_at timestamptz not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
comment on table public.children is
  'Children a guardian registered (sensitive, under 14): seen by the guardian and staff only (private.child_viewer),
   every staff read logged; erased when removed or child_retention_days after their last term.';
create index children_guardian_idx on public.children (guardian_id);

create table public.child_pickup_contacts (
  id uuid primary key default gen_random_uuid(),
  child_id uuid not null references public.children (id) on delete cascade,
  position smallint not null check (position between 1 and 20),
  name text not null check (length(name) between 1 and 20),
  relation text not null check (length(relation) between 1 and 10),
  phone text not null check (phone ~ '^1[3-9][0-9]{9}$'),
  unique (child_id, position)
);
comment on table public.child_pickup_contacts is 'Who may pick a child up (接送人); erased with the child.';

create table public.session_bookings (
  id uuid primary key default gen_random_uuid(),
  -- Request order: the waitlist is served by this, never by timestamps.
  seq bigint generated always as identity unique,
  occurrence_id uuid not null references public.session_occurrences (id),
  project_id uuid not null references public.projects (id),
  -- Null once the child is erased: the booking stays as an anonymised stub.
  child_id uuid references public.children (id) on delete set null,
  guardian_id uuid references public.users (id),
  grade smallint not null check (grade between 1 and 9),
  plan text not null check (plan in ('term', 'dates')),
  status text not null
    check (status in ('booked', 'waitlisted', 'offered', 'cancelled', 'expired', 'class_cancelled')),
  offer_expires_at timestamptz,
  cancelled_by uuid references public.users (id),
  cancelled_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (status <> 'offered' or offer_expires_at is not null),
  check ((child_id is null) = (guardian_id is null))
);
comment on table public.session_bookings is
  'A child''s seat (booked), place in line (waitlisted, by seq) or offered seat on one occurrence.';
-- A child is on an occurrence once (booked, waiting or offered).
create unique index session_bookings_live_key on public.session_bookings (occurrence_id, child_id)
  where status in ('booked', 'waitlisted', 'offered');
create index session_bookings_occurrence_idx on public.session_bookings (occurrence_id, status, seq);
create index session_bookings_child_idx on public.session_bookings (child_id);
create index session_bookings_offer_idx on public.session_bookings (offer_expires_at) where status = 'offered';

create table public.child_erasures (
  child_id uuid primary key,
  reason text not null check (reason in ('guardian', 'retention', 'account_deleted')),
  bookings integer not null check (bookings >= 0),
  erased_at timestamptz not null default now()
);
comment on table public.child_erasures is 'That a child''s data was erased, why and when; no personal data.';

alter table public.personal_data_access_log add column child_id uuid;
comment on column public.personal_data_access_log.child_id is
  'The child whose data was shown (subject_id is the guardian); no foreign key: the log outlives the erasure.';

alter table public.session_schedules enable row level security;
alter table public.session_occurrences enable row level security;
alter table public.children enable row level security;
alter table public.child_pickup_contacts enable row level security;
alter table public.session_bookings enable row level security;
alter table public.child_erasures enable row level security;
revoke all on public.session_schedules, public.session_occurrences, public.children, public.child_pickup_contacts,
  public.session_bookings, public.child_erasures from anon, authenticated;

-- ---------------------------------------------------------------------------
-- Visits only in the order loop.

create or replace function private.project_orderable(p_project public.projects, p_resident uuid)
returns boolean
language sql
stable
set search_path = ''
as $$
  select p_project.mode = 'visit' and p_project.status = 'published' and exists (
    select 1 from public.project_communities pc
    where pc.project_id = p_project.id and pc.community_id = private.home_community(p_resident));
$$;

create or replace function private.guard_order_project()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if (select mode from public.projects where id = new.project_id) = 'session' then
    perform private.fail('project_unavailable', '这是按课表上课的课堂，请在“四点半课堂”里为孩子报名');
  end if;
  return new;
end;
$$;
create trigger orders_visit_only before insert on public.orders
  for each row execute function private.guard_order_project();

-- The project form gains its mode, chosen at creation and fixed after.
create or replace function public.save_project(p_actor uuid, p_input jsonb, p_key text)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_replay jsonb;
  v_project public.projects;
  v_community uuid := (p_input->>'communityId')::uuid;
  v_id uuid := (p_input->>'id')::uuid;
  v_mode public.project_mode;
begin
  perform private.require_user(p_actor);
  v_replay := private.idem_begin(p_actor, p_key, 'save_project', p_input);
  if v_replay is not null then return v_replay; end if;
  perform private.require_staff_of(p_actor, v_community);
  if coalesce(p_input->>'mode', 'visit') not in ('visit', 'session') then
    perform private.fail('invalid_input', '请选择服务方式：上门服务或按课表上课');
  end if;
  v_mode := (p_input->>'mode')::public.project_mode;

  if exists (
    select 1 from jsonb_array_elements_text(coalesce(p_input->'serviceCommunityIds', '[]')) sc(id)
    left join public.communities c on c.id = sc.id::uuid
    where c.street_id is distinct from (select street_id from public.communities where id = v_community)
  ) then
    perform private.fail('invalid_input', '服务社区只能选本街道的社区');
  end if;
  if jsonb_array_length(coalesce(p_input->'serviceCommunityIds', '[]')) = 0 then
    perform private.fail('invalid_input', '请至少选择一个服务社区');
  end if;

  if v_id is null then
    insert into public.projects (
      community_id, title, category, description, mode, points_per_hour, expected_minutes, max_minutes,
      response_hours, location_note, min_service_minutes, created_by)
    values (
      v_community, p_input->>'title', (p_input->>'category')::public.service_category,
      coalesce(p_input->>'description', ''), coalesce(v_mode, 'visit'), (p_input->>'pointsPerHour')::integer,
      (p_input->>'expectedMinutes')::integer, (p_input->>'maxMinutes')::integer,
      (p_input->>'responseHours')::integer, coalesce(p_input->>'locationNote', ''),
      coalesce((p_input->>'minServiceMinutes')::integer, 15), p_actor)
    returning * into v_project;
  else
    select * into v_project from public.projects where id = v_id for update;
    if v_project.id is null then
      perform private.fail('not_found', '没有找到这个项目');
    end if;
    perform private.require_staff_of(p_actor, v_project.community_id);
    if v_project.community_id <> v_community then
      perform private.fail('invalid_input', '项目不能转到别的社区');
    end if;
    if v_project.status = 'archived' then
      perform private.fail('illegal_transition', '已归档的项目不能修改');
    end if;
    if (p_input->>'version')::integer is distinct from v_project.version then
      perform private.fail('conflict', '项目已被他人修改，请刷新后再改');
    end if;
    if v_mode is not null and v_mode <> v_project.mode then
      perform private.fail('invalid_input', '项目建好后不能更改服务方式（上门服务 / 按课表上课），请新建一个项目');
    end if;
    update public.projects set
      title = p_input->>'title',
      category = (p_input->>'category')::public.service_category,
      description = coalesce(p_input->>'description', ''),
      points_per_hour = (p_input->>'pointsPerHour')::integer,
      expected_minutes = (p_input->>'expectedMinutes')::integer,
      max_minutes = (p_input->>'maxMinutes')::integer,
      response_hours = (p_input->>'responseHours')::integer,
      location_note = coalesce(p_input->>'locationNote', ''),
      min_service_minutes = coalesce((p_input->>'minServiceMinutes')::integer, min_service_minutes),
      version = version + 1,
      updated_at = now()
    where id = v_id
    returning * into v_project;
    delete from public.project_skills where project_id = v_id;
    delete from public.project_communities where project_id = v_id;
  end if;

  insert into public.project_skills (project_id, skill_code)
  select v_project.id, s from jsonb_array_elements_text(coalesce(p_input->'requiredSkills', '[]')) s
  on conflict do nothing;
  insert into public.project_communities (project_id, community_id)
  select v_project.id, c::uuid from jsonb_array_elements_text(p_input->'serviceCommunityIds') c
  on conflict do nothing;

  return private.idem_finish(p_actor, p_key, private.project_json(v_project, p_actor));
end;
$$;
comment on function public.save_project(uuid, jsonb, text) is
  'Staff create or edit a project (optimistic: the edit names the version it saw); its mode is fixed at creation.';

-- ---------------------------------------------------------------------------
-- Occurrences and what a viewer may do with them.

-- 11月26日, as messages and refusals name a class's date.
create or replace function private.day_label(p_date date)
returns text
language sql
stable
set search_path = ''
as $$
  select to_char(p_date, 'FMMM月FMDD日');
$$;

-- What may be done with an occurrence now (who may is the caller's question):
-- 'book' until the booking deadline, 'cancel' (staff) until it ends.
create or replace function private.occurrence_may(
  p_occurrence public.session_occurrences, p_schedule public.session_schedules, p_action text, p_now timestamptz)
returns boolean
language sql
stable
set search_path = ''
as $$
  select coalesce(case p_action
    when 'book' then p_occurrence.status = 'scheduled'
      and p_now < p_occurrence.starts_at - make_interval(hours => p_schedule.booking_deadline_hours)
    when 'cancel' then p_occurrence.status = 'scheduled' and p_occurrence.ends_at > p_now
  end, false);
$$;

-- Whether this person may book children onto the project: published, scheduled, and
-- open to the community they live in.
create or replace function private.may_book_project(p_actor uuid, p_project public.projects)
returns boolean
language sql
stable
set search_path = ''
as $$
  select p_project.mode = 'session' and p_project.status = 'published'
    and exists (select 1 from public.session_schedules s where s.project_id = p_project.id)
    and exists (select 1 from public.project_communities pc
                where pc.project_id = p_project.id and pc.community_id = private.home_community(p_actor));
$$;

create or replace function private.schedule_json(p_schedule public.session_schedules)
returns jsonb
language sql
stable
set search_path = ''
as $$
  select jsonb_build_object(
    'version', p_schedule.version,
    'weekdays', to_jsonb(p_schedule.weekdays),
    'startTime', to_char(p_schedule.start_time, 'HH24:MI'),
    'endTime', to_char(p_schedule.end_time, 'HH24:MI'),
    'termStart', p_schedule.term_start,
    'termEnd', p_schedule.term_end,
    'skippedDates', to_jsonb(p_schedule.skipped_dates),
    'place', p_schedule.place,
    'seats', p_schedule.seats,
    'gradeMin', p_schedule.grade_min,
    'gradeMax', p_schedule.grade_max,
    'tutorSlots', p_schedule.tutor_slots,
    'childrenPerTutor', p_schedule.children_per_tutor,
    'minTutors', ceil(p_schedule.seats::numeric / p_schedule.children_per_tutor)::integer,
    'bookingDeadlineHours', p_schedule.booking_deadline_hours,
    'cancelDeadlineHours', p_schedule.cancel_deadline_hours,
    'updatedAt', p_schedule.updated_at);
$$;

-- An occurrence with its seats (counts only, never who): what the menu and the term view show.
create or replace function private.occurrence_json(
  p_occurrence public.session_occurrences, p_schedule public.session_schedules, p_staff boolean, p_may_book boolean)
returns jsonb
language sql
stable
set search_path = ''
as $$
  select jsonb_build_object(
    'id', p_occurrence.id,
    'projectId', p_occurrence.project_id,
    'date', p_occurrence.on_date,
    'startsAt', p_occurrence.starts_at,
    'endsAt', p_occurrence.ends_at,
    'status', p_occurrence.status,
    'cancelReason', p_occurrence.cancel_reason,
    'seats', p_occurrence.seats,
    'booked', c.booked,
    'offered', c.offered,
    'waitlisted', c.waitlisted,
    'seatsLeft', greatest(p_occurrence.seats - c.booked - c.offered, 0),
    'bookingClosesAt', p_occurrence.starts_at - make_interval(hours => p_schedule.booking_deadline_hours),
    'cancelClosesAt', p_occurrence.starts_at - make_interval(hours => p_schedule.cancel_deadline_hours),
    'actions', to_jsonb(array_remove(array[
      case when p_may_book and private.occurrence_may(p_occurrence, p_schedule, 'book', private.clock()) then 'book' end,
      case when p_staff and private.occurrence_may(p_occurrence, p_schedule, 'cancel', private.clock()) then 'cancel' end,
      case when p_staff then 'roster' end]::text[], null)))
  from (select count(*) filter (where b.status = 'booked') as booked,
               count(*) filter (where b.status = 'offered') as offered,
               count(*) filter (where b.status = 'waitlisted') as waitlisted
        from public.session_bookings b where b.occurrence_id = p_occurrence.id) c;
$$;

-- A session project: schedule and occurrences (upcoming ones, or the whole term for staff).
create or replace function private.session_project_json(p_project public.projects, p_actor uuid, p_whole_term boolean)
returns jsonb
language sql
stable
set search_path = ''
as $$
  select jsonb_build_object(
    'projectId', p_project.id,
    'title', p_project.title,
    'description', p_project.description,
    'category', p_project.category,
    'communityId', p_project.community_id,
    'communityName', c.name,
    'projectStatus', p_project.status,
    'schedule', case when s.project_id is not null then private.schedule_json(s) end,
    'occurrences', coalesce((
      select jsonb_agg(private.occurrence_json(o, s, v.staff, v.may_book) order by o.starts_at)
      from public.session_occurrences o
      where o.project_id = p_project.id and (p_whole_term or o.ends_at > private.clock())), '[]'::jsonb),
    'actions', to_jsonb(array_remove(array[
      case when v.may_book and exists (
          select 1 from public.session_occurrences o
          where o.project_id = p_project.id and private.occurrence_may(o, s, 'book', private.clock())) then 'book' end,
      case when v.staff and p_project.status <> 'archived' then 'edit_schedule' end]::text[], null)))
  from public.communities c
  left join public.session_schedules s on s.project_id = p_project.id
  cross join lateral (select private.is_staff_of(p_actor, p_project.community_id) as staff,
                             private.may_book_project(p_actor, p_project) as may_book) v
  where c.id = p_project.community_id;
$$;

-- ---------------------------------------------------------------------------
-- Children: who sees them, and what each viewer is shown.

-- Who the actor is to a child: 'guardian', 'staff' (of the guardian's community, or of
-- a community running a class the child is booked on), or nobody. The one rule every
-- read and write of a child asks.
create or replace function private.child_viewer(p_actor uuid, p_child public.children)
returns text
language sql
stable
set search_path = ''
as $$
  select case
    when p_child.id is null then null
    when p_actor = p_child.guardian_id then 'guardian'
    when private.is_staff_of(p_actor, private.home_community(p_child.guardian_id)) then 'staff'
    when exists (select 1 from public.session_bookings b join public.session_occurrences o on o.id = b.occurrence_id
                 where b.child_id = p_child.id and b.status in ('booked', 'waitlisted', 'offered')
                   and private.is_staff_of(p_actor, o.community_id)) then 'staff'
    -- Tutors (next slice) add one clause here: a tutor of an occurrence the child is booked on.
  end;
$$;

-- What may be done with a booking now, by this actor: the guardian confirms an offered
-- seat before it expires; the guardian cancels a seat until the cancellation deadline
-- (a place in line or an offer until the class starts); staff of the class's community
-- cancel any until it starts.
create or replace function private.booking_may(
  p_booking public.session_bookings, p_actor uuid, p_action text, p_now timestamptz)
returns boolean
language sql
stable
set search_path = ''
as $$
  select coalesce((
    select case p_action
      when 'confirm' then p_actor = p_booking.guardian_id and p_booking.status = 'offered'
        and p_booking.offer_expires_at > p_now and o.starts_at > p_now
      when 'cancel' then p_booking.status in ('booked', 'waitlisted', 'offered') and o.status = 'scheduled'
        and o.starts_at > p_now
        and (private.is_staff_of(p_actor, o.community_id)
             or (p_actor = p_booking.guardian_id
                 and (p_booking.status <> 'booked'
                      or o.starts_at - make_interval(hours => s.cancel_deadline_hours) > p_now)))
    end
    from public.session_occurrences o join public.session_schedules s on s.project_id = o.project_id
    where o.id = p_booking.occurrence_id), false);
$$;

create or replace function private.booking_json(p_booking public.session_bookings, p_actor uuid)
returns jsonb
language sql
stable
set search_path = ''
as $$
  select jsonb_build_object(
    'id', p_booking.id,
    'occurrenceId', o.id,
    'projectId', o.project_id,
    'projectTitle', p.title,
    'date', o.on_date,
    'startsAt', o.starts_at,
    'endsAt', o.ends_at,
    'place', s.place,
    'plan', p_booking.plan,
    'status', p_booking.status,
    'waitlistPosition', case when p_booking.status = 'waitlisted' then (
      select count(*) from public.session_bookings w
      where w.occurrence_id = o.id and w.status = 'waitlisted' and w.seq <= p_booking.seq) end,
    'offerExpiresAt', case when p_booking.status = 'offered' then p_booking.offer_expires_at end,
    'cancelReason', case when p_booking.status = 'class_cancelled' then o.cancel_reason end,
    'createdAt', p_booking.created_at,
    'actions', to_jsonb(array_remove(array[
      case when private.booking_may(p_booking, p_actor, 'confirm', private.clock()) then 'confirm' end,
      case when private.booking_may(p_booking, p_actor, 'cancel', private.clock()) then 'cancel' end]::text[], null)))
  from public.session_occurrences o
  join public.session_schedules s on s.project_id = o.project_id
  join public.projects p on p.id = o.project_id
  where o.id = p_booking.occurrence_id;
$$;

-- A child as its guardian or staff see it, with bookings of the last 30 days and later
-- (staff of another community than the guardian's: only their own community's classes).
create or replace function private.child_json(p_child public.children, p_actor uuid)
returns jsonb
language sql
stable
set search_path = ''
as $$
  select jsonb_build_object(
    'id', p_child.id,
    'name', p_child.name,
    'grade', p_child.grade,
    'school', p_child.school,
    'allergies', p_child.allergies,
    'healthNotes', p_child.health_notes,
    'pickupContacts', coalesce((
      select jsonb_agg(jsonb_build_object('id', pc.id, 'name', pc.name, 'relation', pc.relation, 'phone', pc.phone)
                       order by pc.position)
      from public.child_pickup_contacts pc where pc.child_id = p_child.id), '[]'::jsonb),
    'guardianName', private.display_name(p_child.guardian_id),
    'communityId', private.home_community(p_child.guardian_id),
    'consentVersion', p_child.consent_version,
    'consentedAt', p_child.consented_at,
    'createdAt', p_child.created_at,
    'updatedAt', p_child.updated_at,
    'viewerKind', k.kind,
    'bookings', coalesce((
      select jsonb_agg(private.booking_json(b, p_actor) order by o.starts_at, b.seq)
      from public.session_bookings b join public.session_occurrences o on o.id = b.occurrence_id
      where b.child_id = p_child.id and o.ends_at > private.clock() - interval '30 days'
        and (k.kind = 'guardian' or private.is_staff_of(p_actor, o.community_id)
             or private.is_staff_of(p_actor, private.home_community(p_child.guardian_id)))), '[]'::jsonb),
    'actions', case when k.kind = 'guardian' then to_jsonb(array_remove(array['edit', 'remove',
      case when private.home_community(p_child.guardian_id) is not null then 'book' end]::text[], null))
      else '[]'::jsonb end)
  from (select private.child_viewer(p_actor, p_child) as kind) k;
$$;

-- Shows a child to the actor: staff reads are logged (who, whose, which child, what).
create or replace function private.read_child(p_actor uuid, p_child public.children)
returns jsonb
language plpgsql
set search_path = ''
as $$
begin
  if private.child_viewer(p_actor, p_child) = 'staff' then
    insert into public.personal_data_access_log (viewer_id, subject_id, child_id, fields)
    values (p_actor, p_child.guardian_id, p_child.id, array['child_name', 'child_school', 'child_safety', 'pickup_contacts']);
  end if;
  return private.child_json(p_child, p_actor);
end;
$$;

-- The answer of a write about a child: stored as the child's id only (a resend draws it
-- again, as the viewer may see it then: private.replay_answer), shown in full now.
create or replace function private.child_answer(p_actor uuid, p_key text, p_child_id uuid)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_child public.children;
begin
  perform private.idem_finish(p_actor, p_key, jsonb_build_object('childAnswer', p_child_id));
  select * into v_child from public.children where id = p_child_id;
  return private.read_child(p_actor, v_child);
end;
$$;

-- What a stored request keeps of a child's details: a digest, never the details.
create or replace function private.request_digest(p_input jsonb)
returns jsonb
language sql
stable
set search_path = ''
as $$
  select jsonb_build_object('sha256', encode(sha256(convert_to(coalesce(p_input, 'null'::jsonb)::text, 'UTF8')), 'hex'));
$$;

create or replace function private.lock_child(p_actor uuid, p_child_id uuid)
returns public.children
language plpgsql
set search_path = ''
as $$
declare
  v_child public.children;
begin
  select * into v_child from public.children where id = p_child_id for update;
  if v_child.id is null or private.child_viewer(p_actor, v_child) is null then
    perform private.fail('not_found', '没有找到这个孩子的信息');
  end if;
  return v_child;
end;
$$;

-- The child's details as sent (add and edit): checked here whatever the form checked.
create or replace function private.check_child_input(p_input jsonb)
returns void
language plpgsql
stable
set search_path = ''
as $$
declare
  v_contact jsonb;
begin
  if length(btrim(coalesce(p_input->>'name', ''))) not between 1 and 20 then
    perform private.fail('invalid_input', '请填写孩子的姓名（最多 20 个字）');
  end if;
  if coalesce(p_input->>'grade', '') !~ '^[1-9]$' then
    perform private.fail('invalid_input', '请选择孩子的年级（一年级到初三）');
  end if;
  if length(coalesce(p_input->>'school', '')) > 40 then
    perform private.fail('invalid_input', '学校名称最多 40 个字');
  end if;
  if length(coalesce(p_input->>'allergies', '')) > 200 or length(coalesce(p_input->>'healthNotes', '')) > 200 then
    perform private.fail('invalid_input', '过敏和健康情况各最多 200 字');
  end if;
  -- Nested, not `or`: the length of a non-array is an error, not false.
  if jsonb_typeof(p_input->'pickupContacts') is distinct from 'array' then
    perform private.fail('invalid_input', '请至少登记一位接送人（可以是您自己）');
  end if;
  if jsonb_array_length(p_input->'pickupContacts') = 0 then
    perform private.fail('invalid_input', '请至少登记一位接送人（可以是您自己）');
  end if;
  if jsonb_array_length(p_input->'pickupContacts') > private.policy('pickup_contacts_max') then
    perform private.fail('invalid_input', format('接送人最多登记 %s 位', private.policy('pickup_contacts_max')));
  end if;
  for v_contact in select jsonb_array_elements(p_input->'pickupContacts') loop
    if length(btrim(coalesce(v_contact->>'name', ''))) not between 1 and 20
       or length(btrim(coalesce(v_contact->>'relation', ''))) not between 1 and 10 then
      perform private.fail('invalid_input', '请填写接送人的姓名和与孩子的关系');
    end if;
    if coalesce(v_contact->>'phone', '') !~ '^1[3-9][0-9]{9}$' then
      perform private.fail('invalid_input', '接送人的手机号不正确');
    end if;
  end loop;
end;
$$;

create or replace function private.replace_pickup_contacts(p_child_id uuid, p_contacts jsonb)
returns void
language sql
set search_path = ''
as $$
  delete from public.child_pickup_contacts where child_id = p_child_id;
  insert into public.child_pickup_contacts (child_id, position, name, relation, phone)
  select p_child_id, x.n, btrim(x.c->>'name'), btrim(x.c->>'relation'), x.c->>'phone'
  from jsonb_array_elements(p_contacts) with ordinality x(c, n);
$$;

-- ---------------------------------------------------------------------------
-- Seats: offers to the waitlist, and erasure.

-- Fills free seats of a locked occurrence from its waitlist, first come first: each is
-- offered the seat for session_offer_minutes (never past the start) and told so, as
-- are the staff. The caller holds the occurrence's row lock. Returns how many offers.
create or replace function private.promote_waitlist(p_occurrence_id uuid, p_now timestamptz)
returns integer
language plpgsql
set search_path = ''
as $$
declare
  v_occ public.session_occurrences;
  v_title text;
  v_taken integer;
  v_next public.session_bookings;
  v_made integer := 0;
begin
  select * into v_occ from public.session_occurrences where id = p_occurrence_id;
  if v_occ.status <> 'scheduled' or v_occ.starts_at <= p_now then
    return 0;
  end if;
  select title into v_title from public.projects where id = v_occ.project_id;
  loop
    select count(*) into v_taken from public.session_bookings
    where occurrence_id = v_occ.id and status in ('booked', 'offered');
    exit when v_taken >= v_occ.seats;
    select * into v_next from public.session_bookings
    where occurrence_id = v_occ.id and status = 'waitlisted' order by seq limit 1 for update;
    exit when v_next.id is null;
    update public.session_bookings
    set status = 'offered', updated_at = p_now,
        offer_expires_at = least(p_now + make_interval(mins => private.policy('session_offer_minutes')), v_occ.starts_at)
    where id = v_next.id returning * into v_next;
    perform private.notify(v_next.guardian_id, 'session_offer', 'session_offer:' || v_next.id, '候补到名额了，请确认',
      format('%s：%s %s 的课有名额了，请在 %s 前确认，过时名额让给下一位',
        (select private.mask_name(name) from public.children where id = v_next.child_id), v_title,
        private.message_time(v_occ.starts_at), private.message_time(v_next.offer_expires_at)),
      '/pages/children/index',
      jsonb_build_object('bookingId', v_next.id, 'projectTitle', v_title, 'time', private.message_time(v_occ.starts_at),
        'expiresAt', v_next.offer_expires_at));
    perform private.notify_staff(v_occ.community_id, 'session_offer', 'session_offer:' || v_next.id, '课堂候补已递补',
      format('%s %s 空出名额，已请候补第一位的家长在 %s 前确认', v_title, private.message_time(v_occ.starts_at),
        private.message_time(v_next.offer_expires_at)),
      '/staff/pages/session-term/index?id=' || v_occ.project_id,
      jsonb_build_object('occurrenceId', v_occ.id, 'projectTitle', v_title, 'time', private.message_time(v_occ.starts_at)));
    v_made := v_made + 1;
  end loop;
  return v_made;
end;
$$;

-- Erases a child (the caller holds its row lock): its places on classes still to come
-- are given up (seats go to the waitlist), its bookings stay as anonymised stubs (no
-- child, no guardian), and the child row and its pickup contacts are deleted.
create or replace function private.erase_child(
  p_child public.children, p_reason text, p_actor uuid, p_now timestamptz)
returns integer
language plpgsql
set search_path = ''
as $$
declare
  v_occ public.session_occurrences;
  v_cancelled integer := 0;
  v_count integer;
begin
  for v_occ in
    select o.* from public.session_occurrences o
    where o.starts_at > p_now and o.id in (
      select b.occurrence_id from public.session_bookings b
      where b.child_id = p_child.id and b.status in ('booked', 'waitlisted', 'offered'))
    order by o.starts_at, o.id
    for update
  loop
    update public.session_bookings
    set status = 'cancelled', cancelled_at = p_now, cancelled_by = p_actor, updated_at = p_now
    where child_id = p_child.id and occurrence_id = v_occ.id and status in ('booked', 'waitlisted', 'offered');
    get diagnostics v_count = row_count;
    v_cancelled := v_cancelled + v_count;
    perform private.promote_waitlist(v_occ.id, p_now);
  end loop;
  update public.session_bookings
  set child_id = null, guardian_id = null, updated_at = p_now,
      status = case when status in ('waitlisted', 'offered') then 'expired' else status end
  where child_id = p_child.id;
  delete from public.children where id = p_child.id;
  insert into public.child_erasures (child_id, reason, bookings, erased_at)
  values (p_child.id, p_reason, v_cancelled, p_now)
  on conflict (child_id) do nothing;
  return v_cancelled;
end;
$$;

-- 注销 of a guardian erases their children with the account.
create or replace function private.erase_children_of_deleted()
returns trigger
language plpgsql
set search_path = ''
as $$
declare
  v_child public.children;
begin
  if new.deleted_at is not null and old.deleted_at is null then
    for v_child in select * from public.children where guardian_id = new.id order by id for update loop
      perform private.erase_child(v_child, 'account_deleted', new.id, now());
    end loop;
  end if;
  return new;
end;
$$;
create trigger users_erase_children after update of deleted_at on public.users
  for each row execute function private.erase_children_of_deleted();

-- ---------------------------------------------------------------------------
-- The schedule and its occurrences (staff).

-- The schedule as sent, checked (the form checks too; this is the rule), as a row.
create or replace function private.schedule_from_input(p_input jsonb)
returns public.session_schedules
language plpgsql
stable
set search_path = ''
as $$
declare
  v public.session_schedules;
  v_day text;
begin
  if jsonb_typeof(p_input->'weekdays') is distinct from 'array' then
    perform private.fail('invalid_input', '请选择每周哪几天上课');
  end if;
  if jsonb_array_length(p_input->'weekdays') = 0
     or exists (select 1 from jsonb_array_elements_text(p_input->'weekdays') d where d !~ '^[1-7]$') then
    perform private.fail('invalid_input', '请选择每周哪几天上课');
  end if;
  v.weekdays := array(select distinct d::smallint from jsonb_array_elements_text(p_input->'weekdays') d order by 1);
  if coalesce(p_input->>'startTime', '') !~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'
     or coalesce(p_input->>'endTime', '') !~ '^([01][0-9]|2[0-3]):[0-5][0-9]$' then
    perform private.fail('invalid_input', '请填写上课和下课时间，如 16:30');
  end if;
  v.start_time := (p_input->>'startTime')::time;
  v.end_time := (p_input->>'endTime')::time;
  if v.end_time <= v.start_time or v.end_time - v.start_time > interval '4 hours' then
    perform private.fail('invalid_input', '下课时间要晚于上课时间，每次课最长 4 小时');
  end if;
  if coalesce(p_input->>'termStart', '') !~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'
     or coalesce(p_input->>'termEnd', '') !~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' then
    perform private.fail('invalid_input', '请选择学期的开始和结束日期');
  end if;
  v.term_start := (p_input->>'termStart')::date;
  v.term_end := (p_input->>'termEnd')::date;
  if v.term_end < v.term_start or v.term_end - v.term_start > 366 then
    perform private.fail('invalid_input', '学期结束日期要在开始日期之后，一个学期最长一年');
  end if;
  if v.term_end < (private.clock() at time zone 'Asia/Shanghai')::date then
    perform private.fail('invalid_input', '学期结束日期已经过了');
  end if;
  if jsonb_typeof(coalesce(p_input->'skippedDates', '[]')) <> 'array' then
    perform private.fail('invalid_input', '停课日期不正确');
  end if;
  if jsonb_array_length(coalesce(p_input->'skippedDates', '[]')) > 120 then
    perform private.fail('invalid_input', '停课日期最多 120 个');
  end if;
  for v_day in select jsonb_array_elements_text(coalesce(p_input->'skippedDates', '[]')) loop
    if v_day !~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' then
      perform private.fail('invalid_input', '停课日期不正确');
    end if;
  end loop;
  v.skipped_dates := array(select distinct d::date from jsonb_array_elements_text(coalesce(p_input->'skippedDates', '[]')) d
                           order by 1);
  v.place := btrim(coalesce(p_input->>'place', ''));
  if length(v.place) not between 2 and 100 then
    perform private.fail('invalid_input', '请填写上课地点（2 到 100 个字）');
  end if;
  v.seats := (p_input->>'seats')::integer;
  if v.seats is null or v.seats not between 1 and 200 then
    perform private.fail('invalid_input', '每次课的名额要在 1 到 200 之间');
  end if;
  v.grade_min := (p_input->>'gradeMin')::integer;
  v.grade_max := (p_input->>'gradeMax')::integer;
  if v.grade_min is null or v.grade_max is null or v.grade_min not between 1 and 9 or v.grade_max not between 1 and 9
     or v.grade_min > v.grade_max then
    perform private.fail('invalid_input', '请选择招收的年级范围（一年级到初三）');
  end if;
  v.tutor_slots := (p_input->>'tutorSlots')::integer;
  v.children_per_tutor := (p_input->>'childrenPerTutor')::integer;
  if v.tutor_slots is null or v.tutor_slots not between 1 and 20 then
    perform private.fail('invalid_input', '辅导老师名额要在 1 到 20 之间');
  end if;
  if v.children_per_tutor is null or v.children_per_tutor not between 1 and 50 then
    perform private.fail('invalid_input', '每位老师最多带的孩子数要在 1 到 50 之间');
  end if;
  if v.tutor_slots * v.children_per_tutor < v.seats then
    perform private.fail('invalid_input', format('按每位老师最多带 %s 个孩子，%s 个名额至少要 %s 位辅导老师',
      v.children_per_tutor, v.seats, ceil(v.seats::numeric / v.children_per_tutor)));
  end if;
  v.booking_deadline_hours := (p_input->>'bookingDeadlineHours')::integer;
  v.cancel_deadline_hours := (p_input->>'cancelDeadlineHours')::integer;
  if v.booking_deadline_hours is null or v.booking_deadline_hours not between 0 and 168
     or v.cancel_deadline_hours is null or v.cancel_deadline_hours not between 0 and 168 then
    perform private.fail('invalid_input', '报名和取消截止时间要在开课前 0 到 168 小时之间');
  end if;
  return v;
end;
$$;

-- Brings a project's future occurrences in line with its schedule (the caller holds
-- the project's row lock): dates that left it are cancelled (refused while anyone is
-- booked or waiting on one), new dates added, dates that return restored (not those
-- staff cancelled), times and seats of the rest updated (seats never below those
-- taken); more seats go to the waitlist, a new time is told to those booked.
create or replace function private.sync_occurrences(p_schedule public.session_schedules, p_actor uuid, p_now timestamptz)
returns void
language plpgsql
set search_path = ''
as $$
declare
  v_project public.projects;
  v_dates date[];
  v_date date;
  v_occ public.session_occurrences;
  v_starts timestamptz;
  v_ends timestamptz;
  v_live integer;
  v_taken integer;
  v_booking public.session_bookings;
begin
  select * into v_project from public.projects where id = p_schedule.project_id;
  v_dates := array(
    select d::date from generate_series(p_schedule.term_start, p_schedule.term_end, interval '1 day') d
    where extract(isodow from d)::smallint = any (p_schedule.weekdays)
      and not d::date = any (p_schedule.skipped_dates)
      and ((d::date + p_schedule.start_time) at time zone 'Asia/Shanghai') > p_now
    order by 1);
  -- One pass of locks in start order, as bookings take them: no deadlock with a booking.
  perform 1 from public.session_occurrences
  where project_id = p_schedule.project_id and starts_at > p_now order by starts_at, id for update;

  for v_occ in
    select * from public.session_occurrences
    where project_id = p_schedule.project_id and status = 'scheduled' and starts_at > p_now
      and not on_date = any (v_dates)
    order by starts_at
  loop
    select count(*) into v_live from public.session_bookings
    where occurrence_id = v_occ.id and status in ('booked', 'waitlisted', 'offered');
    if v_live > 0 then
      perform private.fail('conflict', format(
        '%s 已有 %s 个孩子报名或候补，不能从课表中去掉；如确需停课，请先单独取消这次课（会通知家长）',
        private.day_label(v_occ.on_date), v_live));
    end if;
    update public.session_occurrences
    set status = 'cancelled', cancel_source = 'schedule', cancel_reason = '课表调整', cancelled_by = p_actor,
        cancelled_at = p_now
    where id = v_occ.id;
  end loop;

  foreach v_date in array v_dates loop
    v_starts := (v_date + p_schedule.start_time) at time zone 'Asia/Shanghai';
    v_ends := (v_date + p_schedule.end_time) at time zone 'Asia/Shanghai';
    select * into v_occ from public.session_occurrences where project_id = p_schedule.project_id and on_date = v_date;
    if v_occ.id is null then
      insert into public.session_occurrences (project_id, community_id, on_date, starts_at, ends_at, seats)
      values (p_schedule.project_id, v_project.community_id, v_date, v_starts, v_ends, p_schedule.seats);
      continue;
    end if;
    continue when v_occ.status = 'cancelled' and v_occ.cancel_source = 'staff';
    select count(*) into v_taken from public.session_bookings
    where occurrence_id = v_occ.id and status in ('booked', 'offered');
    if p_schedule.seats < v_taken then
      perform private.fail('conflict', format('%s 已有 %s 个孩子占了名额，名额不能少于 %s',
        private.day_label(v_date), v_taken, v_taken));
    end if;
    update public.session_occurrences
    set starts_at = v_starts, ends_at = v_ends, seats = p_schedule.seats, status = 'scheduled',
        cancel_source = null, cancel_reason = null, cancelled_by = null, cancelled_at = null
    where id = v_occ.id;
    if v_occ.starts_at <> v_starts or v_occ.ends_at <> v_ends then
      for v_booking in
        select * from public.session_bookings
        where occurrence_id = v_occ.id and status in ('booked', 'waitlisted', 'offered') order by seq
      loop
        perform private.notify(v_booking.guardian_id, 'session_changed',
          'session_changed:' || v_booking.id || ':' || extract(epoch from v_starts)::bigint, '课堂时间有调整',
          format('%s：%s 的%s改为 %s–%s，地点 %s', (select private.mask_name(name) from public.children
            where id = v_booking.child_id), private.day_label(v_date), v_project.title,
            to_char(p_schedule.start_time, 'HH24:MI'), to_char(p_schedule.end_time, 'HH24:MI'), p_schedule.place),
          '/pages/children/index', jsonb_build_object('bookingId', v_booking.id, 'projectTitle', v_project.title,
            'time', private.message_time(v_starts)));
      end loop;
    end if;
    if p_schedule.seats > v_occ.seats then
      perform private.promote_waitlist(v_occ.id, p_now);
    end if;
  end loop;
end;
$$;

-- Staff set the weekly schedule of a session project (optimistic: an edit names the
-- version it saw); its occurrences follow in the same transaction.
create or replace function public.save_session_schedule(p_actor uuid, p_project_id uuid, p_input jsonb, p_key text)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_replay jsonb;
  v_project public.projects;
  v_old public.session_schedules;
  v_new public.session_schedules;
begin
  perform private.require_user(p_actor);
  v_replay := private.idem_begin(p_actor, p_key, 'save_session_schedule',
    jsonb_build_object('projectId', p_project_id, 'input', p_input));
  if v_replay is not null then return v_replay; end if;
  select * into v_project from public.projects where id = p_project_id for update;
  if v_project.id is null or not private.is_staff_of(p_actor, v_project.community_id) then
    perform private.fail('not_found', '没有找到这个项目');
  end if;
  if v_project.mode <> 'session' then
    perform private.fail('invalid_input', '只有按课表上课的项目（如四点半课堂）可以排课');
  end if;
  if v_project.status = 'archived' then
    perform private.fail('illegal_transition', '已归档的项目不能修改课表');
  end if;
  v_new := private.schedule_from_input(p_input);
  select * into v_old from public.session_schedules where project_id = p_project_id for update;
  if (p_input->>'version')::integer is distinct from v_old.version then
    perform private.fail('conflict', '课表已被他人修改，请刷新后再改');
  end if;
  insert into public.session_schedules (project_id, weekdays, start_time, end_time, term_start, term_end, skipped_dates,
    place, seats, grade_min, grade_max, tutor_slots, children_per_tutor, booking_deadline_hours, cancel_deadline_hours,
    version, updated_by, updated_at)
  values (p_project_id, v_new.weekdays, v_new.start_time, v_new.end_time, v_new.term_start, v_new.term_end,
    v_new.skipped_dates, v_new.place, v_new.seats, v_new.grade_min, v_new.grade_max, v_new.tutor_slots,
    v_new.children_per_tutor, v_new.booking_deadline_hours, v_new.cancel_deadline_hours, 1, p_actor, now())
  on conflict (project_id) do update set
    weekdays = excluded.weekdays, start_time = excluded.start_time, end_time = excluded.end_time,
    term_start = excluded.term_start, term_end = excluded.term_end, skipped_dates = excluded.skipped_dates,
    place = excluded.place, seats = excluded.seats, grade_min = excluded.grade_min, grade_max = excluded.grade_max,
    tutor_slots = excluded.tutor_slots, children_per_tutor = excluded.children_per_tutor,
    booking_deadline_hours = excluded.booking_deadline_hours, cancel_deadline_hours = excluded.cancel_deadline_hours,
    version = public.session_schedules.version + 1, updated_by = p_actor, updated_at = now()
  returning * into v_new;
  perform private.sync_occurrences(v_new, p_actor, private.clock());
  return private.idem_finish(p_actor, p_key, private.session_project_json(v_project, p_actor, true));
end;
$$;
comment on function public.save_session_schedule(uuid, uuid, jsonb, text) is
  '四点半课堂: staff set a session project''s weekly schedule; occurrences are generated or cancelled to match.';

-- Staff cancel one class with a reason: every child booked, offered or waiting is told.
create or replace function public.cancel_session_occurrence(p_actor uuid, p_occurrence_id uuid, p_reason text, p_key text)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_replay jsonb;
  v_occ public.session_occurrences;
  v_schedule public.session_schedules;
  v_project public.projects;
  v_booking public.session_bookings;
  v_reason text := btrim(coalesce(p_reason, ''));
begin
  perform private.require_user(p_actor);
  v_replay := private.idem_begin(p_actor, p_key, 'cancel_session_occurrence',
    jsonb_build_object('occurrenceId', p_occurrence_id, 'reason', p_reason));
  if v_replay is not null then return v_replay; end if;
  select * into v_occ from public.session_occurrences where id = p_occurrence_id for update;
  if v_occ.id is null or not private.is_staff_of(p_actor, v_occ.community_id) then
    perform private.fail('not_found', '没有找到这次课');
  end if;
  select * into v_schedule from public.session_schedules where project_id = v_occ.project_id;
  if not private.occurrence_may(v_occ, v_schedule, 'cancel', private.clock()) then
    perform private.fail('illegal_transition', case when v_occ.status = 'cancelled' then '这次课已经取消了'
                                                  else '这次课已经结束了，不能取消' end);
  end if;
  if length(v_reason) not between 2 and 200 then
    perform private.fail('invalid_input', '请写明停课原因（家长会看到）');
  end if;
  update public.session_occurrences
  set status = 'cancelled', cancel_source = 'staff', cancel_reason = v_reason, cancelled_by = p_actor,
      cancelled_at = private.clock()
  where id = v_occ.id returning * into v_occ;
  select * into v_project from public.projects where id = v_occ.project_id;
  for v_booking in
    update public.session_bookings set status = 'class_cancelled', updated_at = private.clock()
    where occurrence_id = v_occ.id and status in ('booked', 'waitlisted', 'offered')
    returning *
  loop
    perform private.notify(v_booking.guardian_id, 'session_cancelled', 'session_cancelled:' || v_booking.id,
      '课堂停课通知',
      format('%s：%s 的%s停课（%s）', (select private.mask_name(name) from public.children where id = v_booking.child_id),
        private.message_time(v_occ.starts_at), v_project.title, v_reason),
      '/pages/children/index', jsonb_build_object('bookingId', v_booking.id, 'projectTitle', v_project.title,
        'time', private.message_time(v_occ.starts_at), 'reason', v_reason));
  end loop;
  return private.idem_finish(p_actor, p_key, private.session_project_json(v_project, p_actor, true));
end;
$$;
comment on function public.cancel_session_occurrence(uuid, uuid, text, text) is
  'Staff cancel one class with a reason; everyone booked, offered or waiting is told.';

-- ---------------------------------------------------------------------------
-- Children (the guardian).

create or replace function public.add_child(p_actor uuid, p_input jsonb, p_key text)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_replay jsonb;
  v_child public.children;
begin
  perform private.require_user(p_actor);
  v_replay := private.idem_begin(p_actor, p_key, 'add_child', private.request_digest(p_input));
  if v_replay is not null then return v_replay; end if;
  -- Serialises one guardian's additions: the limit below holds under concurrency.
  perform 1 from public.users where id = p_actor for no key update;
  if private.home_community(p_actor) is null then
    perform private.fail('invalid_input', '请先选择您所在的社区');
  end if;
  if coalesce(p_input->>'consent', '') <> 'true'
     or (p_input->>'consentVersion')::integer is distinct from private.policy('child_consent_version') then
    perform private.fail('invalid_input',
      '登记孩子的信息前，请先阅读《儿童个人信息处理规则》，并以监护人身份单独勾选同意');
  end if;
  perform private.check_child_input(p_input);
  if (select count(*) from public.children where guardian_id = p_actor) >= private.policy('children_per_guardian') then
    perform private.fail('conflict', format('每位家长最多登记 %s 个孩子', private.policy('children_per_guardian')));
  end if;
  insert into public.children (guardian_id, name, grade, school, allergies, health_notes, consent_version, consented_at)
  values (p_actor, btrim(p_input->>'name'), (p_input->>'grade')::smallint, btrim(coalesce(p_input->>'school', '')),
    btrim(coalesce(p_input->>'allergies', '')), btrim(coalesce(p_input->>'healthNotes', '')),
    (p_input->>'consentVersion')::integer, now())
  returning * into v_child;
  perform private.replace_pickup_contacts(v_child.id, p_input->'pickupContacts');
  return private.child_answer(p_actor, p_key, v_child.id);
end;
$$;
comment on function public.add_child(uuid, jsonb, text) is
  'A guardian registers a child, with the separate guardian consent (its version and time kept).';

create or replace function public.update_child(p_actor uuid, p_child_id uuid, p_input jsonb, p_key text)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_replay jsonb;
  v_child public.children;
  v_reconsent boolean := coalesce(p_input->>'consent', '') = 'true';
begin
  perform private.require_user(p_actor);
  v_replay := private.idem_begin(p_actor, p_key, 'update_child',
    jsonb_build_object('childId', p_child_id) || private.request_digest(p_input));
  if v_replay is not null then return v_replay; end if;
  v_child := private.lock_child(p_actor, p_child_id);
  if private.child_viewer(p_actor, v_child) <> 'guardian' then
    perform private.fail('forbidden', '只有孩子的监护人可以修改孩子的信息');
  end if;
  if v_reconsent and (p_input->>'consentVersion')::integer is distinct from private.policy('child_consent_version') then
    perform private.fail('invalid_input', '同意书已经更新，请刷新后重新阅读并同意');
  end if;
  perform private.check_child_input(p_input);
  update public.children set
    name = btrim(p_input->>'name'),
    grade = (p_input->>'grade')::smallint,
    school = btrim(coalesce(p_input->>'school', '')),
    allergies = btrim(coalesce(p_input->>'allergies', '')),
    health_notes = btrim(coalesce(p_input->>'healthNotes', '')),
    consent_version = case when v_reconsent then (p_input->>'consentVersion')::integer else consent_version end,
    consented_at = case when v_reconsent then now() else consented_at end,
    updated_at = now()
  where id = p_child_id;
  perform private.replace_pickup_contacts(p_child_id, p_input->'pickupContacts');
  return private.child_answer(p_actor, p_key, p_child_id);
end;
$$;

-- The guardian removes a child: erased now (bookings to come given up, stubs kept).
create or replace function public.remove_child(p_actor uuid, p_child_id uuid, p_key text)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_replay jsonb;
  v_child public.children;
  v_cancelled integer;
begin
  perform private.require_user(p_actor);
  v_replay := private.idem_begin(p_actor, p_key, 'remove_child', jsonb_build_object('childId', p_child_id));
  if v_replay is not null then return v_replay; end if;
  v_child := private.lock_child(p_actor, p_child_id);
  if private.child_viewer(p_actor, v_child) <> 'guardian' then
    perform private.fail('forbidden', '只有孩子的监护人可以删除孩子的信息');
  end if;
  v_cancelled := private.erase_child(v_child, 'guardian', p_actor, private.clock());
  return private.idem_finish(p_actor, p_key,
    jsonb_build_object('childId', p_child_id, 'removed', true, 'cancelledBookings', v_cancelled));
end;
$$;
comment on function public.remove_child(uuid, uuid, text) is
  'Erases a child''s data (really deleted); its bookings to come are given up, past ones stay as anonymised stubs.';

create or replace function public.list_my_children(p_actor uuid)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  perform private.require_user(p_actor);
  return coalesce((
    select jsonb_agg(private.child_json(c, p_actor) order by c.created_at)
    from public.children c where c.guardian_id = p_actor), '[]'::jsonb);
end;
$$;

create or replace function public.get_child(p_actor uuid, p_child_id uuid)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_child public.children;
begin
  perform private.require_user(p_actor);
  select * into v_child from public.children where id = p_child_id;
  if v_child.id is null or private.child_viewer(p_actor, v_child) is null then
    perform private.fail('not_found', '没有找到这个孩子的信息');
  end if;
  return private.read_child(p_actor, v_child);
end;
$$;
comment on function public.get_child(uuid, uuid) is 'A child for its guardian or staff (every staff read logged).';

-- ---------------------------------------------------------------------------
-- Booking.

-- Books a child on classes of a session project: every class still open for booking
-- this term (p_occurrence_ids null), or the dates chosen. Seats are counted under each
-- occurrence's row lock (locked in start order); a full class puts the child in line.
create or replace function public.book_session(
  p_actor uuid, p_child_id uuid, p_project_id uuid, p_occurrence_ids jsonb, p_key text)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_replay jsonb;
  v_child public.children;
  v_project public.projects;
  v_schedule public.session_schedules;
  v_home uuid;
  v_term boolean := p_occurrence_ids is null or jsonb_typeof(p_occurrence_ids) = 'null';
  v_ids uuid[];
  v_occ public.session_occurrences;
  v_now timestamptz := private.clock();
  v_taken integer;
  v_made integer := 0;
  v_already integer := 0;
begin
  perform private.require_user(p_actor);
  v_replay := private.idem_begin(p_actor, p_key, 'book_session', jsonb_build_object(
    'childId', p_child_id, 'projectId', p_project_id, 'occurrenceIds', p_occurrence_ids));
  if v_replay is not null then return v_replay; end if;
  v_child := private.lock_child(p_actor, p_child_id);
  if private.child_viewer(p_actor, v_child) <> 'guardian' then
    perform private.fail('forbidden', '只有孩子的监护人可以为孩子报名');
  end if;
  v_home := private.home_community(p_actor);
  select * into v_project from public.projects where id = p_project_id;
  if v_project.id is null or v_project.mode <> 'session' or not (
    private.is_staff_of(p_actor, v_project.community_id)
    or exists (select 1 from public.project_communities where project_id = v_project.id and community_id = v_home)) then
    perform private.fail('not_found', '没有找到这个课堂');
  end if;
  if v_project.status <> 'published' then
    perform private.fail('project_unavailable', '这个课堂暂停报名了');
  end if;
  if not private.may_book_project(p_actor, v_project) then
    perform private.fail('project_unavailable', '这个课堂不在您所在的社区开放，或还没有排课');
  end if;
  select * into v_schedule from public.session_schedules where project_id = p_project_id;
  if v_child.grade not between v_schedule.grade_min and v_schedule.grade_max then
    perform private.fail('invalid_input', format('这个课堂收 %s 到 %s 年级的孩子', v_schedule.grade_min, v_schedule.grade_max));
  end if;

  if v_term then
    v_ids := array(select o.id from public.session_occurrences o
                   where o.project_id = p_project_id and private.occurrence_may(o, v_schedule, 'book', v_now));
  else
    if jsonb_typeof(p_occurrence_ids) <> 'array' then
      perform private.fail('invalid_input', '请选择上课日期');
    end if;
    if jsonb_array_length(p_occurrence_ids) = 0 then
      perform private.fail('invalid_input', '请选择上课日期');
    end if;
    if jsonb_array_length(p_occurrence_ids) > 100 then
      perform private.fail('invalid_input', '一次最多选 100 次课');
    end if;
    v_ids := array(select distinct x::uuid from jsonb_array_elements_text(p_occurrence_ids) x);
    if (select count(*) from public.session_occurrences where id = any (v_ids) and project_id = p_project_id)
       <> cardinality(v_ids) then
      perform private.fail('invalid_input', '上课日期选择有误，请刷新后再选');
    end if;
  end if;

  for v_occ in
    select * from public.session_occurrences where id = any (v_ids) order by starts_at, id for update
  loop
    if not private.occurrence_may(v_occ, v_schedule, 'book', v_now) then
      continue when v_term;
      perform private.fail('illegal_transition', case when v_occ.status = 'cancelled'
        then format('%s 的课已经取消了', private.day_label(v_occ.on_date))
        else format('%s 的课报名已截止（开课前 %s 小时截止）', private.day_label(v_occ.on_date),
          v_schedule.booking_deadline_hours) end);
    end if;
    if exists (select 1 from public.session_bookings where occurrence_id = v_occ.id and child_id = v_child.id
               and status in ('booked', 'waitlisted', 'offered')) then
      v_already := v_already + 1;
      continue when v_term;
      perform private.fail('conflict', format('孩子已经报过 %s 的课了', private.day_label(v_occ.on_date)));
    end if;
    select count(*) into v_taken from public.session_bookings
    where occurrence_id = v_occ.id and status in ('booked', 'offered');
    insert into public.session_bookings (occurrence_id, project_id, child_id, guardian_id, grade, plan, status,
      created_at, updated_at)
    values (v_occ.id, p_project_id, v_child.id, p_actor, v_child.grade, case when v_term then 'term' else 'dates' end,
      case when v_taken < v_occ.seats then 'booked' else 'waitlisted' end, v_now, v_now);
    v_made := v_made + 1;
  end loop;
  if v_made = 0 then
    perform private.fail('illegal_transition', case when v_already > 0
      then '这个学期还能报的课，孩子都已经报过了' else '这个学期已经没有可以报名的课了' end);
  end if;
  return private.child_answer(p_actor, p_key, v_child.id);
end;
$$;
comment on function public.book_session(uuid, uuid, uuid, jsonb, text) is
  'Books a child for the term (occurrence ids null) or chosen dates: a seat while there is one, else the waitlist.';

-- Says why the actor may not do this with a booking (the view's actions say it can't).
create or replace function private.refuse_booking_action(p_booking public.session_bookings, p_actor uuid, p_action text)
returns void
language plpgsql
stable
set search_path = ''
as $$
declare
  v_occ public.session_occurrences;
  v_schedule public.session_schedules;
begin
  select * into v_occ from public.session_occurrences where id = p_booking.occurrence_id;
  select * into v_schedule from public.session_schedules where project_id = v_occ.project_id;
  if p_actor <> p_booking.guardian_id and not (p_action = 'cancel' and private.is_staff_of(p_actor, v_occ.community_id)) then
    perform private.fail('forbidden', case when p_action = 'confirm' then '只有孩子的监护人可以确认名额'
                                      else '只有孩子的监护人或上课社区的工作人员可以取消报名' end);
  end if;
  perform private.fail('illegal_transition', case
    when p_action = 'confirm' and p_booking.status = 'booked' then '已经确认过了'
    when p_action = 'confirm' and p_booking.status = 'offered' then '确认时间已过，名额已让给下一位'
    when p_action = 'confirm' then '现在没有等您确认的名额'
    when p_booking.status not in ('booked', 'waitlisted', 'offered') then '这个报名已经结束了'
    when v_occ.starts_at <= private.clock() then '这次课已经开始了，不能取消'
    else format('已过取消截止时间（开课前 %s 小时），如有变化请打电话给社区', v_schedule.cancel_deadline_hours) end);
end;
$$;

-- The guardian takes the seat offered from the waitlist.
create or replace function public.confirm_session_offer(p_actor uuid, p_booking_id uuid, p_key text)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_replay jsonb;
  v_booking public.session_bookings;
  v_child public.children;
begin
  perform private.require_user(p_actor);
  v_replay := private.idem_begin(p_actor, p_key, 'confirm_session_offer', jsonb_build_object('bookingId', p_booking_id));
  if v_replay is not null then return v_replay; end if;
  select * into v_booking from public.session_bookings where id = p_booking_id;
  if v_booking.id is null or v_booking.child_id is null then
    perform private.fail('not_found', '没有找到这个报名');
  end if;
  v_child := private.lock_child(p_actor, v_booking.child_id);
  perform 1 from public.session_occurrences where id = v_booking.occurrence_id for update;
  select * into v_booking from public.session_bookings where id = p_booking_id for update;
  if not private.booking_may(v_booking, p_actor, 'confirm', private.clock()) then
    perform private.refuse_booking_action(v_booking, p_actor, 'confirm');
  end if;
  update public.session_bookings set status = 'booked', updated_at = private.clock() where id = p_booking_id;
  return private.child_answer(p_actor, p_key, v_child.id);
end;
$$;

-- Cancels a booking (a place in line, an offer: declined), or it and every later one of
-- the same child on the same project (p_scope 'rest'); freed seats go to the waitlist.
create or replace function public.cancel_session_booking(p_actor uuid, p_booking_id uuid, p_scope text, p_key text)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_replay jsonb;
  v_booking public.session_bookings;
  v_child public.children;
  v_occ public.session_occurrences;
  v_target public.session_bookings;
  v_now timestamptz := private.clock();
  v_title text;
begin
  perform private.require_user(p_actor);
  v_replay := private.idem_begin(p_actor, p_key, 'cancel_session_booking',
    jsonb_build_object('bookingId', p_booking_id, 'scope', p_scope));
  if v_replay is not null then return v_replay; end if;
  if coalesce(p_scope, '') not in ('one', 'rest') then
    perform private.fail('invalid_input', '请选择取消这一次，还是这次及以后的课');
  end if;
  select * into v_booking from public.session_bookings where id = p_booking_id;
  if v_booking.id is null or v_booking.child_id is null then
    perform private.fail('not_found', '没有找到这个报名');
  end if;
  v_child := private.lock_child(p_actor, v_booking.child_id);
  if not private.booking_may(v_booking, p_actor, 'cancel', v_now) then
    perform private.refuse_booking_action(v_booking, p_actor, 'cancel');
  end if;
  select title into v_title from public.projects where id = v_booking.project_id;
  for v_occ in
    select o.* from public.session_occurrences o
    where o.id = v_booking.occurrence_id
       or (p_scope = 'rest' and o.project_id = v_booking.project_id
           and o.starts_at > (select starts_at from public.session_occurrences where id = v_booking.occurrence_id)
           and exists (select 1 from public.session_bookings b where b.occurrence_id = o.id and b.child_id = v_child.id
                       and b.status in ('booked', 'waitlisted', 'offered')))
    order by o.starts_at, o.id
    for update
  loop
    select * into v_target from public.session_bookings
    where occurrence_id = v_occ.id and child_id = v_child.id and status in ('booked', 'waitlisted', 'offered')
    for update;
    -- Later classes past their own deadline stay booked; the one asked for was checked above.
    continue when v_target.id is null or not private.booking_may(v_target, p_actor, 'cancel', v_now);
    update public.session_bookings
    set status = 'cancelled', cancelled_at = v_now, cancelled_by = p_actor, updated_at = v_now
    where id = v_target.id;
    if p_actor <> v_child.guardian_id then
      perform private.notify(v_child.guardian_id, 'session_booking_cancelled', 'session_booking_cancelled:' || v_target.id,
        '社区取消了孩子的报名', format('%s：%s 的%s，社区已为您取消报名', private.mask_name(v_child.name),
          private.message_time(v_occ.starts_at), v_title),
        '/pages/children/index', jsonb_build_object('bookingId', v_target.id, 'projectTitle', v_title,
          'time', private.message_time(v_occ.starts_at)));
    end if;
    perform private.promote_waitlist(v_occ.id, v_now);
  end loop;
  return private.child_answer(p_actor, p_key, v_child.id);
end;
$$;

-- ---------------------------------------------------------------------------
-- Reads: the menu, the staff's term view and roster.

-- 四点半课堂 as one resident may book it: published session projects open to their
-- community, with classes to come and seats left on each.
create or replace function public.list_session_menu(p_actor uuid)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  perform private.require_user(p_actor);
  return coalesce((
    select jsonb_agg(private.session_project_json(p, p_actor, false) order by p.title)
    from public.projects p
    where private.may_book_project(p_actor, p)), '[]'::jsonb);
end;
$$;

-- The staff's term view: the schedule, every class of the term with seats, offers and
-- waitlist counts (no child is named here).
create or replace function public.get_session_term(p_actor uuid, p_project_id uuid)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_project public.projects;
begin
  perform private.require_user(p_actor);
  select * into v_project from public.projects where id = p_project_id;
  if v_project.id is null or v_project.mode <> 'session' or not private.is_staff_of(p_actor, v_project.community_id) then
    perform private.fail('not_found', '没有找到这个课堂');
  end if;
  return private.session_project_json(v_project, p_actor, true);
end;
$$;

-- Who is booked on one class, for staff of its community: each child's name, grade and
-- what matters for safety; every child shown is a logged read.
create or replace function public.get_session_roster(p_actor uuid, p_occurrence_id uuid)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_occ public.session_occurrences;
  v_schedule public.session_schedules;
begin
  perform private.require_user(p_actor);
  select * into v_occ from public.session_occurrences where id = p_occurrence_id;
  if v_occ.id is null or not private.is_staff_of(p_actor, v_occ.community_id) then
    perform private.fail('not_found', '没有找到这次课');
  end if;
  select * into v_schedule from public.session_schedules where project_id = v_occ.project_id;
  insert into public.personal_data_access_log (viewer_id, subject_id, child_id, fields)
  select p_actor, b.guardian_id, b.child_id, array['child_name', 'child_safety']
  from public.session_bookings b
  where b.occurrence_id = v_occ.id and b.child_id is not null and b.status in ('booked', 'waitlisted', 'offered');
  return jsonb_build_object(
    'occurrence', private.occurrence_json(v_occ, v_schedule, true, false),
    'projectTitle', (select title from public.projects where id = v_occ.project_id),
    'place', v_schedule.place,
    'children', coalesce((
      select jsonb_agg(jsonb_build_object(
          'bookingId', b.id,
          'status', b.status,
          'waitlistPosition', case when b.status = 'waitlisted' then (
            select count(*) from public.session_bookings w
            where w.occurrence_id = v_occ.id and w.status = 'waitlisted' and w.seq <= b.seq) end,
          'offerExpiresAt', case when b.status = 'offered' then b.offer_expires_at end,
          'childId', c.id,
          'name', c.name,
          'grade', c.grade,
          'school', c.school,
          'allergies', c.allergies,
          'healthNotes', c.health_notes,
          'guardianName', private.display_name(c.guardian_id))
        order by (b.status = 'waitlisted'), b.seq)
      from public.session_bookings b join public.children c on c.id = b.child_id
      where b.occurrence_id = v_occ.id and b.status in ('booked', 'waitlisted', 'offered')), '[]'::jsonb),
    'erased', (select count(*) from public.session_bookings b
               where b.occurrence_id = v_occ.id and b.child_id is null and b.status = 'booked'));
end;
$$;

-- ---------------------------------------------------------------------------
-- The tick: offers that ran out pass on; lines of classes that began end; children
-- past their retention are erased.

create or replace function public.tick_sessions(p_now timestamptz default now())
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_occ public.session_occurrences;
  v_booking public.session_bookings;
  v_child public.children;
  v_title text;
  v_expired integer := 0;
  v_made integer := 0;
  v_erased integer := 0;
  v_today date := (p_now at time zone 'Asia/Shanghai')::date;
begin
  for v_occ in
    select o.* from public.session_occurrences o
    where exists (select 1 from public.session_bookings b
                  where b.occurrence_id = o.id and b.status = 'offered' and b.offer_expires_at <= p_now)
    order by o.starts_at, o.id
    for update skip locked
  loop
    select title into v_title from public.projects where id = v_occ.project_id;
    for v_booking in
      update public.session_bookings set status = 'expired', updated_at = p_now
      where occurrence_id = v_occ.id and status = 'offered' and offer_expires_at <= p_now
      returning *
    loop
      perform private.notify(v_booking.guardian_id, 'session_offer_expired', 'session_offer_expired:' || v_booking.id,
        '候补名额已过期', format('%s：%s 的%s没有在时限内确认，名额已让给下一位',
          (select private.mask_name(name) from public.children where id = v_booking.child_id),
          private.message_time(v_occ.starts_at), v_title),
        '/pages/children/index', jsonb_build_object('bookingId', v_booking.id, 'projectTitle', v_title,
          'time', private.message_time(v_occ.starts_at)));
      perform private.notify_staff(v_occ.community_id, 'session_offer_expired', 'session_offer_expired:' || v_booking.id,
        '课堂候补名额过期', format('%s %s 的候补名额没有确认，已顺延', v_title, private.message_time(v_occ.starts_at)),
        '/staff/pages/session-term/index?id=' || v_occ.project_id,
        jsonb_build_object('occurrenceId', v_occ.id, 'projectTitle', v_title, 'time', private.message_time(v_occ.starts_at)));
      v_expired := v_expired + 1;
    end loop;
    v_made := v_made + private.promote_waitlist(v_occ.id, p_now);
  end loop;

  -- A line for a class that has begun ends: nobody will be offered that seat now.
  update public.session_bookings b set status = 'expired', updated_at = p_now
  from public.session_occurrences o
  where o.id = b.occurrence_id and b.status = 'waitlisted' and o.starts_at <= p_now;

  -- Retention: child_retention_days after the last term the child was booked in ended
  -- (or after it was last entered, if never booked), the child is erased.
  for v_child in
    select c.* from public.children c
    where greatest(c.updated_at, c.consented_at)::date + private.policy('child_retention_days') < v_today
      and not exists (select 1 from public.session_bookings b
                      join public.session_schedules s on s.project_id = b.project_id
                      where b.child_id = c.id
                        and s.term_end + private.policy('child_retention_days') >= v_today)
    for update skip locked
  loop
    perform private.erase_child(v_child, 'retention', null, p_now);
    perform private.notify(v_child.guardian_id, 'child_erased', 'child_erased:' || v_child.id, '孩子的信息已删除',
      format('按儿童个人信息保护的规定，%s 的信息在最后一个学期结束 %s 天后已删除；再报名时请重新登记',
        private.mask_name(v_child.name), private.policy('child_retention_days')),
      '/pages/children/index', '{}'::jsonb);
    v_erased := v_erased + 1;
  end loop;
  return jsonb_build_object('expiredSessionOffers', v_expired, 'sessionOffersMade', v_made, 'erasedChildren', v_erased);
end;
$$;
comment on function public.tick_sessions(timestamptz) is
  'The tick for 四点半课堂: expire offers and pass seats on, end lines of begun classes, erase children past retention.';

-- ---------------------------------------------------------------------------
-- A resend's answer: a child's is drawn again from what is there now (never kept).

create or replace function private.replay_answer(p_actor uuid, p_response jsonb)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_order public.orders;
  v_need public.needs;
  v_wish public.wishes;
  v_child public.children;
  v_kind text;
begin
  if p_response is not null and jsonb_typeof(p_response) = 'object' and p_response ? 'childAnswer' then
    select * into v_child from public.children where id = (p_response->>'childAnswer')::uuid;
    if v_child.id is null or private.child_viewer(p_actor, v_child) is null then
      perform private.fail('not_found', '这个孩子的信息已经删除了');
    end if;
    return private.read_child(p_actor, v_child);
  end if;
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

revoke execute on all functions in schema public from public, anon, authenticated;
revoke execute on all functions in schema private from public, anon, authenticated;
grant execute on function
  public.save_session_schedule(uuid, uuid, jsonb, text),
  public.cancel_session_occurrence(uuid, uuid, text, text),
  public.add_child(uuid, jsonb, text),
  public.update_child(uuid, uuid, jsonb, text),
  public.remove_child(uuid, uuid, text),
  public.list_my_children(uuid),
  public.get_child(uuid, uuid),
  public.book_session(uuid, uuid, uuid, jsonb, text),
  public.confirm_session_offer(uuid, uuid, text),
  public.cancel_session_booking(uuid, uuid, text, text),
  public.list_session_menu(uuid),
  public.get_session_term(uuid, uuid),
  public.get_session_roster(uuid, uuid),
  public.tick_sessions(timestamptz)
to service_role;
