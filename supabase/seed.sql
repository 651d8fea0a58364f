-- Demo street for local development and tests: 幸福街道 with two communities,
-- their grids, staff, volunteers and residents. Safe to run again (on conflict do nothing).
-- Users with a demo_key are the identities the dev login screen offers.

insert into public.streets (id, name) values
  ('a0000000-0000-4000-8000-000000000001', '幸福街道')
on conflict do nothing;

insert into public.communities (id, street_id, name, address, service_phone, latitude, longitude) values
  ('c0000000-0000-4000-8000-000000000001', 'a0000000-0000-4000-8000-000000000001',
   '阳光社区', '幸福街道阳光路12号', '021-55501234', 31.2304, 121.4737),
  ('c0000000-0000-4000-8000-000000000002', 'a0000000-0000-4000-8000-000000000001',
   '和平社区', '幸福街道和平路88号', '021-55505678', 31.2351, 121.4802)
on conflict do nothing;

insert into public.grids (id, community_id, name) values
  ('d0000000-0000-4000-8000-000000000001', 'c0000000-0000-4000-8000-000000000001', '第一网格'),
  ('d0000000-0000-4000-8000-000000000002', 'c0000000-0000-4000-8000-000000000001', '第二网格'),
  ('d0000000-0000-4000-8000-000000000003', 'c0000000-0000-4000-8000-000000000002', '第一网格'),
  ('d0000000-0000-4000-8000-000000000004', 'c0000000-0000-4000-8000-000000000002', '第二网格')
on conflict do nothing;

insert into public.skills (code, name, sort_order) values
  ('smartphone', '智能手机教学', 1),
  ('tutoring', '课业辅导', 2),
  ('companionship', '陪伴聊天', 3),
  ('meal_delivery', '助餐送餐', 4),
  ('cleaning', '家政保洁', 5),
  ('legal', '法律咨询', 6),
  ('medical', '医疗健康', 7),
  ('counseling', '心理疏导', 8),
  ('repair', '家电维修', 9)
on conflict do nothing;

insert into public.users (id, demo_key, nickname, real_name, phone, address, elder_mode) values
  ('e0000000-0000-4000-8000-000000000001', 'resident', '王阿姨', '王秀英', '13812341234', '阳光小区3栋2单元501', true),
  ('e0000000-0000-4000-8000-000000000002', 'resident-chen', '老陈', '陈建国', '13912345678', '阳光小区7栋1单元302', true),
  ('e0000000-0000-4000-8000-000000000003', 'resident-liu', '刘芳', '刘芳', '13698765432', '和平新村2栋601', false),
  ('e0000000-0000-4000-8000-000000000004', 'volunteer', '李明', '李明', '13700001111', '阳光小区1栋1单元101', false),
  ('e0000000-0000-4000-8000-000000000005', 'volunteer-zhao', '赵丽', '赵丽', '13700002222', '阳光小区5栋402', false),
  ('e0000000-0000-4000-8000-000000000006', 'volunteer-sun', '孙强', '孙强', '13700003333', '和平新村6栋201', false),
  ('e0000000-0000-4000-8000-000000000007', 'volunteer-zhou', '周婷', '周婷', '13700004444', '阳光小区9栋303', false),
  ('e0000000-0000-4000-8000-000000000008', 'staff', '张主任', '张红梅', '13600005555', null, false),
  ('e0000000-0000-4000-8000-000000000009', 'staff-wu', '吴敏', '吴敏', '13600006666', null, false),
  ('e0000000-0000-4000-8000-000000000010', 'street-admin', '黄志刚', '黄志刚', '13600007777', null, false)
on conflict do nothing;

insert into public.user_roles (user_id, role, community_id, street_id, grid_id) values
  ('e0000000-0000-4000-8000-000000000001', 'resident', 'c0000000-0000-4000-8000-000000000001', null, 'd0000000-0000-4000-8000-000000000001'),
  ('e0000000-0000-4000-8000-000000000002', 'resident', 'c0000000-0000-4000-8000-000000000001', null, 'd0000000-0000-4000-8000-000000000002'),
  ('e0000000-0000-4000-8000-000000000003', 'resident', 'c0000000-0000-4000-8000-000000000002', null, 'd0000000-0000-4000-8000-000000000003'),
  ('e0000000-0000-4000-8000-000000000004', 'resident', 'c0000000-0000-4000-8000-000000000001', null, 'd0000000-0000-4000-8000-000000000001'),
  ('e0000000-0000-4000-8000-000000000005', 'resident', 'c0000000-0000-4000-8000-000000000001', null, 'd0000000-0000-4000-8000-000000000002'),
  ('e0000000-0000-4000-8000-000000000006', 'resident', 'c0000000-0000-4000-8000-000000000002', null, 'd0000000-0000-4000-8000-000000000004'),
  ('e0000000-0000-4000-8000-000000000007', 'resident', 'c0000000-0000-4000-8000-000000000001', null, null),
  ('e0000000-0000-4000-8000-000000000004', 'volunteer', 'c0000000-0000-4000-8000-000000000001', null, null),
  ('e0000000-0000-4000-8000-000000000005', 'volunteer', 'c0000000-0000-4000-8000-000000000001', null, null),
  ('e0000000-0000-4000-8000-000000000006', 'volunteer', 'c0000000-0000-4000-8000-000000000002', null, null),
  ('e0000000-0000-4000-8000-000000000008', 'staff', 'c0000000-0000-4000-8000-000000000001', null, null),
  ('e0000000-0000-4000-8000-000000000009', 'staff', 'c0000000-0000-4000-8000-000000000002', null, null),
  ('e0000000-0000-4000-8000-000000000010', 'street_admin', null, 'a0000000-0000-4000-8000-000000000001', null)
on conflict do nothing;

insert into public.volunteer_profiles
  (user_id, community_id, real_name, phone, is_party_member, service_radius_m, status, reviewed_by, reviewed_at) values
  ('e0000000-0000-4000-8000-000000000004', 'c0000000-0000-4000-8000-000000000001', '李明', '13700001111',
   true, 3000, 'approved', 'e0000000-0000-4000-8000-000000000008', '2026-09-01 10:00+08'),
  ('e0000000-0000-4000-8000-000000000005', 'c0000000-0000-4000-8000-000000000001', '赵丽', '13700002222',
   false, 2000, 'approved', 'e0000000-0000-4000-8000-000000000008', '2026-09-03 15:30+08'),
  ('e0000000-0000-4000-8000-000000000006', 'c0000000-0000-4000-8000-000000000002', '孙强', '13700003333',
   true, 5000, 'approved', 'e0000000-0000-4000-8000-000000000009', '2026-09-10 09:20+08'),
  ('e0000000-0000-4000-8000-000000000007', 'c0000000-0000-4000-8000-000000000001', '周婷', '13700004444',
   false, 3000, 'pending', null, null)
on conflict do nothing;

insert into public.volunteer_skills (user_id, skill_code) values
  ('e0000000-0000-4000-8000-000000000004', 'smartphone'),
  ('e0000000-0000-4000-8000-000000000004', 'companionship'),
  ('e0000000-0000-4000-8000-000000000005', 'tutoring'),
  ('e0000000-0000-4000-8000-000000000005', 'smartphone'),
  ('e0000000-0000-4000-8000-000000000006', 'repair'),
  ('e0000000-0000-4000-8000-000000000006', 'cleaning'),
  ('e0000000-0000-4000-8000-000000000007', 'smartphone')
on conflict do nothing;

insert into public.volunteer_availability (user_id, weekday, starts_at, ends_at)
select v.user_id, v.weekday, v.starts_at, v.ends_at
from (values
  ('e0000000-0000-4000-8000-000000000004'::uuid, 6::smallint, '09:00'::time, '12:00'::time),
  ('e0000000-0000-4000-8000-000000000004'::uuid, 7::smallint, '14:00'::time, '18:00'::time),
  ('e0000000-0000-4000-8000-000000000005'::uuid, 1::smallint, '16:00'::time, '18:30'::time),
  ('e0000000-0000-4000-8000-000000000005'::uuid, 3::smallint, '16:00'::time, '18:30'::time),
  ('e0000000-0000-4000-8000-000000000005'::uuid, 5::smallint, '16:00'::time, '18:30'::time),
  ('e0000000-0000-4000-8000-000000000006'::uuid, 6::smallint, '08:00'::time, '17:00'::time)
) as v (user_id, weekday, starts_at, ends_at)
where not exists (select 1 from public.volunteer_availability a where a.user_id = v.user_id);

-- 积分超市: donated goods; stock arrives as donation movements, as it does in the app.
insert into public.goods (id, community_id, name, description, donor, price_points, monthly_limit, stock) values
  ('f0000000-0000-4000-8000-000000000001', 'c0000000-0000-4000-8000-000000000001',
   '环保购物袋', '结实的帆布袋，买菜用', '阳光超市', 10, 3, 30),
  ('f0000000-0000-4000-8000-000000000002', 'c0000000-0000-4000-8000-000000000001',
   '洗衣液 2 升', '家用洗衣液', '阳光超市', 60, 1, 12),
  ('f0000000-0000-4000-8000-000000000003', 'c0000000-0000-4000-8000-000000000001',
   '东北大米 5 公斤', '新米', '邻家粮油店', 150, 1, 5),
  ('f0000000-0000-4000-8000-000000000004', 'c0000000-0000-4000-8000-000000000002',
   '纯棉毛巾', '两条装', '和平百货', 20, 2, 20)
on conflict do nothing;

insert into public.stock_movements (goods_id, kind, quantity, actor_id, note)
select g.id, 'donation', g.stock, null, '首批捐赠'
from public.goods g
where g.id in ('f0000000-0000-4000-8000-000000000001', 'f0000000-0000-4000-8000-000000000002',
               'f0000000-0000-4000-8000-000000000003', 'f0000000-0000-4000-8000-000000000004')
  and not exists (select 1 from public.stock_movements m where m.goods_id = g.id);

-- Opening balances carried over from the paper records, as staff adjustments (replayed, not repeated, on re-run).
select public.adjust_points('e0000000-0000-4000-8000-000000000008', 'e0000000-0000-4000-8000-000000000004',
  120, '2025 年纸质台账积分结转', 'seed-opening-balance-li');
select public.adjust_points('e0000000-0000-4000-8000-000000000008', 'e0000000-0000-4000-8000-000000000005',
  80, '2025 年纸质台账积分结转', 'seed-opening-balance-zhao');
