-- Login, the session's roles, the user's own profile, home community and the
-- staff overview. Each function takes the acting user's id (from the verified
-- session token, never from a request body) and checks it in the same transaction.

create or replace function public.health_check()
returns jsonb
language sql
stable
set search_path = ''
as $$
  select jsonb_build_object('ok', true, 'at', now());
$$;
comment on function public.health_check() is 'A full round trip for GET /api/health.';

-- How a person is named on screen: real name, else nickname, else 邻居.
create or replace function private.display_name(p_user_id uuid)
returns text
language sql
stable
set search_path = ''
as $$
  select coalesce(real_name, nullif(nickname, ''), '邻居') from public.users where id = p_user_id;
$$;

-- The roles carried in a session token. Authorization is re-checked in every
-- function; the token's copy only shapes the UI.
create or replace function private.session_claims(p_user_id uuid)
returns jsonb
language sql
stable
set search_path = ''
as $$
  select jsonb_build_object(
    'userId', p_user_id,
    'roles', coalesce(
      (select jsonb_agg(
          jsonb_build_object('role', r.role, 'communityId', r.community_id, 'streetId', r.street_id)
          order by r.role, r.id)
       from public.user_roles r
       where r.user_id = p_user_id),
      '[]'::jsonb)
  );
$$;

create or replace function public.login_wechat(p_openid text, p_unionid text default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_user_id uuid;
  v_created boolean;
begin
  if p_openid is null or length(p_openid) not between 1 and 128 then
    perform private.fail('invalid_input', '微信登录信息无效，请重新登录');
  end if;
  -- One statement, so two first logins racing on one openid create one user.
  insert into public.users as u (wechat_openid, wechat_unionid, last_login_at)
  values (p_openid, p_unionid, now())
  on conflict (wechat_openid) do update
    set last_login_at = now(),
        wechat_unionid = coalesce(excluded.wechat_unionid, u.wechat_unionid)
  returning u.id, (xmax = 0) into v_user_id, v_created;
  return private.session_claims(v_user_id) || jsonb_build_object('created', v_created);
end;
$$;
comment on function public.login_wechat(text, text) is 'Find or create the user of a WeChat openid; returns session claims.';

create or replace function public.login_demo(p_demo_key text)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_user_id uuid;
begin
  update public.users set last_login_at = now()
  where demo_key = p_demo_key
  returning id into v_user_id;
  if v_user_id is null then
    perform private.fail('not_found', '没有这个体验身份');
  end if;
  return private.session_claims(v_user_id);
end;
$$;
comment on function public.login_demo(text) is 'Dev-only login as a seeded demo identity (the API refuses it in production).';

create or replace function public.list_demo_identities()
returns jsonb
language sql
stable
security definer
set search_path = ''
as $$
  select coalesce(jsonb_agg(jsonb_build_object(
      'key', u.demo_key,
      'name', private.display_name(u.id),
      'role', top.role,
      'communityName', coalesce(c.name, s.name))
    order by top.role, u.demo_key), '[]'::jsonb)
  from public.users u
  cross join lateral (
    select r.role, r.community_id, r.street_id
    from public.user_roles r
    where r.user_id = u.id
    order by r.role desc
    limit 1
  ) top
  left join public.communities c on c.id = top.community_id
  left join public.streets s on s.id = top.street_id
  where u.demo_key is not null;
$$;
comment on function public.list_demo_identities() is 'The demo identities the dev login screen offers, with their highest role.';

create or replace function private.require_user(p_actor uuid)
returns void
language plpgsql
stable
set search_path = ''
as $$
begin
  if p_actor is null or not exists (select 1 from public.users where id = p_actor) then
    perform private.fail('unauthorized', '登录已失效，请重新登录');
  end if;
end;
$$;

-- Staff of the community, or an admin of its street.
create or replace function private.is_staff_of(p_actor uuid, p_community_id uuid)
returns boolean
language sql
stable
set search_path = ''
as $$
  select exists (
    select 1
    from public.user_roles r
    left join public.communities c on c.id = p_community_id
    where r.user_id = p_actor
      and ((r.role = 'staff' and r.community_id = p_community_id)
        or (r.role = 'street_admin' and r.street_id = c.street_id))
  );
$$;

-- 138****1234: shown to anyone who is not entitled to the full number.
create or replace function private.mask_phone(p_phone text)
returns text
language sql
immutable
set search_path = ''
as $$
  select case
    when p_phone is null then null
    when length(p_phone) < 7 then repeat('*', length(p_phone))
    else left(p_phone, 3) || repeat('*', length(p_phone) - 7) || right(p_phone, 4)
  end;
$$;

-- 阳光小区*** : the estate, not the door.
create or replace function private.mask_address(p_address text)
returns text
language sql
immutable
set search_path = ''
as $$
  select case
    when p_address is null then null
    when p_address ~ '^.{1,20}?(小区|新村|花园|公寓|大厦|苑|村|里|坊)' then
      substring(p_address from '^.{1,20}?(?:小区|新村|花园|公寓|大厦|苑|村|里|坊)') || '***'
    else left(p_address, 4) || '***'
  end;
$$;

create or replace function public.get_me(p_actor uuid)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_me jsonb;
begin
  perform private.require_user(p_actor);
  select jsonb_build_object(
    'id', u.id,
    'name', private.display_name(u.id),
    'nickname', u.nickname,
    'realName', u.real_name,
    'phone', u.phone,
    -- For showing on screen: one's own number, but not to whoever looks over the shoulder.
    'phoneMasked', private.mask_phone(u.phone),
    'address', u.address,
    'elderMode', u.elder_mode,
    'home', (
      select jsonb_build_object(
        'communityId', c.id, 'communityName', c.name, 'servicePhone', c.service_phone,
        'gridName', g.name, 'streetName', s.name)
      from public.user_roles r
      join public.communities c on c.id = r.community_id
      join public.streets s on s.id = c.street_id
      left join public.grids g on g.id = r.grid_id
      where r.user_id = u.id and r.role = 'resident'),
    'roles', coalesce((
      select jsonb_agg(jsonb_build_object(
          'role', r.role,
          'communityId', r.community_id,
          'streetId', r.street_id,
          'scopeName', coalesce(c.name, s.name))
        order by r.role, r.id)
      from public.user_roles r
      left join public.communities c on c.id = r.community_id
      left join public.streets s on s.id = r.street_id
      where r.user_id = u.id), '[]'::jsonb),
    'volunteer', (
      select jsonb_build_object(
        'status', v.status,
        'communityName', c.name,
        'isPartyMember', v.is_party_member,
        'serviceRadiusM', v.service_radius_m,
        'skills', coalesce((
          select jsonb_agg(jsonb_build_object('code', k.code, 'name', k.name) order by k.sort_order)
          from public.volunteer_skills vs join public.skills k on k.code = vs.skill_code
          where vs.user_id = v.user_id), '[]'::jsonb))
      from public.volunteer_profiles v
      join public.communities c on c.id = v.community_id
      where v.user_id = u.id))
  into v_me
  from public.users u
  where u.id = p_actor;
  return v_me;
end;
$$;
comment on function public.get_me(uuid) is 'The actor''s own profile, unmasked: it is their own data.';

create or replace function public.list_communities()
returns jsonb
language sql
stable
security definer
set search_path = ''
as $$
  select coalesce(jsonb_agg(jsonb_build_object(
      'id', c.id, 'name', c.name, 'streetId', s.id, 'streetName', s.name,
      'grids', coalesce((
        select jsonb_agg(jsonb_build_object('id', g.id, 'name', g.name) order by g.name)
        from public.grids g where g.community_id = c.id), '[]'::jsonb))
    order by s.name, c.name), '[]'::jsonb)
  from public.communities c
  join public.streets s on s.id = c.street_id;
$$;
comment on function public.list_communities() is 'Communities and their grids, for choosing a home community.';

create or replace function public.set_home_community(p_actor uuid, p_community_id uuid, p_grid_id uuid default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform private.require_user(p_actor);
  if not exists (select 1 from public.communities where id = p_community_id) then
    perform private.fail('not_found', '没有找到这个社区');
  end if;
  if p_grid_id is not null
     and not exists (select 1 from public.grids where id = p_grid_id and community_id = p_community_id) then
    perform private.fail('invalid_input', '所选网格不属于这个社区');
  end if;
  -- Setting the same home twice is a no-op, so a resent request is harmless.
  insert into public.user_roles (user_id, role, community_id, grid_id)
  values (p_actor, 'resident', p_community_id, p_grid_id)
  on conflict (user_id) where role = 'resident' do update
    set community_id = excluded.community_id, grid_id = excluded.grid_id;
  return private.session_claims(p_actor);
end;
$$;
comment on function public.set_home_community(uuid, uuid, uuid) is 'Choose the community (and grid) the actor lives in; returns fresh session claims.';

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
    'staff', (select count(*) from public.user_roles r
              where r.community_id = c.id and r.role = 'staff'),
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
comment on function public.get_community_overview(uuid, uuid) is 'Staff console figures for one community: people by role and volunteers per skill.';

-- Only the API (service_role) may call these; helpers in private are callable by none.
revoke execute on all functions in schema public from public, anon, authenticated;
revoke execute on all functions in schema private from public, anon, authenticated;
grant execute on function
  public.health_check(),
  public.login_wechat(text, text),
  public.login_demo(text),
  public.list_demo_identities(),
  public.get_me(uuid),
  public.list_communities(),
  public.set_home_community(uuid, uuid, uuid),
  public.get_community_overview(uuid, uuid)
to service_role;
