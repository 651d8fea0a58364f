// 四点半课堂 over HTTP: staff make a session project and its timetable, guardians see
// it with seats left, register a child with consent, book the term or dates, see
// their bookings and places in line; who may read a child; erasure; refusals in
// Chinese; resends with the same Idempotency-Key; the tick's counts.
import { randomUUID } from 'node:crypto';
import type { ChildView, SessionProjectView } from '@llb/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTick } from '../../functions/src/use-cases/run-tick';
import { buildTestApp, demoToken, sendAs } from '../support/api-app';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { SEED } from '../support/ids';
import { CONSENT, scheduleBody } from '../support/sessions';

let t: TestDatabase;
let send: ReturnType<typeof sendAs>;
const tokens: Record<string, string> = {};
let project: SessionProjectView;

const childBody = (overrides: Record<string, unknown> = {}) => ({
  name: '王小宝',
  grade: 3,
  school: '阳光小学',
  allergies: '花生过敏',
  healthNotes: '有哮喘，备有喷雾',
  pickupContacts: [{ name: '王秀英', relation: '奶奶', phone: '13812341234' }],
  ...CONSENT,
  ...overrides,
});

beforeAll(async () => {
  t = await createTestDatabase();
  const harness = buildTestApp(t.db);
  for (const who of [
    'resident',
    'resident-chen',
    'volunteer',
    'staff',
    'staff-wu',
    'street-admin',
    'staff-kang',
  ]) {
    tokens[who] = await demoToken(harness.call, who);
  }
  send = sendAs(harness.app, tokens);
  const created = await send('staff', 'POST', '/api/projects', {
    communityId: SEED.sunshine,
    title: '四点半课堂',
    category: 'after_school',
    mode: 'session',
    description: '放学后写作业、读绘本',
    requiredSkills: ['tutoring'],
    pointsPerHour: 10,
    expectedMinutes: 90,
    maxMinutes: 120,
    serviceCommunityIds: [SEED.sunshine],
    responseHours: 24,
  });
  expect(created.body.mode).toBe('session');
  await send('staff', 'POST', `/api/projects/${created.body.id}/status`, { action: 'publish' });
  const scheduled = await send(
    'staff',
    'PUT',
    `/api/session-projects/${created.body.id}/schedule`,
    scheduleBody(),
  );
  expect(scheduled.status).toBe(200);
  project = scheduled.body;
});
afterAll(() => t.close());

describe('session projects', () => {
  it('give staff the whole term with seats and lines, and guardians the classes to come with seats left', async () => {
    expect(project.occurrences).toHaveLength(14);
    expect(project.actions).toEqual(['edit_schedule']);
    expect(project.occurrences[0]?.actions).toEqual(['cancel', 'roster']);
    const termView = await send('staff', 'GET', `/api/staff/session-projects/${project.projectId}`);
    expect(termView.body.schedule).toMatchObject({
      weekdays: [1, 2, 3, 4, 5, 6, 7],
      startTime: '16:30',
      minTutors: 3,
    });
    const menu = await send('resident', 'GET', '/api/sessions');
    const entry = (menu.body as SessionProjectView[]).find((p) => p.projectId === project.projectId);
    expect(entry?.actions).toEqual(['book']);
    expect(entry?.occurrences[0]).toMatchObject({ seatsLeft: 20, actions: ['book'] });
    const visits = await send('resident', 'GET', '/api/menu');
    expect(visits.body.map((p: { id: string }) => p.id)).not.toContain(project.projectId);
    expect((await send('staff-wu', 'GET', `/api/staff/session-projects/${project.projectId}`)).status).toBe(
      404,
    );
    expect((await send('resident', 'GET', `/api/staff/session-projects/${project.projectId}`)).status).toBe(
      404,
    );
  });

  it('refuse a bad timetable in Chinese, naming what to fix', async () => {
    const bad = await send('staff', 'PUT', `/api/session-projects/${project.projectId}/schedule`, {
      ...scheduleBody({ version: 1 }),
      endTime: '16:00',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toBe('下课时间要晚于上课时间');
    const noDays = await send('staff', 'PUT', `/api/session-projects/${project.projectId}/schedule`, {
      ...scheduleBody({ version: 1 }),
      weekdays: [],
    });
    expect(noDays.body.error.message).toBe('请选择每周哪几天上课');
  });

  it('tell the policy numbers to the app', async () => {
    const me = await send('resident', 'GET', '/api/me');
    expect(me.body.policy).toMatchObject({
      sessionOfferMinutes: 120,
      childRetentionDays: 90,
      childConsentVersion: 1,
      pickupContactsMax: 5,
    });
  });
});

describe('children and bookings', () => {
  it('register a child only with the guardian’s consent', async () => {
    const { consent: _c, ...without } = childBody();
    const refused = await send('resident-chen', 'POST', '/api/children', without);
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toMatch(/儿童个人信息处理规则/);
    const noContacts = await send(
      'resident-chen',
      'POST',
      '/api/children',
      childBody({ pickupContacts: [] }),
    );
    expect(noContacts.body.error.message).toBe('请至少登记一位接送人（可以是您自己）');
    const staff = await send('staff', 'POST', '/api/children', childBody());
    expect(staff.status).toBe(400);
  });

  it('book the term, show bookings and places in line, and answer a resend the same', async () => {
    const added = await send('resident', 'POST', '/api/children', childBody());
    expect(added.status).toBe(200);
    const child = added.body as ChildView;
    expect(child).toMatchObject({ name: '王小宝', viewerKind: 'guardian', consentVersion: 1, bookings: [] });

    const idem = randomUUID();
    const booking = { projectId: project.projectId, plan: 'term' };
    const first = await send('resident', 'POST', `/api/children/${child.id}/bookings`, booking, {
      'idempotency-key': idem,
    });
    const again = await send('resident', 'POST', `/api/children/${child.id}/bookings`, booking, {
      'idempotency-key': idem,
    });
    expect(first.status).toBe(200);
    expect(again.body.bookings.map((b: { id: string }) => b.id)).toEqual(
      first.body.bookings.map((b: { id: string }) => b.id),
    );
    expect(first.body.bookings).toHaveLength(14);

    const mine = await send('resident', 'GET', '/api/children');
    expect(mine.body).toHaveLength(1);
    expect(mine.body[0].bookings[0]).toMatchObject({ status: 'booked', plan: 'term', actions: ['cancel'] });

    const cancelled = await send(
      'resident',
      'POST',
      `/api/session-bookings/${first.body.bookings[1].id}/cancel`,
      {},
    );
    expect(cancelled.body.bookings[1].status).toBe('cancelled');
    const dates = await send('resident', 'POST', `/api/children/${child.id}/bookings`, {
      projectId: project.projectId,
      plan: 'dates',
    });
    expect(dates.status).toBe(400);
    expect(dates.body.error.message).toBe('请选择上课日期');
  });

  it('show a child to its guardian and staff of their community only, and log the staff reads', async () => {
    const mine = (await send('resident', 'GET', '/api/children')).body as ChildView[];
    const child = mine[0] as ChildView;
    for (const other of ['resident-chen', 'volunteer', 'staff-wu', 'staff-kang']) {
      const answer = await send(other, 'GET', `/api/children/${child.id}`);
      expect(answer.status, other).toBe(404);
      expect(JSON.stringify(answer.body)).not.toMatch(/王小宝|花生/);
    }
    const before = await t.admin.query(
      'select count(*)::int as n from public.personal_data_access_log where child_id = $1',
      [child.id],
    );
    const staff = await send('staff', 'GET', `/api/children/${child.id}`);
    expect(staff.body).toMatchObject({ name: '王小宝', viewerKind: 'staff', allergies: '花生过敏' });
    const roster = await send(
      'street-admin',
      'GET',
      `/api/staff/session-occurrences/${child.bookings[0]?.occurrenceId}/roster`,
    );
    expect(roster.body.children.map((c: { name: string }) => c.name)).toContain('王小宝');
    const after = await t.admin.query(
      'select count(*)::int as n from public.personal_data_access_log where child_id = $1',
      [child.id],
    );
    expect(after.rows[0].n - before.rows[0].n).toBe(2);
    expect(
      (
        await send(
          'staff-wu',
          'GET',
          `/api/staff/session-occurrences/${child.bookings[0]?.occurrenceId}/roster`,
        )
      ).status,
    ).toBe(404);
  });

  it('erase a child the guardian removes: gone for everyone, its seat free again', async () => {
    const added = (await send('resident', 'POST', '/api/children', childBody({ name: '王小贝' })))
      .body as ChildView;
    const booked = await send('resident', 'POST', `/api/children/${added.id}/bookings`, {
      projectId: project.projectId,
      plan: 'dates',
      occurrenceIds: [project.occurrences[5]?.id],
    });
    expect(booked.body.bookings[0].status).toBe('booked');
    const removed = await send('resident', 'DELETE', `/api/children/${added.id}`);
    expect(removed.body).toEqual({ childId: added.id, removed: true, cancelledBookings: 1 });
    expect((await send('resident', 'GET', `/api/children/${added.id}`)).status).toBe(404);
    expect((await send('staff', 'GET', `/api/children/${added.id}`)).status).toBe(404);
    const { rows } = await t.admin.query(
      "select count(*)::int as n from public.children where name = '王小贝'",
    );
    expect(rows[0].n).toBe(0);
  });

  it('let staff cancel a class with a reason, which the guardian reads in 消息', async () => {
    const occurrence = project.occurrences[2]?.id as string;
    const cancelled = await send('staff', 'POST', `/api/session-occurrences/${occurrence}/cancel`, {
      reason: '学校组织春游，停课一次',
    });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.occurrences.find((o: { id: string }) => o.id === occurrence).status).toBe(
      'cancelled',
    );
    const inbox = await send('resident', 'GET', '/api/inbox');
    const notice = inbox.body.items.find((n: { event: string }) => n.event === 'session_cancelled');
    expect(notice.body).toMatch(/^王\*\*：.*学校组织春游/);
    const mine = (await send('resident', 'GET', '/api/children')).body as ChildView[];
    expect(mine[0]?.bookings.find((b) => b.occurrenceId === occurrence)).toMatchObject({
      status: 'class_cancelled',
      cancelReason: '学校组织春游，停课一次',
    });
  });

  it('count offers passed on and children erased in the tick', async () => {
    const result = await runTick(t.db, new Date());
    expect(result).toMatchObject({ expiredSessionOffers: 0, sessionOffersMade: 0, erasedChildren: 0 });
  });
});
