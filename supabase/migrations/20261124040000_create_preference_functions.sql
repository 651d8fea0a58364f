-- The person's own settings. 长辈模式 (elder mode): large type, high contrast and a
-- simpler home, following China's 适老化 guidance; anyone may switch it.

create or replace function public.set_elder_mode(p_actor uuid, p_enabled boolean)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform private.require_user(p_actor);
  if p_enabled is null then
    perform private.fail('invalid_input', '请选择打开或关闭长辈模式');
  end if;
  -- Setting it to what it already is changes nothing, so a resent request is harmless.
  update public.users set elder_mode = p_enabled where id = p_actor;
  return jsonb_build_object('elderMode', p_enabled);
end;
$$;
comment on function public.set_elder_mode(uuid, boolean) is 'Turn 长辈模式 on or off for oneself.';

revoke execute on all functions in schema public from public, anon, authenticated;
grant execute on function public.set_elder_mode(uuid, boolean) to service_role;
