-- Reading orders: each list is shaped for one role, and personal data is masked
-- unless the viewer needs it. Staff reading a resident's full contact is logged.

create or replace function private.order_timeline(p_order_id uuid, p_kind text)
returns jsonb
language sql
stable
set search_path = ''
as $$
  select coalesce(jsonb_agg(jsonb_build_object(
      'action', e.action,
      'actorRole', e.actor_role,
      'actorName', case when e.actor_id is null then '系统' else private.display_name(e.actor_id) end,
      'fromStatus', e.from_status,
      'toStatus', e.to_status,
      'at', e.at,
      'hasLocation', e.latitude is not null,
      -- Volunteers don't read the resident's or staff's words about a dispute.
      'detail', case when p_kind in ('resident', 'staff') then e.detail else e.detail - 'reason' - 'note' end)
    order by e.id), '[]'::jsonb)
  from public.order_events e
  where e.order_id = p_order_id;
$$;

create or replace function public.get_order(p_actor uuid, p_order_id uuid)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_order public.orders;
  v_kind text;
begin
  perform private.require_user(p_actor);
  select * into v_order from public.orders where id = p_order_id;
  v_kind := case when v_order.id is null then null else private.viewer_kind(p_actor, v_order) end;
  if v_kind is null then
    perform private.fail('not_found', '没有找到这个订单');
  end if;
  if v_kind = 'staff' then
    insert into public.personal_data_access_log (viewer_id, subject_id, order_id, fields)
    values (p_actor, v_order.resident_id, v_order.id, array['address', 'contact_phone']);
  end if;
  return private.order_json(v_order, v_kind, null) || jsonb_build_object(
    'timeline', case when v_kind = 'candidate' then '[]'::jsonb else private.order_timeline(v_order.id, v_kind) end);
end;
$$;
comment on function public.get_order(uuid, uuid) is 'One order with its timeline, as this viewer may see it; staff reads are logged.';

create or replace function public.list_my_orders(p_actor uuid)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  perform private.require_user(p_actor);
  return coalesce((
    select jsonb_agg(private.order_json(o, 'resident', true) order by o.created_at desc)
    from (select * from public.orders
          where resident_id = p_actor or ordered_by = p_actor
          order by created_at desc limit 100) o), '[]'::jsonb);
end;
$$;
comment on function public.list_my_orders(uuid) is 'Orders the actor placed or is served by, newest first.';

-- 任务大厅: open orders this volunteer could take now, soonest first.
create or replace function public.list_task_hall(p_actor uuid)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_profile public.volunteer_profiles;
begin
  perform private.require_user(p_actor);
  select * into v_profile from public.volunteer_profiles where user_id = p_actor;
  if v_profile.user_id is null or v_profile.status <> 'approved' then
    perform private.fail('forbidden', '审核通过的志愿者才能接单');
  end if;
  return coalesce((
    select jsonb_agg(private.order_json(o, 'candidate', false) order by o.window_start)
    from public.orders o
    where o.community_id = v_profile.community_id
      and o.status = 'open'
      and private.why_not_qualified(p_actor, o, now()) is null
      and not private.has_overlap(p_actor, o)
      and not private.offered_elsewhere(o.id, p_actor, now())), '[]'::jsonb);
end;
$$;

create or replace function public.list_my_tasks(p_actor uuid)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  perform private.require_user(p_actor);
  return coalesce((
    select jsonb_agg(private.order_json(o, 'volunteer', null)
      order by (o.status in ('accepted', 'in_service')) desc, o.window_start desc)
    from (select * from public.orders where volunteer_id = p_actor
          order by window_start desc limit 100) o), '[]'::jsonb);
end;
$$;

-- Staff's order list, optionally one status; 'overdue' means open past its response deadline.
create or replace function public.list_community_orders(p_actor uuid, p_community_id uuid, p_status text default null)
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
    select jsonb_agg(private.order_json(o, 'staff', false) order by o.window_start desc)
    from (select * from public.orders
          where community_id = p_community_id
            and (p_status is null or status::text = p_status
                 or (p_status = 'overdue' and status = 'open' and respond_by < now()))
          order by window_start desc limit 200) o), '[]'::jsonb);
end;
$$;

-- Volunteers staff may assign to this order, least loaded first.
create or replace function public.list_assignable_volunteers(p_actor uuid, p_order_id uuid)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_order public.orders;
begin
  perform private.require_user(p_actor);
  select * into v_order from public.orders where id = p_order_id;
  if v_order.id is null then
    perform private.fail('not_found', '没有找到这个订单');
  end if;
  perform private.require_staff_of(p_actor, v_order.community_id);
  return coalesce((
    select jsonb_agg(x order by x->'activeTasks', x->>'name')
    from (
      select jsonb_build_object(
        'id', v.user_id,
        'name', v.real_name,
        'phone', private.mask_phone(v.phone),
        'activeTasks', (select count(*) from public.orders t
                        where t.volunteer_id = v.user_id and t.status in ('accepted', 'in_service')),
        'completedTasks', (select count(*) from public.orders t
                           where t.volunteer_id = v.user_id and t.status = 'confirmed'),
        'skills', coalesce((select jsonb_agg(k.name order by k.sort_order)
                            from public.volunteer_skills vs join public.skills k on k.code = vs.skill_code
                            where vs.user_id = v.user_id), '[]'::jsonb)) as x
      from public.volunteer_profiles v
      where v.community_id = v_order.community_id
        and private.why_not_qualified(v.user_id, v_order, now()) is null
        and not private.has_overlap(v.user_id, v_order)) candidates), '[]'::jsonb);
end;
$$;

-- 代下单: staff look up the resident who phoned, by name or the end of their number.
create or replace function public.find_residents(p_actor uuid, p_community_id uuid, p_query text)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_query text := trim(coalesce(p_query, ''));
begin
  perform private.require_user(p_actor);
  perform private.require_staff_of(p_actor, p_community_id);
  return coalesce((
    select jsonb_agg(jsonb_build_object(
        'id', u.id,
        'name', private.display_name(u.id),
        'phone', private.mask_phone(u.phone),
        'address', private.mask_address(u.address))
      order by coalesce(u.real_name, u.nickname))
    from (select u.* from public.users u
          join public.user_roles r on r.user_id = u.id and r.role = 'resident' and r.community_id = p_community_id
          where v_query = ''
             or u.real_name like '%' || v_query || '%'
             or u.nickname like '%' || v_query || '%'
             or (v_query ~ '^[0-9]{4,11}$' and u.phone like '%' || v_query)
          order by coalesce(u.real_name, u.nickname) limit 20) u), '[]'::jsonb);
end;
$$;

-- What a volunteer may know of their ratings: totals only, never who rated what.
create or replace function public.get_volunteer_summary(p_actor uuid)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  perform private.require_user(p_actor);
  if not exists (select 1 from public.volunteer_profiles where user_id = p_actor) then
    perform private.fail('forbidden', '您还不是志愿者');
  end if;
  return (
    select jsonb_build_object(
      'completedOrders', count(*) filter (where status = 'confirmed'),
      'serviceMinutes', coalesce(sum(service_minutes) filter (where status = 'confirmed'), 0),
      'ratedOrders', count(rating),
      'averageRating', round(avg(rating), 2),
      'ratings', jsonb_build_object(
        'veryGood', count(*) filter (where rating = 3),
        'good', count(*) filter (where rating = 2),
        'fair', count(*) filter (where rating = 1)),
      'tags', coalesce((
        select jsonb_agg(jsonb_build_object('tag', tag, 'count', n) order by n desc, tag)
        from (select tag, count(*) as n from public.orders o2, unnest(o2.rating_tags) tag
              where o2.volunteer_id = p_actor and o2.status = 'confirmed' group by tag) t), '[]'::jsonb))
    from public.orders
    where volunteer_id = p_actor);
end;
$$;

revoke execute on all functions in schema public from public, anon, authenticated;
revoke execute on all functions in schema private from public, anon, authenticated;
grant execute on function
  public.get_order(uuid, uuid),
  public.list_my_orders(uuid),
  public.list_task_hall(uuid),
  public.list_my_tasks(uuid),
  public.list_community_orders(uuid, uuid, text),
  public.list_assignable_volunteers(uuid, uuid),
  public.find_residents(uuid, uuid, text),
  public.get_volunteer_summary(uuid)
to service_role;
