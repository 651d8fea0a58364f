// Fixed ids of the demo street in supabase/seed.sql.
export const SEED = {
  street: 'a0000000-0000-4000-8000-000000000001',
  sunshine: 'c0000000-0000-4000-8000-000000000001', // 阳光社区
  peace: 'c0000000-0000-4000-8000-000000000002', // 和平社区
  sunshineGrid1: 'd0000000-0000-4000-8000-000000000001',
  peaceGrid1: 'd0000000-0000-4000-8000-000000000003',
  residentWang: 'e0000000-0000-4000-8000-000000000001',
  volunteerLi: 'e0000000-0000-4000-8000-000000000004',
  volunteerZhou: 'e0000000-0000-4000-8000-000000000007', // pending review
  staffZhang: 'e0000000-0000-4000-8000-000000000008', // staff of 阳光社区
  staffWu: 'e0000000-0000-4000-8000-000000000009', // staff of 和平社区
  adminHuang: 'e0000000-0000-4000-8000-000000000010', // street admin
} as const;

export const MORE = {
  volunteerZhao: 'e0000000-0000-4000-8000-000000000005', // 阳光社区, tutoring + smartphone
  volunteerSun: 'e0000000-0000-4000-8000-000000000006', // 和平社区, repair + cleaning
  residentChen: 'e0000000-0000-4000-8000-000000000002', // 阳光社区
  residentLiu: 'e0000000-0000-4000-8000-000000000003', // 和平社区
} as const;

/** The second street, 安康街道, with one community: for cross-street isolation. */
export const OTHER_STREET = {
  street: 'a0000000-0000-4000-8000-000000000002', // 安康街道
  kangning: 'c0000000-0000-4000-8000-000000000003', // 康宁社区
  kangningGrid1: 'd0000000-0000-4000-8000-000000000005',
  residentMa: 'e0000000-0000-4000-8000-000000000011', // demo key resident-kang
  volunteerZheng: 'e0000000-0000-4000-8000-000000000012', // approved, smartphone + companionship, demo key volunteer-kang
  staffHe: 'e0000000-0000-4000-8000-000000000013', // staff of 康宁社区, demo key staff-kang
  adminLin: 'e0000000-0000-4000-8000-000000000014', // street admin of 安康街道, demo key street-admin-kang
  oil: 'f0000000-0000-4000-8000-000000000005', // goods of 康宁社区
} as const;
