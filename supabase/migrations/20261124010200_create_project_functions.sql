-- The project menu: staff create, edit, publish, pause and archive projects;
-- residents see the published projects that serve their community.

create or replace function private.project_json(p_project public.projects)
returns jsonb
language sql
stable
set search_path = ''
as $$
  select jsonb_build_object(
    'id', p_project.id,
    'communityId', p_project.community_id,
    'communityName', (select name from public.communities where id = p_project.community_id),
    'title', p_project.title,
    'category', p_project.category,
    'description', p_project.description,
    'mode', p_project.mode,
    'pointsPerHour', p_project.points_per_hour,
    'expectedMinutes', p_project.expected_minutes,
    'maxMinutes', p_project.max_minutes,
    'responseHours', p_project.response_hours,
    'locationNote', p_project.location_note,
    'status', p_project.status,
    'version', p_project.version,
    'updatedAt', p_project.updated_at,
    'requiredSkills', coalesce((
      select jsonb_agg(jsonb_build_object('code', k.code, 'name', k.name) order by k.sort_order)
      from public.project_skills ps join public.skills k on k.code = ps.skill_code
      where ps.project_id = p_project.id), '[]'::jsonb),
    'serviceCommunities', coalesce((
      select jsonb_agg(jsonb_build_object('id', c.id, 'name', c.name) order by c.name)
      from public.project_communities pc join public.communities c on c.id = pc.community_id
      where pc.project_id = p_project.id), '[]'::jsonb));
$$;

-- Creates a project (no id) or edits one (id and the version the editor saw).
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
begin
  perform private.require_user(p_actor);
  v_replay := private.idem_begin(p_actor, p_key, 'save_project', p_input);
  if v_replay is not null then return v_replay; end if;
  perform private.require_staff_of(p_actor, v_community);

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
      community_id, title, category, description, points_per_hour, expected_minutes, max_minutes,
      response_hours, location_note, created_by)
    values (
      v_community, p_input->>'title', (p_input->>'category')::public.service_category,
      coalesce(p_input->>'description', ''), (p_input->>'pointsPerHour')::integer,
      (p_input->>'expectedMinutes')::integer, (p_input->>'maxMinutes')::integer,
      (p_input->>'responseHours')::integer, coalesce(p_input->>'locationNote', ''), p_actor)
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
    update public.projects set
      title = p_input->>'title',
      category = (p_input->>'category')::public.service_category,
      description = coalesce(p_input->>'description', ''),
      points_per_hour = (p_input->>'pointsPerHour')::integer,
      expected_minutes = (p_input->>'expectedMinutes')::integer,
      max_minutes = (p_input->>'maxMinutes')::integer,
      response_hours = (p_input->>'responseHours')::integer,
      location_note = coalesce(p_input->>'locationNote', ''),
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

  return private.idem_finish(p_actor, p_key, private.project_json(v_project));
end;
$$;
comment on function public.save_project(uuid, jsonb, text) is 'Staff create or edit a project (optimistic: the edit names the version it saw).';

create or replace function public.change_project_status(p_actor uuid, p_project_id uuid, p_action text, p_key text)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_replay jsonb;
  v_project public.projects;
  v_to text;
begin
  perform private.require_user(p_actor);
  v_replay := private.idem_begin(p_actor, p_key, 'change_project_status',
    jsonb_build_object('projectId', p_project_id, 'action', p_action));
  if v_replay is not null then return v_replay; end if;
  select * into v_project from public.projects where id = p_project_id for update;
  if v_project.id is null then
    perform private.fail('not_found', '没有找到这个项目');
  end if;
  perform private.require_staff_of(p_actor, v_project.community_id);
  v_to := private.next_status('project', p_action, v_project.status::text);
  update public.projects set
    status = v_to::public.project_status,
    published_at = case when v_to = 'published' then now() else published_at end,
    updated_at = now(),
    version = version + 1
  where id = p_project_id
  returning * into v_project;
  return private.idem_finish(p_actor, p_key, private.project_json(v_project));
end;
$$;
comment on function public.change_project_status(uuid, uuid, text, text) is 'Publish, pause or archive a project, along status_transitions.';

create or replace function public.list_projects(p_actor uuid, p_community_id uuid)
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
    select jsonb_agg(private.project_json(p) order by p.status, p.updated_at desc)
    from public.projects p where p.community_id = p_community_id), '[]'::jsonb);
end;
$$;
comment on function public.list_projects(uuid, uuid) is 'Every project a community''s staff manage, drafts included.';

-- 服务清单 as a resident sees it: published projects serving their community.
create or replace function public.list_menu(p_actor uuid)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_home uuid;
begin
  perform private.require_user(p_actor);
  v_home := private.home_community(p_actor);
  return coalesce((
    select jsonb_agg(private.project_json(p) order by p.category, p.title)
    from public.projects p
    join public.project_communities pc on pc.project_id = p.id and pc.community_id = v_home
    where p.status = 'published'), '[]'::jsonb);
end;
$$;
comment on function public.list_menu(uuid) is 'Published projects a resident may order, for their home community.';

create or replace function public.get_project(p_actor uuid, p_project_id uuid)
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
  if v_project.id is null or not (
    private.is_staff_of(p_actor, v_project.community_id)
    or (v_project.status = 'published' and exists (
      select 1 from public.project_communities pc
      where pc.project_id = v_project.id and pc.community_id = private.home_community(p_actor)))
  ) then
    perform private.fail('not_found', '没有找到这个服务项目');
  end if;
  return private.project_json(v_project);
end;
$$;

create or replace function public.list_skills()
returns jsonb
language sql
stable
security definer
set search_path = ''
as $$
  select coalesce(jsonb_agg(jsonb_build_object('code', code, 'name', name) order by sort_order), '[]'::jsonb)
  from public.skills;
$$;

revoke execute on all functions in schema public from public, anon, authenticated;
revoke execute on all functions in schema private from public, anon, authenticated;
grant execute on function
  public.save_project(uuid, jsonb, text),
  public.change_project_status(uuid, uuid, text, text),
  public.list_projects(uuid, uuid),
  public.list_menu(uuid),
  public.get_project(uuid, uuid),
  public.list_skills()
to service_role;
