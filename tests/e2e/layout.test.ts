import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../functions/src/db/paths';
import { launchBrowser } from '../support/browser';
import { type DevServer, startDevServer } from '../support/dev-server';
import { photoForm, testPhoto } from '../support/photo';

/**
 * Every page of every package, with long content and with nothing at all, at 390×844 in normal
 * and 长辈模式, with checks a person would otherwise have to see for themselves: labels keep their
 * width, nothing runs off the side, 长辈模式 text is ≥ 18 px, tap targets are ≥ 60 px tall in
 * 长辈模式 and ≥ 44 px always. A screenshot per page and mode lands in tests/e2e/artifacts/layout/.
 */

const ARTIFACTS = join(REPO_ROOT, 'tests', 'e2e', 'artifacts', 'layout');
const SUNSHINE = 'c0000000-0000-4000-8000-000000000001'; // 阳光社区
const PEACE = 'c0000000-0000-4000-8000-000000000002'; // 和平社区
const WANG = 'e0000000-0000-4000-8000-000000000001'; // resident
const LI = 'e0000000-0000-4000-8000-000000000004'; // volunteer
const ZHANG = 'e0000000-0000-4000-8000-000000000008'; // staff of 阳光社区
const ZHAO = 'e0000000-0000-4000-8000-000000000005'; // volunteer of 阳光社区 with no services yet
const CHEN = 'e0000000-0000-4000-8000-000000000015'; // volunteer of 阳光社区 with seeded services

const LONG_NAME = '欧阳娜娜提木·买买提江·阿不都热合曼';
const LONG_VOLUNTEER = '司马相如·艾尔肯·努尔买买提江';
const repeat = (text: string, length: number) =>
  text.repeat(Math.ceil(length / text.length)).slice(0, length);
const LONG_ADDRESS = repeat('幸福街道阳光路阳光小区十二号楼三单元五零一室靠近东门菜市场旁边的老楼', 100);
const LONG_NOTE = repeat(
  '老人家腿脚不便，耳朵也不太好，请敲门大声一点并多等一会儿。需要教会用手机挂号、视频通话和付款，最好能写在纸上留给她看。',
  300,
);
const LONG_PROJECT = repeat('智能手机上门辅导：挂号、视频通话、扫码付款与防诈骗提醒一对一', 40);
const LONG_GOODS = repeat('东北五常有机长粒香大米五公斤装（社区爱心企业捐赠）', 40);

let server: DevServer;
let browser: Browser;
let projectId = '';
let acceptedOrder = '';
let verifyCode = '';
/** Needs and wishes with the longest texts the schemas allow (makeNeedsAndWishes). */
const needs = { review: '', case: '', wishOpen: '', wishClaimed: '', wishFulfilled: '' };

interface Identity {
  key: string;
  token: string;
  session: unknown;
}
const identities = new Map<string, Identity>();

const api = async (path: string, init: RequestInit & { token?: string } = {}) => {
  const response = await fetch(`${server.url}/api${path}`, {
    ...init,
    headers: {
      'content-type': 'application/json',
      'idempotency-key': crypto.randomUUID(),
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
    },
  });
  return { status: response.status, body: await response.json().catch(() => null) };
};

async function identity(key: string): Promise<Identity> {
  const known = identities.get(key);
  if (known) return known;
  const login = await api('/auth/dev', { method: 'POST', body: JSON.stringify({ identity: key }) });
  expect(login.status, JSON.stringify(login.body)).toBe(200);
  const made = { key, token: login.body.token, session: login.body };
  identities.set(key, made);
  return made;
}

/** 10:00 Shanghai `days` from now. */
function shanghaiMorning(days: number, hour = 10): number {
  const shanghai = new Date(Date.now() + 8 * 3_600_000);
  return Date.UTC(shanghai.getUTCFullYear(), shanghai.getUTCMonth(), shanghai.getUTCDate() + days, hour - 8);
}

async function placeOrder(resident: string, days: number): Promise<string> {
  const start = shanghaiMorning(days);
  const order = await api('/orders', {
    method: 'POST',
    token: resident,
    body: JSON.stringify({
      projectId,
      windowStart: new Date(start).toISOString(),
      windowEnd: new Date(start + 2 * 3_600_000).toISOString(),
      address: LONG_ADDRESS,
      contactPhone: '13812341234',
      notes: LONG_NOTE,
    }),
  });
  expect(order.status, JSON.stringify(order.body)).toBeLessThan(300);
  return order.body.id;
}

/** Long names, a 100-character address, a 300-character note, 8 skills, 1,234,567 points. */
async function makeLongContent(): Promise<void> {
  await server.sql('update public.users set real_name = $1, nickname = $1, address = $2 where id = $3', [
    LONG_NAME,
    LONG_ADDRESS,
    WANG,
  ]);
  await server.sql('update public.users set real_name = $1, nickname = $1 where id = $2', [
    LONG_VOLUNTEER,
    LI,
  ]);
  await server.sql(
    `insert into public.volunteer_skills (user_id, skill_code)
       select $1, code from public.skills order by sort_order limit 8 on conflict do nothing`,
    [LI],
  );
  const staff = await identity('staff');
  const resident = await identity('resident');
  const volunteer = await identity('volunteer');

  const project = await api('/projects', {
    method: 'POST',
    token: staff.token,
    body: JSON.stringify({
      communityId: SUNSHINE,
      title: LONG_PROJECT,
      category: 'smart_elderly',
      description: repeat('志愿者上门，一对一教老人用智能手机：挂号、视频、付款、识别诈骗电话。', 400),
      requiredSkills: ['smartphone'],
      pointsPerHour: 999,
      expectedMinutes: 90,
      maxMinutes: 180,
      serviceCommunityIds: [SUNSHINE, PEACE],
      responseHours: 24,
    }),
  });
  expect(project.status, JSON.stringify(project.body)).toBeLessThan(300);
  projectId = project.body.id;
  const published = await api(`/projects/${projectId}/status`, {
    method: 'POST',
    token: staff.token,
    body: '{"action":"publish"}',
  });
  expect(published.status, JSON.stringify(published.body)).toBeLessThan(300);

  acceptedOrder = await placeOrder(resident.token, 1);
  await placeOrder(resident.token, 2); // stays open: the task hall and staff lists
  const accepted = await api(`/orders/${acceptedOrder}/accept`, { method: 'POST', token: volunteer.token });
  expect(accepted.status, JSON.stringify(accepted.body)).toBeLessThan(300);

  // 1,234,567 points: adjust_points takes at most 10,000 at once, so 123 of those and the rest.
  await server.sql(
    `select count(public.adjust_points($1, $2, 10000, '社区年度优秀志愿者表彰，特别奖励积分', 'layout-' || g))
       from generate_series(1, 123) g`,
    [ZHANG, LI],
  );
  await server.sql('select public.adjust_points($1, $2, 4567, $3, $4)', [
    ZHANG,
    LI,
    repeat('社区年度优秀志愿者表彰，特别奖励积分，感谢多年来风雨无阻的上门服务', 120),
    crypto.randomUUID(),
  ]);

  const goods = await api('/goods', {
    method: 'POST',
    token: staff.token,
    body: JSON.stringify({
      communityId: SUNSHINE,
      name: LONG_GOODS,
      description: repeat('新米，真空包装，保质期十二个月。', 300),
      donor: repeat('幸福街道阳光路爱心粮油批发有限公司（第三分店）', 60),
      pricePoints: 99_999,
      monthlyLimit: 100,
    }),
  });
  expect(goods.status, JSON.stringify(goods.body)).toBeLessThan(300);
  const stocked = await api(`/goods/${goods.body.id}/stock`, {
    method: 'POST',
    token: staff.token,
    body: JSON.stringify({ quantity: 9999, note: '爱心企业捐赠' }),
  });
  expect(stocked.status, JSON.stringify(stocked.body)).toBeLessThan(300);
  const redeemed = await api(`/goods/${goods.body.id}/redeem`, {
    method: 'POST',
    token: volunteer.token,
    body: JSON.stringify({ quantity: 3 }),
  });
  expect(redeemed.status, JSON.stringify(redeemed.body)).toBeLessThan(300);

  await makeRecordsAndCertificates(staff.token);
  await makeNeedsAndWishes();
  await makeProofApplication();
}

const LONG_NEED = repeat(
  '楼上漏水把我家卫生间的天花板泡坏了，墙皮一块块往下掉，晚上滴答滴答睡不着，找过楼上几次都没人开门，物业说要业主自己协商，我年纪大了腿脚不方便，实在不知道该怎么办。',
  500,
);
const LONG_REPLY = repeat(
  '已联系物业和楼上业主，约好本周六上午一起上门查看漏水点，维修费用由责任方承担，修好后社区再回访。',
  300,
);

/** A photo uploaded as `purpose` by `token`, as wx.uploadFile sends it; its id. */
async function uploadPhoto(token: string, seed: number, purpose: string): Promise<string> {
  const form = photoForm(testPhoto(seed, 256), `photo-${seed}.jpg`);
  form.append('purpose', purpose);
  const response = await fetch(`${server.url}/api/uploads`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'idempotency-key': crypto.randomUUID() },
    body: form,
  });
  const body = await response.json();
  expect(response.status, JSON.stringify(body)).toBe(200);
  return body.id;
}

const write = async (path: string, token: string, body: object) => {
  const done = await api(path, { method: 'POST', token, body: JSON.stringify(body) });
  expect(done.status, `${path}: ${JSON.stringify(done.body)}`).toBeLessThan(300);
  return done.body;
};

/**
 * 王秀英's needs at 500 characters with three photos: one waiting for review, one a 社区事务 with a
 * 300-character reply, and three published as wishes (40-character title, 300-character description,
 * the most points): one open with gifts, one claimed by 李明, one fulfilled with a long note.
 */
async function makeNeedsAndWishes(): Promise<void> {
  const resident = await identity('resident');
  const staff = await identity('staff');
  const volunteer = await identity('volunteer');
  const photoIds: string[] = [];
  for (const seed of [1, 2, 3]) photoIds.push(await uploadPhoto(resident.token, seed, 'need_photo'));
  const policy = (await api('/me', { token: resident.token })).body.policy;
  const post = async (visibility: string) =>
    (await write('/needs', resident.token, { body: LONG_NEED, urgent: true, visibility, photoIds })).id;

  needs.review = await post('neighbours');
  needs.case = await post('staff');
  const opened = await write(`/needs/${needs.case}/review`, staff.token, { decision: 'open_case' });
  await write(`/cases/${opened.case.id}`, staff.token, { status: 'in_progress', reply: LONG_REPLY });

  const publish = async () => {
    const need = await post('neighbours');
    const published = await write(`/needs/${need}/review`, staff.token, {
      decision: 'publish_wish',
      title: repeat('帮独居老人换楼道灯泡并检查家里的电线插座是否安全', 40),
      description: repeat(
        '老人独居，楼道和卫生间的灯坏了好几天，晚上起夜看不见，需要有人帮忙买灯泡换上，顺便看看插座。',
        300,
      ),
      points: policy.wishPointsMax,
      deadline: new Date(Date.now() + 5 * 86_400_000).toISOString(),
    });
    return published.wishId as string;
  };
  needs.wishOpen = await publish();
  await write(`/wishes/${needs.wishOpen}/donate`, volunteer.token, { amount: policy.wishDonationMax });
  needs.wishClaimed = await publish();
  await write(`/wishes/${needs.wishClaimed}/claim`, volunteer.token, {});
  needs.wishFulfilled = await publish();
  await write(`/wishes/${needs.wishFulfilled}/claim`, volunteer.token, {});
  await write(`/wishes/${needs.wishFulfilled}/fulfil`, volunteer.token, {
    photoId: await uploadPhoto(volunteer.token, 4, 'wish_proof'),
    note: repeat('灯泡已经换好，楼道和卫生间都亮了；插座有一个松动，已经拧紧，提醒老人不要用湿手碰。', 300),
  });
}

/** 陈建国 applies with a licensed skill and its proof photo: staff see the photo beside 认证. */
async function makeProofApplication(): Promise<void> {
  const chen = await identity('resident-chen');
  const proof = await uploadPhoto(chen.token, 5, 'skill_proof');
  await write('/volunteer/application', chen.token, {
    realName: '陈建国',
    phone: '13912345678',
    idNumber: '11010519491231002X',
    skills: [
      { code: 'repair', proofUrl: `/api/uploads/${proof}` },
      { code: 'smartphone', proofUrl: '' },
    ],
    availability: [{ weekday: 6, start: '09:00', end: '18:00' }],
    serviceRadiusM: 3000,
    isPartyMember: false,
    employer: '',
    pledge: true,
  });
}

/**
 * 陈静's seeded service records: a certificate issued, then one of its records corrected with a
 * long reason (so that certificate reads 已失效), then a second certificate that stands.
 */
async function makeRecordsAndCertificates(staffToken: string): Promise<void> {
  const chen = await identity('volunteer-chen');
  const year = new Date(Date.now() + 8 * 3_600_000).getUTCFullYear();
  const period = JSON.stringify({ from: `${year - 1}-01-01`, to: new Date().toISOString().slice(0, 10) });
  const first = await api('/volunteer/certificates', { method: 'POST', token: chen.token, body: period });
  expect(first.status, JSON.stringify(first.body)).toBeLessThan(300);
  const records = await api(`/staff/volunteers/${CHEN}/records?from=${year - 1}-01-01`, {
    token: staffToken,
  });
  expect(records.status, JSON.stringify(records.body)).toBe(200);
  const record = records.body.records.find((r: { actions: string[] }) => r.actions.includes('correct'));
  expect(record, 'a record staff may correct').toBeDefined();
  const corrected = await api(`/staff/service-records/${record.id}/corrections`, {
    method: 'POST',
    token: staffToken,
    body: JSON.stringify({
      minutes: Math.max(1, Math.floor(record.minutes / 2)),
      reason: repeat('居民家属来电反映志愿者提前离开，社区回访核实后按实际服务时间更正。', 200),
    }),
  });
  expect(corrected.status, JSON.stringify(corrected.body)).toBeLessThan(300);
  const second = await api('/volunteer/certificates', { method: 'POST', token: chen.token, body: period });
  expect(second.status, JSON.stringify(second.body)).toBeLessThan(300);
  verifyCode = second.body.verifyCode;
}

interface Target {
  /** File name of the screenshot. */
  name: string;
  /** Demo identity, or null for signed out. */
  who: string | null;
  /** Route with its query. */
  path: () => string;
  /** A tap that opens part of the page first (a form behind a button), before it is measured. */
  open?: string;
}

const targets: Target[] = [
  { name: 'login', who: null, path: () => 'pages/login/index' },
  { name: 'privacy', who: null, path: () => 'pages/privacy/index' },
  // The public check of a certificate: a found one, and the empty form.
  { name: 'verify', who: null, path: () => `pages/verify/index?code=${verifyCode}` },
  { name: 'verify-empty', who: null, path: () => 'pages/verify/index' },
  // Resident, long content.
  { name: 'home', who: 'resident', path: () => 'pages/index/index' },
  { name: 'orders', who: 'resident', path: () => 'pages/orders/index' },
  { name: 'inbox', who: 'resident', path: () => 'pages/inbox/index' },
  { name: 'me', who: 'resident', path: () => 'pages/me/index' },
  { name: 'home-community', who: 'resident', path: () => 'pages/home-community/index' },
  { name: 'menu', who: 'resident', path: () => 'pages/menu/index' },
  { name: 'order-form', who: 'resident', path: () => `pages/order-form/index?projectId=${projectId}` },
  { name: 'order-detail', who: 'resident', path: () => `pages/order-detail/index?id=${acceptedOrder}` },
  // Volunteer with 8 skills and 1,234,567 points.
  { name: 'volunteer-profile', who: 'volunteer', path: () => 'volunteer/pages/profile/index' },
  { name: 'volunteer-offers', who: 'volunteer', path: () => 'volunteer/pages/offers/index' },
  { name: 'volunteer-hall', who: 'volunteer', path: () => 'volunteer/pages/hall/index' },
  { name: 'volunteer-tasks', who: 'volunteer', path: () => 'volunteer/pages/tasks/index' },
  { name: 'volunteer-task', who: 'volunteer', path: () => `volunteer/pages/task/index?id=${acceptedOrder}` },
  { name: 'volunteer-profile-edit', who: 'volunteer', path: () => 'volunteer/pages/profile-edit/index' },
  // 陈静: seeded service records, one corrected, a certificate 已失效 and one 有效.
  { name: 'volunteer-records', who: 'volunteer-chen', path: () => 'volunteer/pages/records/index' },
  { name: 'volunteer-certificates', who: 'volunteer-chen', path: () => 'volunteer/pages/certificates/index' },
  { name: 'volunteer-chen-profile', who: 'volunteer-chen', path: () => 'volunteer/pages/profile/index' },
  { name: 'store-wallet', who: 'volunteer', path: () => 'store/pages/wallet/index' },
  { name: 'store-goods', who: 'volunteer', path: () => 'store/pages/goods/index' },
  { name: 'store-redemptions', who: 'volunteer', path: () => 'store/pages/redemptions/index' },
  // Staff of 阳光社区.
  { name: 'staff-console', who: 'staff', path: () => 'staff/pages/console/index' },
  { name: 'staff-projects', who: 'staff', path: () => `staff/pages/projects/index?communityId=${SUNSHINE}` },
  {
    name: 'staff-project-edit',
    who: 'staff',
    path: () => `staff/pages/project-edit/index?communityId=${SUNSHINE}&id=${projectId}`,
  },
  { name: 'staff-orders', who: 'staff', path: () => `staff/pages/orders/index?communityId=${SUNSHINE}` },
  { name: 'staff-order', who: 'staff', path: () => `staff/pages/order/index?id=${acceptedOrder}` },
  {
    name: 'staff-proxy-order',
    who: 'staff',
    path: () => `staff/pages/proxy-order/index?communityId=${SUNSHINE}`,
  },
  { name: 'staff-goods', who: 'staff', path: () => `staff/pages/goods/index?communityId=${SUNSHINE}` },
  { name: 'staff-pickup', who: 'staff', path: () => `staff/pages/pickup/index?communityId=${SUNSHINE}` },
  { name: 'staff-people', who: 'staff', path: () => `staff/pages/people/index?communityId=${SUNSHINE}` },
  { name: 'staff-ledger', who: 'staff', path: () => `staff/pages/ledger/index?userId=${LI}` },
  {
    name: 'staff-volunteer-records',
    who: 'staff',
    path: () => `staff/pages/volunteer-records/index?userId=${CHEN}`,
  },
  // 我要求助 and 微心愿: 500-character needs with three photos, 300-character replies, 40-character titles.
  { name: 'need-form', who: 'resident', path: () => 'pages/need-form/index' },
  { name: 'needs', who: 'resident', path: () => 'pages/needs/index' },
  { name: 'need', who: 'resident', path: () => `pages/need/index?id=${needs.case}` },
  { name: 'need-review', who: 'resident', path: () => `pages/need/index?id=${needs.review}` },
  { name: 'wishes', who: 'volunteer', path: () => 'pages/wishes/index' },
  { name: 'wish-open', who: 'volunteer', path: () => `pages/wish/index?id=${needs.wishOpen}` },
  { name: 'wish-claimed', who: 'volunteer', path: () => `pages/wish/index?id=${needs.wishClaimed}` },
  {
    name: 'wish-release',
    who: 'volunteer',
    path: () => `pages/wish/index?id=${needs.wishClaimed}`,
    open: '.release-wish',
  },
  { name: 'wish-fulfilled', who: 'resident', path: () => `pages/wish/index?id=${needs.wishFulfilled}` },
  { name: 'wishes-neighbour', who: 'resident', path: () => 'pages/wishes/index' },
  { name: 'staff-needs', who: 'staff', path: () => `staff/pages/needs/index?communityId=${SUNSHINE}` },
  { name: 'staff-need', who: 'staff', path: () => `staff/pages/need/index?id=${needs.review}` },
  {
    name: 'staff-need-wish',
    who: 'staff',
    path: () => `staff/pages/need/index?id=${needs.review}`,
    open: '.decide-publish_wish',
  },
  {
    name: 'staff-need-order',
    who: 'staff',
    path: () => `staff/pages/need/index?id=${needs.review}`,
    open: '.decide-make_order',
  },
  {
    name: 'staff-need-merge',
    who: 'staff',
    path: () => `staff/pages/need/index?id=${needs.review}`,
    open: '.decide-merge',
  },
  {
    name: 'staff-need-decline',
    who: 'staff',
    path: () => `staff/pages/need/index?id=${needs.review}`,
    open: '.decide-decline',
  },
  { name: 'staff-need-case', who: 'staff', path: () => `staff/pages/need/index?id=${needs.case}` },
  { name: 'staff-wish', who: 'staff', path: () => `pages/wish/index?id=${needs.wishOpen}` },
  {
    name: 'staff-post-need',
    who: 'staff',
    path: () => `staff/pages/post-need/index?communityId=${SUNSHINE}`,
  },
  {
    name: 'staff-people-pending',
    who: 'staff',
    path: () => `staff/pages/people/index?communityId=${SUNSHINE}&status=pending`,
  },
  // Empty lists: a resident and a volunteer with nothing yet, staff of a community with no orders.
  { name: 'empty-orders', who: 'resident-liu', path: () => 'pages/orders/index' },
  { name: 'empty-inbox', who: 'resident-liu', path: () => 'pages/inbox/index' },
  { name: 'empty-volunteer-tasks', who: 'volunteer-zhao', path: () => 'volunteer/pages/tasks/index' },
  { name: 'empty-volunteer-offers', who: 'volunteer-zhao', path: () => 'volunteer/pages/offers/index' },
  { name: 'empty-volunteer-records', who: 'volunteer-zhao', path: () => 'volunteer/pages/records/index' },
  {
    name: 'empty-volunteer-certificates',
    who: 'volunteer-zhao',
    path: () => 'volunteer/pages/certificates/index',
  },
  {
    name: 'empty-staff-volunteer-records',
    who: 'staff',
    path: () => `staff/pages/volunteer-records/index?userId=${ZHAO}`,
  },
  // A resident who is not a volunteer: the empty application form.
  { name: 'volunteer-apply', who: 'resident-liu', path: () => 'volunteer/pages/apply/index' },
  { name: 'empty-store-wallet', who: 'volunteer-zhao', path: () => 'store/pages/wallet/index' },
  { name: 'empty-store-redemptions', who: 'volunteer-zhao', path: () => 'store/pages/redemptions/index' },
  {
    name: 'empty-staff-orders',
    who: 'staff-wu',
    path: () => `staff/pages/orders/index?communityId=${PEACE}`,
  },
  { name: 'empty-staff-goods', who: 'staff-wu', path: () => `staff/pages/goods/index?communityId=${PEACE}` },
  { name: 'empty-needs', who: 'resident-liu', path: () => 'pages/needs/index' },
  { name: 'empty-wishes', who: 'resident-liu', path: () => 'pages/wishes/index' },
  { name: 'empty-staff-needs', who: 'staff-wu', path: () => `staff/pages/needs/index?communityId=${PEACE}` },
  {
    name: 'volunteer-apply-licensed',
    who: 'resident-liu',
    path: () => 'volunteer/pages/apply/index',
    open: '.apply-skill:has-text("家电维修")',
  },
];

/** Elements a finger taps: buttons, inputs, and rows that open something. */
const TAPPABLE = [
  'taro-button-core',
  'button',
  '.btn',
  'taro-input-core',
  'taro-textarea-core',
  'taro-picker-core',
  '.chip',
  '.lrow-link',
  '.category',
  '.inbox-item',
  '.demo-identity',
  '.privacy-link',
  '.login-privacy-link',
  '.menu-project',
  '.weui-switch',
  '.weui-tabbar__item',
].join(',');

/** Classes that name a label: they must keep their own text's width. */
const LABELS = '[class*="label"], .row-label, .lrow-label';

interface Findings {
  overflow: string[];
  squeezedLabels: string[];
  smallText: string[];
  smallTargets: string[];
  texts: number;
  targets: number;
  labels: number;
}

/** Runs in the page: measures the visible Taro page and the tab bar. */
function measure({
  elder,
  tappable,
  labels,
}: {
  elder: boolean;
  tappable: string;
  labels: string;
}): Findings {
  const findings: Findings = {
    overflow: [],
    squeezedLabels: [],
    smallText: [],
    smallTargets: [],
    texts: 0,
    targets: 0,
    labels: 0,
  };
  const root = document.querySelector(
    '.taro_page.taro_page_stationed:not(.taro_page_shade)',
  ) as HTMLElement | null;
  const scopes: Element[] = [root ?? document.body];
  const tabbar = document.querySelector('.taro-tabbar__tabbar:not(.taro-tabbar__tabbar-hide)');
  if (tabbar && root && getComputedStyle(tabbar).display !== 'none') scopes.push(tabbar);
  const describe = (el: Element) => {
    const cls =
      typeof el.className === 'string' ? el.className.trim().split(/\s+/).slice(0, 3).join('.') : '';
    return `${el.tagName.toLowerCase()}${cls ? `.${cls}` : ''} "${(el.textContent ?? '').trim().slice(0, 16)}"`;
  };
  const shown = (el: Element) => {
    const rect = el.getBoundingClientRect();
    if (rect.width === 0 || rect.height === 0) return false;
    const style = getComputedStyle(el);
    return style.visibility !== 'hidden' && style.display !== 'none' && Number(style.opacity) > 0;
  };

  const viewport = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth > viewport + 1) {
    findings.overflow.push(`document ${document.documentElement.scrollWidth} > ${viewport}`);
  }
  for (const scope of scopes) {
    for (const el of Array.from(scope.querySelectorAll('*'))) {
      const rect = el.getBoundingClientRect();
      if (rect.width > 0 && rect.right > viewport + 1 && shown(el)) {
        // Only report the outermost culprit.
        const parent = el.parentElement?.getBoundingClientRect();
        if (!parent || parent.right <= viewport + 1)
          findings.overflow.push(`${describe(el)} right ${Math.round(rect.right)}`);
      }
    }
  }

  // Text: every visible text node's element at ≥ 18 px in 长辈模式.
  for (const scope of scopes) {
    const walker = document.createTreeWalker(scope, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const el = node.parentElement;
      if (!el || !(node.textContent ?? '').trim() || !shown(el)) continue;
      if (el.closest('style, script, .qr')) continue;
      findings.texts++;
      const size = Number.parseFloat(getComputedStyle(el).fontSize);
      if (elder && size < 17.95) findings.smallText.push(`${describe(el)} ${size.toFixed(1)}px`);
    }
    for (const el of Array.from(
      scope.querySelectorAll('input:not([type=checkbox]):not([type=radio]), textarea'),
    )) {
      if (!shown(el)) continue;
      findings.texts++;
      const size = Number.parseFloat(getComputedStyle(el).fontSize);
      if (elder && size < 17.95) findings.smallText.push(`${describe(el)} input ${size.toFixed(1)}px`);
    }
  }

  // Tap targets: ≥ 60 px tall in 长辈模式, ≥ 44 px always.
  const least = elder ? 60 : 44;
  for (const scope of scopes) {
    for (const el of Array.from(scope.querySelectorAll(tappable))) {
      if (!shown(el)) continue;
      // A button inside a tappable wrapper is measured once, as the wrapper.
      if (el.parentElement?.closest(tappable) && scope.contains(el.parentElement.closest(tappable))) continue;
      findings.targets++;
      const rect = el.getBoundingClientRect();
      if (rect.height < least - 0.5)
        findings.smallTargets.push(`${describe(el)} ${rect.height.toFixed(1)}px`);
    }
  }

  // Labels: as wide as their text on one line, unless the text is wider than the room it has.
  const probe = document.createElement('span');
  probe.style.cssText = 'position:absolute;visibility:hidden;white-space:nowrap;left:-9999px;top:0';
  document.body.appendChild(probe);
  for (const scope of scopes) {
    for (const el of Array.from(scope.querySelectorAll(labels))) {
      const text = (el.textContent ?? '').trim();
      if (!text || !shown(el) || el.tagName === 'INPUT') continue;
      findings.labels++;
      const style = getComputedStyle(el);
      probe.style.font = style.font;
      probe.style.letterSpacing = style.letterSpacing;
      probe.textContent = text;
      const needed = probe.getBoundingClientRect().width;
      const box = el.getBoundingClientRect();
      const width = box.width - Number.parseFloat(style.paddingLeft) - Number.parseFloat(style.paddingRight);
      const room = (el.parentElement?.getBoundingClientRect().width ?? viewport) * 0.95;
      const lineHeight = Number.parseFloat(style.lineHeight) || Number.parseFloat(style.fontSize) * 1.5;
      const wraps = box.height > lineHeight * 1.6;
      if (width + 1 < needed && (needed <= room || (wraps && width < room * 0.5))) {
        findings.squeezedLabels.push(`${describe(el)} ${width.toFixed(0)} < ${needed.toFixed(0)}px`);
      }
    }
  }
  probe.remove();
  return findings;
}

const contexts = new Map<string, BrowserContext>();

/** A phone signed in as `who` (or signed out), in the given mode; the same phone for a person and mode. */
async function phoneFor(who: string | null, elder: boolean): Promise<Page> {
  const id = `${who ?? 'nobody'}-${elder}`;
  let context = contexts.get(id);
  if (!context) {
    context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' });
    const session = who ? (await identity(who)).session : null;
    await context.addInitScript(
      ([sessionJson, elderJson]) => {
        if (sessionJson)
          localStorage.setItem('llb.session', JSON.stringify({ data: JSON.parse(sessionJson) }));
        localStorage.setItem('llb.elder', JSON.stringify({ data: JSON.parse(elderJson) }));
      },
      [session ? JSON.stringify(session) : '', JSON.stringify(elder)] as const,
    );
    contexts.set(id, context);
  }
  return context.newPage();
}

async function setElder(elder: boolean): Promise<void> {
  for (const key of [
    'resident',
    'volunteer',
    'staff',
    'resident-liu',
    'volunteer-zhao',
    'staff-wu',
    'volunteer-chen',
  ]) {
    const person = await identity(key);
    const done = await api('/me/preferences', {
      method: 'PUT',
      token: person.token,
      body: JSON.stringify({ elderMode: elder }),
    });
    expect(done.status).toBe(200);
  }
}

/** Opens one page, waits for its content to settle, measures it and keeps a screenshot of all of it. */
async function visit(target: Target, elder: boolean): Promise<Findings> {
  const page = await phoneFor(target.who, elder);
  try {
    await page.goto(`${server.url}/#/${target.path()}`);
    await page
      .locator('.taro_page.taro_page_stationed:not(.taro_page_shade)')
      .first()
      .waitFor({ timeout: 60_000 });
    await page.waitForLoadState('networkidle');
    await page.waitForTimeout(500); // page transition and late answers
    if (target.open) {
      await page
        .locator(`.taro_page.taro_page_stationed:not(.taro_page_shade) ${target.open}`)
        .first()
        .click();
      await page.waitForLoadState('networkidle');
      await page.waitForTimeout(300);
    }
    if (elder)
      await expect(page.evaluate(() => document.body.classList.contains('elder'))).resolves.toBe(true);
    const findings = await page.evaluate(measure, { elder, tappable: TAPPABLE, labels: LABELS });

    // The whole page in one picture: grow the window to the content's height.
    const height = await page.evaluate(() => {
      const visiblePage = document.querySelector('.taro_page.taro_page_stationed:not(.taro_page_shade)');
      const panel = document.querySelector('.taro-tabbar__panel');
      return Math.max(
        document.documentElement.scrollHeight,
        visiblePage?.scrollHeight ?? 0,
        (panel?.scrollHeight ?? 0) + (document.querySelector('.taro-tabbar__tabbar')?.clientHeight ?? 0),
      );
    });
    await page.setViewportSize({ width: 390, height: Math.min(Math.max(height, 844), 8000) });
    await page.waitForTimeout(150);
    await page.screenshot({ path: join(ARTIFACTS, `${target.name}-${elder ? 'elder' : 'normal'}.png`) });
    return findings;
  } finally {
    await page.close();
  }
}

beforeAll(async () => {
  await mkdir(ARTIFACTS, { recursive: true });
  server = await startDevServer();
  browser = await launchBrowser();
  await fetch(`${server.url}/`); // the first answer may wait for the server to prepare the app
  await makeLongContent();
});
afterAll(async () => {
  for (const context of contexts.values()) await context.close().catch(() => {});
  await browser?.close();
  await server?.kill('SIGTERM');
});

describe('layout of every page with long content and empty lists, at 390×844', () => {
  for (const elder of [false, true]) {
    it(`${elder ? '长辈模式' : 'normal mode'}: no overflow, no squeezed label, ${elder ? 'text ≥ 18 px, targets ≥ 60 px' : 'targets ≥ 44 px'}`, async () => {
      await setElder(elder);
      const report: Record<string, Findings> = {};
      const problems: string[] = [];
      for (const target of targets) {
        const findings = await visit(target, elder);
        report[target.name] = findings;
        for (const kind of ['overflow', 'squeezedLabels', 'smallText', 'smallTargets'] as const) {
          for (const what of findings[kind]) problems.push(`${target.name}: ${kind}: ${what}`);
        }
      }
      const mode = elder ? 'elder' : 'normal';
      await writeFile(join(ARTIFACTS, `report-${mode}.json`), `${JSON.stringify(report, null, 2)}\n`);
      const totals = Object.values(report).reduce(
        (sum, f) => ({
          texts: sum.texts + f.texts,
          targets: sum.targets + f.targets,
          labels: sum.labels + f.labels,
        }),
        { texts: 0, targets: 0, labels: 0 },
      );
      console.log(
        `layout ${mode}: ${targets.length} pages, ${totals.texts} texts, ${totals.targets} tap targets, ${totals.labels} labels, ${problems.length} problems`,
      );
      expect(problems).toEqual([]);
    }, 600_000);
  }
});
