// 四点半课堂 in SQL: schedules and their classes, children (consent, who sees them,
// logged reads, erasure), booking with deadlines, the waitlist and its offers, and
// the races the issue names, on real connections.
import { randomUUID } from 'node:crypto';
import type { ChildView, SessionProjectView } from '@llb/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { expectAppError } from '../support/expect-app-error';
import { MORE, OTHER_STREET, SEED } from '../support/ids';
import { createResidents, key, publishProject } from '../support/orders';
import { addChild, book, CONSENT, scheduleBody, sessionProject, shanghaiDay } from '../support/sessions';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t.close());

const outcomes = (results: PromiseSettledResult<unknown>[]) =>
  results.map((r) =>
    r.status === 'fulfilled' ? 'ok' : ((r.reason as { code?: string }).code ?? String(r.reason)),
  );

async function bookingsOf(occurrenceId: string) {
  const { rows } = await t.admin.query<{
    id: string;
    seq: string;
    status: string;
    child_id: string | null;
    guardian_id: string | null;
    offer_expires_at: Date | null;
  }>(
    `select id, seq, status, child_id, guardian_id, offer_expires_at from public.session_bookings
     where occurrence_id = $1 order by seq`,
    [occurrenceId],
  );
  return rows;
}

const term = (project: SessionProjectView) =>
  t.db.rpc<SessionProjectView>('get_session_term', {
    p_actor: SEED.staffZhang,
    p_project_id: project.projectId,
  });

/** Guardians of 阳光社区, each with one child in grade 3. */
async function guardiansWithChildren(n: number): Promise<{ guardian: string; child: string }[]> {
  const guardians = await createResidents(t.admin, n);
  const out: { guardian: string; child: string }[] = [];
  for (const [i, guardian] of guardians.entries()) {
    const child = await addChild(t.db, guardian, {
      name: `孩子${i + 1}号`,
      pickupContacts: [{ name: '家长', relation: '妈妈', phone: '13900000001' }],
    });
    out.push({ guardian, child: child.id });
  }
  return out;
}

/** Moves one class to start `minutes` from now (90 minutes long). */
async function startIn(occurrenceId: string, minutes: number) {
  await t.admin.query(
    `update public.session_occurrences set starts_at = now() + make_interval(mins => $2),
       ends_at = now() + make_interval(mins => $2 + 90) where id = $1`,
    [occurrenceId, minutes],
  );
}

describe('the schedule and its classes', () => {
  it('generates one class per scheduled day of the term, skipping skipped dates and days not chosen', async () => {
    const skipped = shanghaiDay(3);
    const project = await sessionProject(t.db, { schedule: { skippedDates: [skipped] } });
    expect(project.occurrences.map((o) => o.date)).toEqual(
      Array.from({ length: 14 }, (_, i) => shanghaiDay(i + 1)).filter((d) => d !== skipped),
    );
    expect(project.schedule).toMatchObject({ version: 1, seats: 20, minTutors: 3, skippedDates: [skipped] });
    const first = project.occurrences[0];
    expect(first).toMatchObject({ seats: 20, seatsLeft: 20, booked: 0, status: 'scheduled' });
    // 16:30 Shanghai is 08:30 UTC.
    expect(new Date(first?.startsAt ?? '').toISOString()).toBe(`${shanghaiDay(1)}T08:30:00.000Z`);

    const weekdays = await sessionProject(t.db, { schedule: { weekdays: [1, 3] } });
    for (const o of weekdays.occurrences)
      expect([1, 3]).toContain(new Date(`${o.date}T12:00:00Z`).getUTCDay());
  });

  it('saved again unchanged, keeps the same classes (no duplicates) and moves the version on; a stale version is refused', async () => {
    const project = await sessionProject(t.db);
    const again = await t.db.rpc<SessionProjectView>('save_session_schedule', {
      p_actor: SEED.staffZhang,
      p_project_id: project.projectId,
      p_input: scheduleBody({ version: 1 }),
      p_key: key(),
    });
    expect(again.schedule?.version).toBe(2);
    expect(again.occurrences.map((o) => o.id)).toEqual(project.occurrences.map((o) => o.id));
    await expectAppError(
      t.db.rpc('save_session_schedule', {
        p_actor: SEED.staffZhang,
        p_project_id: project.projectId,
        p_input: scheduleBody({ version: 1 }),
        p_key: key(),
      }),
      'conflict',
      /刷新/,
    );
  });

  it('drops a date nobody is booked on, brings it back when it returns, and refuses to drop one a child is booked on', async () => {
    const project = await sessionProject(t.db);
    const save = (version: number, overrides: Record<string, unknown>) =>
      t.db.rpc<SessionProjectView>('save_session_schedule', {
        p_actor: SEED.staffZhang,
        p_project_id: project.projectId,
        p_input: scheduleBody({ version, ...overrides }),
        p_key: key(),
      });
    const last = project.occurrences.at(-1);
    const shorter = await save(1, { termEnd: shanghaiDay(13) });
    expect(shorter.occurrences.find((o) => o.id === last?.id)).toMatchObject({
      status: 'cancelled',
      cancelReason: '课表调整',
    });
    const back = await save(2, {});
    expect(back.occurrences.find((o) => o.id === last?.id)?.status).toBe('scheduled');

    const [family] = await guardiansWithChildren(1);
    await book(t.db, family?.guardian as string, family?.child as string, project.projectId, [
      last?.id as string,
    ]);
    await expectAppError(save(3, { termEnd: shanghaiDay(13) }), 'conflict', /已有 1 个孩子报名/);
    expect((await term(project)).occurrences.find((o) => o.id === last?.id)?.status).toBe('scheduled');
  });

  it('moves the time of classes to come and tells those booked; never lowers seats below those taken', async () => {
    const project = await sessionProject(t.db, { schedule: { seats: 2 } });
    const first = project.occurrences[0]?.id as string;
    const families = await guardiansWithChildren(2);
    for (const f of families) await book(t.db, f.guardian, f.child, project.projectId, [first]);
    await expectAppError(
      t.db.rpc('save_session_schedule', {
        p_actor: SEED.staffZhang,
        p_project_id: project.projectId,
        p_input: scheduleBody({ version: 1, seats: 1 }),
        p_key: key(),
      }),
      'conflict',
      /名额不能少于 2/,
    );
    const moved = await t.db.rpc<SessionProjectView>('save_session_schedule', {
      p_actor: SEED.staffZhang,
      p_project_id: project.projectId,
      p_input: scheduleBody({ version: 1, seats: 2, startTime: '17:00', endTime: '18:30' }),
      p_key: key(),
    });
    expect(new Date(moved.occurrences[0]?.startsAt ?? '').toISOString()).toBe(
      `${shanghaiDay(1)}T09:00:00.000Z`,
    );
    const { rows } = await t.admin.query(
      "select recipient_id, body from public.notifications where event = 'session_changed' and recipient_id = any($1)",
      [families.map((f) => f.guardian)],
    );
    expect(rows).toHaveLength(2);
    expect(rows[0].body).toMatch(/孩\*+：.*17:00/);
  });

  it('raises seats and offers them to the waitlist in order', async () => {
    const project = await sessionProject(t.db, { schedule: { seats: 1 } });
    const first = project.occurrences[0]?.id as string;
    const families = await guardiansWithChildren(3);
    for (const f of families) await book(t.db, f.guardian, f.child, project.projectId, [first]);
    await t.db.rpc('save_session_schedule', {
      p_actor: SEED.staffZhang,
      p_project_id: project.projectId,
      p_input: scheduleBody({ version: 1, seats: 2 }),
      p_key: key(),
    });
    expect((await bookingsOf(first)).map((b) => b.status)).toEqual(['booked', 'offered', 'waitlisted']);
  });

  it('holds the ratio: tutor slots × children per tutor must cover the seats', async () => {
    const project = await sessionProject(t.db);
    await expectAppError(
      t.db.rpc('save_session_schedule', {
        p_actor: SEED.staffZhang,
        p_project_id: project.projectId,
        p_input: scheduleBody({ version: 1, seats: 20, tutorSlots: 2, childrenPerTutor: 8 }),
        p_key: key(),
      }),
      'invalid_input',
      /至少要 3 位辅导老师/,
    );
  });

  it('is set by staff of the project’s community only, and only for session projects', async () => {
    const project = await sessionProject(t.db);
    for (const actor of [SEED.staffWu, OTHER_STREET.staffHe, SEED.residentWang]) {
      await expectAppError(
        t.db.rpc('save_session_schedule', {
          p_actor: actor,
          p_project_id: project.projectId,
          p_input: scheduleBody({ version: 1 }),
          p_key: key(),
        }),
        'not_found',
      );
    }
    const visit = await publishProject(t.db);
    await expectAppError(
      t.db.rpc('save_session_schedule', {
        p_actor: SEED.staffZhang,
        p_project_id: visit.id,
        p_input: scheduleBody(),
        p_key: key(),
      }),
      'invalid_input',
      /按课表上课/,
    );
  });

  it('keeps session projects out of the visit loop: not on the menu, not orderable, mode fixed', async () => {
    const project = await sessionProject(t.db);
    const menu = await t.db.rpc<{ id: string }[]>('list_menu', { p_actor: SEED.residentWang });
    expect(menu.map((p) => p.id)).not.toContain(project.projectId);
    const start = new Date(Date.now() + 86_400_000);
    await expectAppError(
      t.db.rpc('place_order', {
        p_actor: SEED.residentWang,
        p_key: key(),
        p_input: {
          projectId: project.projectId,
          windowStart: start.toISOString(),
          windowEnd: new Date(start.getTime() + 7_200_000).toISOString(),
        },
      }),
      'project_unavailable',
      /四点半课堂/,
    );
    const sessions = await t.db.rpc<SessionProjectView[]>('list_session_menu', {
      p_actor: SEED.residentWang,
    });
    expect(sessions.map((p) => p.projectId)).toContain(project.projectId);
    const { rows } = await t.admin.query('select version from public.projects where id = $1', [
      project.projectId,
    ]);
    await expectAppError(
      t.db.rpc('save_project', {
        p_actor: SEED.staffZhang,
        p_key: key(),
        p_input: {
          id: project.projectId,
          version: rows[0].version,
          communityId: SEED.sunshine,
          title: '四点半课堂',
          category: 'after_school',
          mode: 'visit',
          pointsPerHour: 10,
          expectedMinutes: 90,
          maxMinutes: 120,
          serviceCommunityIds: [SEED.sunshine],
          responseHours: 24,
        },
      }),
      'invalid_input',
      /不能更改服务方式/,
    );
  });

  it('lets staff cancel one class with a reason: everyone booked, offered or waiting is told, by the masked name', async () => {
    const project = await sessionProject(t.db, { schedule: { seats: 1 } });
    const first = project.occurrences[0]?.id as string;
    const families = await guardiansWithChildren(2);
    for (const f of families) await book(t.db, f.guardian, f.child, project.projectId, [first]);
    const after = await t.db.rpc<SessionProjectView>('cancel_session_occurrence', {
      p_actor: SEED.staffZhang,
      p_occurrence_id: first,
      p_reason: '暴雨红色预警',
      p_key: key(),
    });
    expect(after.occurrences.find((o) => o.id === first)).toMatchObject({
      status: 'cancelled',
      cancelReason: '暴雨红色预警',
      actions: ['roster'],
    });
    expect((await bookingsOf(first)).map((b) => b.status)).toEqual(['class_cancelled', 'class_cancelled']);
    const { rows } = await t.admin.query(
      "select recipient_id, body from public.notifications where event = 'session_cancelled' and recipient_id = any($1)",
      [families.map((f) => f.guardian)],
    );
    expect(rows.map((r) => r.recipient_id).sort()).toEqual(families.map((f) => f.guardian).sort());
    for (const r of rows) {
      expect(r.body).toMatch(/暴雨红色预警/);
      expect(r.body).not.toMatch(/孩子\d号/);
    }
    await expectAppError(
      t.db.rpc('cancel_session_occurrence', {
        p_actor: SEED.staffZhang,
        p_occurrence_id: first,
        p_reason: '再取消一次',
        p_key: key(),
      }),
      'illegal_transition',
      /已经取消/,
    );
    await expectAppError(
      t.db.rpc('cancel_session_occurrence', {
        p_actor: SEED.staffWu,
        p_occurrence_id: project.occurrences[1]?.id,
        p_reason: '别的社区',
        p_key: key(),
      }),
      'not_found',
    );
  });
});

describe('children', () => {
  it('need the guardian’s separate consent to the current text the first time, kept with its version and time', async () => {
    const [guardian] = (await createResidents(t.admin, 1)) as [string];
    const {
      consent: _c,
      consentVersion: _v,
      ...noConsent
    } = {
      name: '李小花',
      grade: 2,
      pickupContacts: [{ name: '李妈妈', relation: '妈妈', phone: '13900000002' }],
      ...CONSENT,
    };
    await expectAppError(
      t.db.rpc('add_child', { p_actor: guardian, p_key: key(), p_input: noConsent }),
      'invalid_input',
      /同意/,
    );
    await expectAppError(
      t.db.rpc('add_child', {
        p_actor: guardian,
        p_key: key(),
        p_input: { ...noConsent, consent: true, consentVersion: 0 },
      }),
      'invalid_input',
      /同意/,
    );
    await expectAppError(
      t.db.rpc('add_child', { p_actor: guardian, p_key: key(), p_input: { ...noConsent, consent: false } }),
      'invalid_input',
    );
    const child = await addChild(t.db, guardian, { name: '李小花' });
    expect(child).toMatchObject({ name: '李小花', consentVersion: 1, viewerKind: 'guardian' });
    expect(Date.now() - new Date(child.consentedAt).getTime()).toBeLessThan(60_000);
    expect(child.actions).toEqual(['edit', 'remove', 'book']);
    // An edit needs no new consent.
    const edited = await t.db.rpc<ChildView>('update_child', {
      p_actor: guardian,
      p_child_id: child.id,
      p_key: key(),
      p_input: {
        name: '李小花',
        grade: 3,
        pickupContacts: [{ name: '李爸爸', relation: '爸爸', phone: '13900000003' }],
      },
    });
    expect(edited).toMatchObject({ grade: 3, consentVersion: 1, pickupContacts: [{ name: '李爸爸' }] });
  });

  it('are refused to someone without a home community, and past children_per_guardian', async () => {
    await expectAppError(addChild(t.db, SEED.staffZhang), 'invalid_input', /社区/);
    const [guardian] = (await createResidents(t.admin, 1)) as [string];
    await t.admin.query("update public.policies set value = 2 where key = 'children_per_guardian'");
    try {
      await addChild(t.db, guardian);
      await addChild(t.db, guardian);
      await expectAppError(addChild(t.db, guardian), 'conflict', /最多登记 2 个/);
    } finally {
      await t.admin.query("update public.policies set value = 6 where key = 'children_per_guardian'");
    }
  });

  it('are seen only by the guardian and staff of the guardian’s community; each staff read is logged', async () => {
    const child = await addChild(t.db, SEED.residentWang, { name: '王小宝' });
    for (const other of [
      MORE.residentChen,
      SEED.volunteerLi,
      SEED.staffWu,
      OTHER_STREET.staffHe,
      OTHER_STREET.adminLin,
    ]) {
      await expectAppError(t.db.rpc('get_child', { p_actor: other, p_child_id: child.id }), 'not_found');
      await expectAppError(
        t.db.rpc('book_session', {
          p_actor: other,
          p_child_id: child.id,
          p_project_id: randomUUID(),
          p_occurrence_ids: null,
          p_key: key(),
        }),
        'not_found',
      );
    }
    const logged = async (viewer: string) =>
      Number(
        (
          await t.admin.query(
            'select count(*) from public.personal_data_access_log where viewer_id = $1 and child_id = $2',
            [viewer, child.id],
          )
        ).rows[0].count,
      );
    const mine = await t.db.rpc<ChildView>('get_child', { p_actor: SEED.residentWang, p_child_id: child.id });
    expect(mine.pickupContacts[0]?.phone).toBe('13812341234');
    expect(await logged(SEED.residentWang)).toBe(0);
    for (const staff of [SEED.staffZhang, SEED.adminHuang]) {
      const seen = await t.db.rpc<ChildView>('get_child', { p_actor: staff, p_child_id: child.id });
      expect(seen).toMatchObject({ name: '王小宝', viewerKind: 'staff', actions: [] });
      expect(await logged(staff)).toBe(1);
    }
    const { rows } = await t.admin.query(
      'select subject_id, fields from public.personal_data_access_log where viewer_id = $1 and child_id = $2',
      [SEED.staffZhang, child.id],
    );
    expect(rows[0]).toEqual({
      subject_id: SEED.residentWang,
      fields: ['child_name', 'child_school', 'child_safety', 'pickup_contacts'],
    });
    await expectAppError(
      t.db.rpc('update_child', {
        p_actor: SEED.staffZhang,
        p_child_id: child.id,
        p_key: key(),
        p_input: {
          name: '改名',
          grade: 3,
          pickupContacts: [{ name: '某人', relation: '邻居', phone: '13900000004' }],
        },
      }),
      'forbidden',
    );
  });

  it('are seen by staff of the community running a class they are booked on, who see that class only, and the roster logs each child', async () => {
    // 和平社区's class open to 阳光社区 residents too.
    const project = await sessionProject(t.db, { staff: SEED.staffWu, community: SEED.peace });
    await t.admin.query('insert into public.project_communities (project_id, community_id) values ($1, $2)', [
      project.projectId,
      SEED.sunshine,
    ]);
    const families = await guardiansWithChildren(2);
    const first = project.occurrences[0]?.id as string;
    for (const f of families) await book(t.db, f.guardian, f.child, project.projectId, [first]);
    const child = families[0]?.child as string;
    const seen = await t.db.rpc<ChildView>('get_child', { p_actor: SEED.staffWu, p_child_id: child });
    expect(seen.bookings.map((b) => b.projectId)).toEqual([project.projectId]);
    const roster = await t.db.rpc<{ children: { childId: string; name: string; allergies: string }[] }>(
      'get_session_roster',
      { p_actor: SEED.staffWu, p_occurrence_id: first },
    );
    expect(roster.children.map((c) => c.childId)).toEqual(families.map((f) => f.child));
    expect(roster.children[0]?.allergies).toBe('花生过敏');
    const { rows } = await t.admin.query(
      'select child_id from public.personal_data_access_log where viewer_id = $1 and child_id = any($2) order by child_id',
      [SEED.staffWu, families.map((f) => f.child)],
    );
    // One for get_child, one per child for the roster.
    expect(rows).toHaveLength(3);
    await expectAppError(
      t.db.rpc('get_session_roster', { p_actor: SEED.staffZhang, p_occurrence_id: first }),
      'not_found',
    );
  });

  it('are erased when the guardian removes them: row and pickup list gone, places to come given up, bookings left as stubs', async () => {
    const project = await sessionProject(t.db, { schedule: { seats: 1 } });
    const [a, b] = (await guardiansWithChildren(2)) as [
      { guardian: string; child: string },
      { guardian: string; child: string },
    ];
    const first = project.occurrences[0]?.id as string;
    await book(t.db, a.guardian, a.child, project.projectId);
    await book(t.db, b.guardian, b.child, project.projectId, [first]);
    // A class already held keeps its booking as a stub.
    const second = project.occurrences[1]?.id as string;
    await t.admin.query(
      `update public.session_occurrences set starts_at = now() - interval '3 hours', ends_at = now() - interval '90 minutes'
       where id = $1`,
      [second],
    );
    const removeKey = key();
    const removed = await t.db.rpc<{ cancelledBookings: number }>('remove_child', {
      p_actor: a.guardian,
      p_child_id: a.child,
      p_key: removeKey,
    });
    expect(removed.cancelledBookings).toBe(project.occurrences.length - 1);
    const gone = await t.admin.query(
      `select (select count(*) from public.children where id = $1)::int as children,
              (select count(*) from public.child_pickup_contacts where child_id = $1)::int as contacts,
              (select count(*) from public.session_bookings where child_id = $1)::int as linked,
              (select reason from public.child_erasures where child_id = $1) as reason`,
      [a.child],
    );
    expect(gone.rows[0]).toEqual({ children: 0, contacts: 0, linked: 0, reason: 'guardian' });
    const stubs = await bookingsOf(second);
    expect(stubs).toEqual([expect.objectContaining({ status: 'booked', child_id: null, guardian_id: null })]);
    // The seat a went without passes to b, waiting on the first class.
    expect((await bookingsOf(first)).map((x) => [x.status, x.child_id])).toEqual([
      ['cancelled', null],
      ['offered', b.child],
    ]);
    // A resend answers the same; the stored answers never held the child's details.
    expect(
      await t.db.rpc('remove_child', { p_actor: a.guardian, p_child_id: a.child, p_key: removeKey }),
    ).toEqual(removed);
    const stored = await t.admin.query(
      "select request::text || coalesce(response::text, '') as text from public.idempotency_keys where actor_id = $1",
      [a.guardian],
    );
    for (const r of stored.rows) expect(r.text).not.toMatch(/孩子1号|13900000001|花生/);
    await expectAppError(t.db.rpc('get_child', { p_actor: a.guardian, p_child_id: a.child }), 'not_found');
  });

  it('resent with the same key answer the same child once; a resend after removal says it is gone', async () => {
    const [guardian] = (await createResidents(t.admin, 1)) as [string];
    const input = {
      name: '赵小鱼',
      grade: 1,
      pickupContacts: [{ name: '赵爸爸', relation: '爸爸', phone: '13900000005' }],
      ...CONSENT,
    };
    const addKey = key();
    const sent = await Promise.all(
      Array.from({ length: 5 }, () =>
        t.db.rpc<ChildView>('add_child', { p_actor: guardian, p_key: addKey, p_input: input }),
      ),
    );
    expect(new Set(sent.map((c) => c.id)).size).toBe(1);
    const { rows } = await t.admin.query(
      'select count(*)::int as n from public.children where guardian_id = $1',
      [guardian],
    );
    expect(rows[0].n).toBe(1);
    await expectAppError(
      t.db.rpc('add_child', { p_actor: guardian, p_key: addKey, p_input: { ...input, name: '别的名字' } }),
      'idempotency_reused',
    );
    await t.db.rpc('remove_child', { p_actor: guardian, p_child_id: sent[0]?.id, p_key: key() });
    await expectAppError(
      t.db.rpc('add_child', { p_actor: guardian, p_key: addKey, p_input: input }),
      'not_found',
      /已经删除/,
    );
  });

  it('go with the guardian’s account (注销)', async () => {
    const [guardian] = (await createResidents(t.admin, 1)) as [string];
    const project = await sessionProject(t.db, { schedule: { seats: 1 } });
    const child = await addChild(t.db, guardian);
    const first = project.occurrences[0]?.id as string;
    await book(t.db, guardian, child.id, project.projectId, [first]);
    const [waiting] = await guardiansWithChildren(1);
    await book(t.db, waiting?.guardian as string, waiting?.child as string, project.projectId, [first]);
    await t.db.rpc('delete_account', { p_actor: guardian, p_key: key() });
    const { rows } = await t.admin.query('select reason from public.child_erasures where child_id = $1', [
      child.id,
    ]);
    expect(rows).toEqual([{ reason: 'account_deleted' }]);
    expect((await bookingsOf(first)).map((b) => b.status)).toEqual(['cancelled', 'offered']);
  });

  it('are erased by the tick child_retention_days after the last term they were booked in, not a day before', async () => {
    const project = await sessionProject(t.db);
    const [family] = (await guardiansWithChildren(1)) as [{ guardian: string; child: string }];
    await book(t.db, family.guardian, family.child, project.projectId);
    const age = async (termEndedDaysAgo: number) => {
      await t.admin.query(
        `update public.session_schedules set term_start = current_date - $2::int - 14, term_end = current_date - $2::int
         where project_id = $1`,
        [project.projectId, termEndedDaysAgo],
      );
      await t.admin.query(
        "update public.children set updated_at = now() - interval '400 days', consented_at = now() - interval '400 days' where id = $1",
        [family.child],
      );
    };
    const exists = async () =>
      (await t.admin.query('select 1 from public.children where id = $1', [family.child])).rows.length === 1;
    await age(85);
    await t.db.rpc('tick_sessions', { p_now: new Date().toISOString() });
    expect(await exists()).toBe(true);
    await age(100);
    const tick = await t.db.rpc<{ erasedChildren: number }>('tick_sessions', {
      p_now: new Date().toISOString(),
    });
    expect(tick.erasedChildren).toBeGreaterThanOrEqual(1);
    expect(await exists()).toBe(false);
    const { rows } = await t.admin.query(
      "select body from public.notifications where event = 'child_erased' and recipient_id = $1",
      [family.guardian],
    );
    expect(rows[0]?.body).toMatch(/^按儿童个人信息保护的规定，孩\*+ 的信息/);
  });
});

describe('booking', () => {
  it('books the whole term: every class still open, as a seat', async () => {
    const project = await sessionProject(t.db);
    const [f] = (await guardiansWithChildren(1)) as [{ guardian: string; child: string }];
    await startIn(project.occurrences[0]?.id as string, 60); // past its 2-hour booking deadline
    const child = await book(t.db, f.guardian, f.child, project.projectId);
    expect(child.bookings).toHaveLength(project.occurrences.length - 1);
    expect(new Set(child.bookings.map((b) => b.status))).toEqual(new Set(['booked']));
    expect(child.bookings.every((b) => b.plan === 'term')).toBe(true);
    await expectAppError(
      book(t.db, f.guardian, f.child, project.projectId),
      'illegal_transition',
      /都已经报过/,
    );
    const menu = await t.db.rpc<SessionProjectView[]>('list_session_menu', { p_actor: f.guardian });
    const mine = menu.find((p) => p.projectId === project.projectId);
    expect(mine?.occurrences[1]).toMatchObject({ seatsLeft: 19, booked: 1, actions: ['book'] });
    expect(mine?.occurrences[0]?.actions).toEqual([]);
  });

  it('refuses a grade outside the range, a closed class, a cancelled one, and the same child twice on one class', async () => {
    const project = await sessionProject(t.db, { schedule: { gradeMin: 4, gradeMax: 6 } });
    const [f] = (await guardiansWithChildren(1)) as [{ guardian: string; child: string }];
    const [o1, o2, o3] = project.occurrences.map((o) => o.id) as [string, string, string];
    await expectAppError(
      book(t.db, f.guardian, f.child, project.projectId, [o1]),
      'invalid_input',
      /4 到 6 年级/,
    );
    await t.admin.query('update public.children set grade = 5 where id = $1', [f.child]);
    await startIn(o1, 119);
    await expectAppError(
      book(t.db, f.guardian, f.child, project.projectId, [o1]),
      'illegal_transition',
      /报名已截止（开课前 2 小时截止）/,
    );
    await startIn(o1, 121);
    await book(t.db, f.guardian, f.child, project.projectId, [o1]);
    await expectAppError(
      book(t.db, f.guardian, f.child, project.projectId, [o1, o2]),
      'conflict',
      /已经报过/,
    );
    await t.db.rpc('cancel_session_occurrence', {
      p_actor: SEED.staffZhang,
      p_occurrence_id: o3,
      p_reason: '场地检修',
      p_key: key(),
    });
    await expectAppError(
      book(t.db, f.guardian, f.child, project.projectId, [o3]),
      'illegal_transition',
      /取消/,
    );
    const other = await sessionProject(t.db);
    await expectAppError(
      book(t.db, f.guardian, f.child, project.projectId, [other.occurrences[0]?.id as string]),
      'invalid_input',
      /选择有误/,
    );
  });

  it('refuses a project not published, and one not open to the guardian’s community', async () => {
    const draft = await sessionProject(t.db, { publish: false });
    const [f] = (await guardiansWithChildren(1)) as [{ guardian: string; child: string }];
    await expectAppError(book(t.db, f.guardian, f.child, draft.projectId), 'project_unavailable');
    const peace = await sessionProject(t.db, { staff: SEED.staffWu, community: SEED.peace });
    await expectAppError(book(t.db, f.guardian, f.child, peace.projectId), 'not_found');
  });

  it('puts children in line when full, with their places; cancelling until the deadline offers the seat to the first', async () => {
    const project = await sessionProject(t.db, { schedule: { seats: 1 } });
    const first = project.occurrences[0]?.id as string;
    const [a, b, c] = (await guardiansWithChildren(3)) as { guardian: string; child: string }[] as [
      { guardian: string; child: string },
      { guardian: string; child: string },
      { guardian: string; child: string },
    ];
    const seat = await book(t.db, a.guardian, a.child, project.projectId, [first]);
    const second = await book(t.db, b.guardian, b.child, project.projectId, [first]);
    const third = await book(t.db, c.guardian, c.child, project.projectId, [first]);
    expect(seat.bookings[0]).toMatchObject({ status: 'booked', waitlistPosition: null, actions: ['cancel'] });
    expect(second.bookings[0]).toMatchObject({ status: 'waitlisted', waitlistPosition: 1 });
    expect(third.bookings[0]).toMatchObject({ status: 'waitlisted', waitlistPosition: 2 });

    // Past the 12-hour cancellation deadline the guardian can't; staff can.
    await startIn(first, 11 * 60);
    const booking = seat.bookings[0]?.id as string;
    await expectAppError(
      t.db.rpc('cancel_session_booking', {
        p_actor: a.guardian,
        p_booking_id: booking,
        p_scope: 'one',
        p_key: key(),
      }),
      'illegal_transition',
      /开课前 12 小时/,
    );
    await startIn(first, 13 * 60);
    const cancelled = await t.db.rpc<ChildView>('cancel_session_booking', {
      p_actor: a.guardian,
      p_booking_id: booking,
      p_scope: 'one',
      p_key: key(),
    });
    expect(cancelled.bookings[0]).toMatchObject({ status: 'cancelled', actions: [] });
    const rows = await bookingsOf(first);
    expect(rows.map((r) => r.status)).toEqual(['cancelled', 'offered', 'waitlisted']);
    const expires = rows[1]?.offer_expires_at?.getTime() ?? 0;
    expect(Math.abs(expires - (Date.now() + 120 * 60_000))).toBeLessThan(60_000);
    const told = await t.admin.query(
      "select recipient_id from public.notifications where event = 'session_offer' and event_key = $1",
      [`session_offer:${rows[1]?.id}`],
    );
    expect(told.rows.map((r) => r.recipient_id).sort()).toEqual([b.guardian, SEED.staffZhang].sort());

    const offered = await t.db.rpc<ChildView>('get_child', { p_actor: b.guardian, p_child_id: b.child });
    expect(offered.bookings[0]).toMatchObject({ status: 'offered', actions: ['confirm', 'cancel'] });
    expect(
      (await t.db.rpc<ChildView>('get_child', { p_actor: c.guardian, p_child_id: c.child })).bookings[0],
    ).toMatchObject({ waitlistPosition: 1 });
    await expectAppError(
      t.db.rpc('confirm_session_offer', { p_actor: c.guardian, p_booking_id: rows[1]?.id, p_key: key() }),
      'not_found',
    );
    const confirmed = await t.db.rpc<ChildView>('confirm_session_offer', {
      p_actor: b.guardian,
      p_booking_id: rows[1]?.id,
      p_key: key(),
    });
    expect(confirmed.bookings[0]).toMatchObject({ status: 'booked', actions: ['cancel'] });
  });

  it('passes an offer not confirmed in time to the next in line (the tick), telling the guardian and staff', async () => {
    const project = await sessionProject(t.db, { schedule: { seats: 1 } });
    const first = project.occurrences[0]?.id as string;
    const families = await guardiansWithChildren(3);
    const [a, b, c] = families as [
      { guardian: string; child: string },
      { guardian: string; child: string },
      { guardian: string; child: string },
    ];
    const seat = await book(t.db, a.guardian, a.child, project.projectId, [first]);
    await book(t.db, b.guardian, b.child, project.projectId, [first]);
    await book(t.db, c.guardian, c.child, project.projectId, [first]);
    await t.db.rpc('cancel_session_booking', {
      p_actor: SEED.staffZhang,
      p_booking_id: seat.bookings[0]?.id,
      p_scope: 'one',
      p_key: key(),
    });
    const offeredTo = (await bookingsOf(first))[1];
    await t.db.rpc('tick_sessions', { p_now: new Date(Date.now() + 60 * 60_000).toISOString() });
    expect((await bookingsOf(first))[1]?.status).toBe('offered');
    // Two ticks at once: the offer expires once and the seat passes on once.
    const later = new Date(Date.now() + 121 * 60_000).toISOString();
    const ticks = await Promise.all([
      t.db.rpc<{ expiredSessionOffers: number }>('tick_sessions', { p_now: later }),
      t.db.rpc<{ expiredSessionOffers: number }>('tick_sessions', { p_now: later }),
    ]);
    expect(ticks.reduce((n, r) => n + r.expiredSessionOffers, 0)).toBeGreaterThanOrEqual(1);
    expect((await bookingsOf(first)).map((r) => r.status)).toEqual(['cancelled', 'expired', 'offered']);
    await expectAppError(
      t.db.rpc('confirm_session_offer', { p_actor: b.guardian, p_booking_id: offeredTo?.id, p_key: key() }),
      'illegal_transition',
    );
    const told = await t.admin.query(
      "select recipient_id from public.notifications where event = 'session_offer_expired' and event_key = $1",
      [`session_offer_expired:${offeredTo?.id}`],
    );
    expect(told.rows.map((r) => r.recipient_id).sort()).toEqual([b.guardian, SEED.staffZhang].sort());
    // The staff member who cancelled told the guardian whose place it was.
    const { rows } = await t.admin.query(
      "select 1 from public.notifications where event = 'session_booking_cancelled' and recipient_id = $1",
      [a.guardian],
    );
    expect(rows).toHaveLength(1);
  });

  it('lets staff cancel past the guardians’ deadline, and a child in line leave it until the class starts', async () => {
    const project = await sessionProject(t.db, { schedule: { seats: 1 } });
    const first = project.occurrences[0]?.id as string;
    const [a, b] = (await guardiansWithChildren(2)) as [
      { guardian: string; child: string },
      { guardian: string; child: string },
    ];
    const seat = await book(t.db, a.guardian, a.child, project.projectId, [first]);
    const line = await book(t.db, b.guardian, b.child, project.projectId, [first]);
    await startIn(first, 60);
    expect(seat.bookings[0]?.actions).toEqual(['cancel']);
    const late = await t.db.rpc<ChildView>('get_child', { p_actor: a.guardian, p_child_id: a.child });
    expect(late.bookings[0]?.actions).toEqual([]);
    const left = await t.db.rpc<ChildView>('cancel_session_booking', {
      p_actor: b.guardian,
      p_booking_id: line.bookings[0]?.id,
      p_scope: 'one',
      p_key: key(),
    });
    expect(left.bookings[0]?.status).toBe('cancelled');
    const byStaff = await t.db.rpc<ChildView>('cancel_session_booking', {
      p_actor: SEED.staffZhang,
      p_booking_id: seat.bookings[0]?.id,
      p_scope: 'one',
      p_key: key(),
    });
    expect(byStaff).toMatchObject({ viewerKind: 'staff', bookings: [{ status: 'cancelled' }] });
    await expectAppError(
      t.db.rpc('cancel_session_booking', {
        p_actor: SEED.staffWu,
        p_booking_id: seat.bookings[0]?.id,
        p_scope: 'one',
        p_key: key(),
      }),
      'not_found',
    );
  });

  it('answers a resent schedule or class cancellation with the same key the same, acting once', async () => {
    const project = await sessionProject(t.db);
    const scheduleKey = key();
    const save = () =>
      t.db.rpc<SessionProjectView>('save_session_schedule', {
        p_actor: SEED.staffZhang,
        p_project_id: project.projectId,
        p_input: scheduleBody({ version: 1, seats: 24 }),
        p_key: scheduleKey,
      });
    const [one, two] = await Promise.all([save(), save()]);
    expect(one).toEqual(two);
    expect(one.schedule?.version).toBe(2);
    const cancelKey = key();
    const cancel = () =>
      t.db.rpc<SessionProjectView>('cancel_session_occurrence', {
        p_actor: SEED.staffZhang,
        p_occurrence_id: project.occurrences[0]?.id,
        p_reason: '停电',
        p_key: cancelKey,
      });
    expect(await cancel()).toEqual(await cancel());
  });

  it('cancels this and every later class of a term booking at once (scope rest)', async () => {
    const project = await sessionProject(t.db);
    const [f] = (await guardiansWithChildren(1)) as [{ guardian: string; child: string }];
    const child = await book(t.db, f.guardian, f.child, project.projectId);
    const fifth = child.bookings[4]?.id as string;
    const after = await t.db.rpc<ChildView>('cancel_session_booking', {
      p_actor: f.guardian,
      p_booking_id: fifth,
      p_scope: 'rest',
      p_key: key(),
    });
    expect(after.bookings.map((b) => b.status)).toEqual([
      ...Array(4).fill('booked'),
      ...Array(project.occurrences.length - 4).fill('cancelled'),
    ]);
  });

  it('answers a resent booking with the same key once, however many arrive at once', async () => {
    const project = await sessionProject(t.db);
    const [f] = (await guardiansWithChildren(1)) as [{ guardian: string; child: string }];
    const bookingKey = key();
    const args = {
      p_actor: f.guardian,
      p_child_id: f.child,
      p_project_id: project.projectId,
      p_occurrence_ids: [project.occurrences[0]?.id],
      p_key: bookingKey,
    };
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, () => t.db.rpc<ChildView>('book_session', args)),
    );
    expect(outcomes(results)).toEqual(Array(10).fill('ok'));
    const ids = results.map((r) => (r.status === 'fulfilled' ? r.value.bookings[0]?.id : null));
    expect(new Set(ids).size).toBe(1);
    expect(await bookingsOf(project.occurrences[0]?.id as string)).toHaveLength(1);
  });
});

describe('races', () => {
  it('30 guardians booking the last 5 seats at once: exactly 5 booked, 25 in line in request order', async () => {
    const project = await sessionProject(t.db, { schedule: { seats: 20 } });
    const occurrence = project.occurrences[2]?.id as string;
    const early = await guardiansWithChildren(15);
    for (const f of early) await book(t.db, f.guardian, f.child, project.projectId, [occurrence]);
    const families = await guardiansWithChildren(30);
    const results = await Promise.allSettled(
      families.map((f) => book(t.db, f.guardian, f.child, project.projectId, [occurrence])),
    );
    expect(outcomes(results)).toEqual(Array(30).fill('ok'));
    const late = (await bookingsOf(occurrence)).slice(15);
    expect(late.filter((b) => b.status === 'booked')).toHaveLength(5);
    expect(late.filter((b) => b.status === 'waitlisted')).toHaveLength(25);
    // Request order: the seats went to the first five through the lock, the line follows the rest in order.
    expect(late.map((b) => b.status)).toEqual([...Array(5).fill('booked'), ...Array(25).fill('waitlisted')]);
    const positions = await Promise.all(
      late.slice(5).map(async (b) => {
        const family = families.find((f) => f.child === b.child_id) as { guardian: string; child: string };
        const view = await t.db.rpc<ChildView>('get_child', {
          p_actor: family.guardian,
          p_child_id: family.child,
        });
        return view.bookings[0]?.waitlistPosition;
      }),
    );
    expect(positions).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    const menu = (await term(project)).occurrences.find((o) => o.id === occurrence);
    expect(menu).toMatchObject({ booked: 20, seatsLeft: 0, waitlisted: 25 });
  });

  it('one cancellation while 10 more guardians book at once: exactly one promotion, to the first in line', async () => {
    const project = await sessionProject(t.db, { schedule: { seats: 3 } });
    const occurrence = project.occurrences[1]?.id as string;
    const holders = await guardiansWithChildren(5);
    const views: ChildView[] = [];
    for (const f of holders)
      views.push(await book(t.db, f.guardian, f.child, project.projectId, [occurrence]));
    const newcomers = await guardiansWithChildren(10);
    const results = await Promise.allSettled([
      t.db.rpc('cancel_session_booking', {
        p_actor: holders[0]?.guardian,
        p_booking_id: views[0]?.bookings[0]?.id,
        p_scope: 'one',
        p_key: key(),
      }),
      ...newcomers.map((f) => book(t.db, f.guardian, f.child, project.projectId, [occurrence])),
    ]);
    expect(outcomes(results)).toEqual(Array(11).fill('ok'));
    const rows = await bookingsOf(occurrence);
    expect(rows.filter((r) => r.status === 'offered').map((r) => r.child_id)).toEqual([holders[3]?.child]);
    expect(rows.filter((r) => r.status === 'booked')).toHaveLength(2);
    expect(rows.filter((r) => r.status === 'waitlisted')).toHaveLength(11);
  });

  it('three cancellations at once: three seats, three offers, to the first three in line', async () => {
    const project = await sessionProject(t.db, { schedule: { seats: 3 } });
    const occurrence = project.occurrences[1]?.id as string;
    const families = await guardiansWithChildren(8);
    const views: ChildView[] = [];
    for (const f of families)
      views.push(await book(t.db, f.guardian, f.child, project.projectId, [occurrence]));
    const results = await Promise.allSettled(
      [0, 1, 2].map((i) =>
        t.db.rpc('cancel_session_booking', {
          p_actor: families[i]?.guardian,
          p_booking_id: views[i]?.bookings[0]?.id,
          p_scope: 'one',
          p_key: key(),
        }),
      ),
    );
    expect(outcomes(results)).toEqual(['ok', 'ok', 'ok']);
    const rows = await bookingsOf(occurrence);
    expect(rows.map((r) => r.status)).toEqual([
      'cancelled',
      'cancelled',
      'cancelled',
      'offered',
      'offered',
      'offered',
      'waitlisted',
      'waitlisted',
    ]);
  });

  it('a guardian booking one child twice at once (two keys): one place', async () => {
    const project = await sessionProject(t.db);
    const [f] = (await guardiansWithChildren(1)) as [{ guardian: string; child: string }];
    const occurrence = project.occurrences[0]?.id as string;
    const results = await Promise.allSettled(
      Array.from({ length: 6 }, () => book(t.db, f.guardian, f.child, project.projectId, [occurrence])),
    );
    const codes = outcomes(results);
    expect(codes.filter((c) => c === 'ok')).toHaveLength(1);
    expect(codes.filter((c) => c === 'conflict')).toHaveLength(5);
    expect(await bookingsOf(occurrence)).toHaveLength(1);
  });
});
