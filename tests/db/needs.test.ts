// 需求: posting (for oneself or 代发 by staff), the local check that keeps phone and ID
// numbers out of what neighbours read, photos, WeChat's asynchronous photo verdicts and
// the tick that stops a need waiting on them forever; then staff review — every
// decision, every refusal, the timeline and the word to the resident.
import { randomBytes } from 'node:crypto';
import type { NeedView, OrderView } from '@llb/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { expectAppError } from '../support/expect-app-error';
import { MORE, OTHER_STREET, SEED } from '../support/ids';
import { createResidents, key, publishProject } from '../support/orders';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t.close());

const hoursFromNow = (hours: number) => new Date(Date.now() + hours * 3_600_000).toISOString();

/** A need as the API sends it: the route adds the suggestion and both check outcomes. */
const post = (actor: string, input: Record<string, unknown>, k: string = key()) =>
  t.db.rpc<NeedView>('post_need', {
    p_actor: actor,
    p_input: {
      urgent: false,
      visibility: 'neighbours',
      photoIds: [],
      suggestion: { category: '智慧助老', confidence: 0.81, runnerUp: '其他' },
      contentCheck: 'pass',
      photoCheck: 'none',
      ...input,
    },
    p_key: k,
  });

const review = (
  actor: string,
  needId: string,
  decision: string,
  input: Record<string, unknown> = {},
  k: string = key(),
) =>
  t.db.rpc<NeedView>('review_need', {
    p_actor: actor,
    p_need_id: needId,
    p_decision: decision,
    p_input: input,
    p_key: k,
  });

const getNeed = (actor: string, needId: string) =>
  t.db.rpc<NeedView>('get_need', { p_actor: actor, p_need_id: needId });

/** A photo the owner uploaded (the API stored the bytes; SQL keeps the row). */
async function photo(owner: string, purpose = 'need_photo'): Promise<string> {
  const saved = await t.db.rpc<{ id: string }>('save_upload', {
    p_actor: owner,
    p_purpose: purpose,
    p_mime: 'image/jpeg',
    p_size: 2048,
    p_sha256: randomBytes(32).toString('hex'),
  });
  return saved.id;
}

/** Everything a need's writes touch, counted: a refusal must leave all of it as it was. */
async function snapshot() {
  const { rows } = await t.admin.query(`
    select (select count(*) from public.needs)::int as needs,
           (select count(*) from public.need_photos)::int as photos,
           (select count(*) from public.need_events)::int as events,
           (select count(*) from public.notifications)::int as notifications,
           (select count(*) from public.wishes)::int as wishes,
           (select count(*) from public.community_cases)::int as cases,
           (select count(*) from public.orders)::int as orders,
           (select string_agg(id || status || coalesce(decision_note, ''), ',' order by id) from public.needs) as states`);
  return rows[0];
}

/** Who was told about a need, with which event, in order. */
async function toldAbout(needId: string, event?: string) {
  const { rows } = await t.admin.query(
    `select recipient_id as "to", event, title, body, page from public.notifications
     where data->>'needId' = $1 and ($2::text is null or event = $2) order by id`,
    [needId, event ?? null],
  );
  return rows as { to: string; event: string; title: string; body: string; page: string }[];
}

const actionsOf = async (needId: string) =>
  (await getNeed(SEED.staffZhang, needId)).timeline?.map((e) => e.action);

const wishInput = (overrides: Record<string, unknown> = {}) => ({
  title: '帮忙换个灯泡',
  description: '厨房的灯泡坏了，老人够不着，想请人帮忙换一个',
  points: 20,
  deadline: hoursFromNow(24 * 7),
  ...overrides,
});

describe('posting a need', () => {
  it('a resident posts for themselves: waiting for review, in their list and the queue, staff of the community told once', async () => {
    const need = await post(SEED.residentWang, { body: '家里厨房的灯不亮了，想找人帮忙看看', urgent: true });
    expect(need).toMatchObject({
      residentId: SEED.residentWang,
      residentName: '王秀英',
      communityId: SEED.sunshine,
      postedByStaff: false,
      status: 'review',
      urgent: true,
      visibility: 'neighbours',
      viewerKind: 'resident',
      actions: ['withdraw'],
      // The check's verdict and the routing suggestion are for staff.
      contentCheck: null,
      suggestion: null,
      orderId: null,
      wishId: null,
    });
    const staffView = await getNeed(SEED.staffZhang, need.id);
    expect(staffView).toMatchObject({
      viewerKind: 'staff',
      contentCheck: 'pass',
      suggestion: { category: '智慧助老', runnerUp: '其他' },
      actions: ['publish_wish', 'make_order', 'open_case', 'merge', 'decline'],
    });
    expect(staffView.suggestion?.confidence).toBeCloseTo(0.81, 5);
    expect(staffView.timeline).toEqual([
      expect.objectContaining({ action: 'post', actorRole: 'resident', actorName: '王秀英' }),
    ]);
    expect(await toldAbout(need.id)).toEqual([
      {
        to: SEED.staffZhang,
        event: 'need_posted',
        title: '紧急求助待审核',
        body: '王秀英：家里厨房的灯不亮了，想找人帮忙看看',
        page: `/staff/pages/need/index?id=${need.id}`,
      },
    ]);
    const mine = await t.db.rpc<NeedView[]>('list_my_needs', { p_actor: SEED.residentWang });
    expect(mine.map((n) => n.id)).toContain(need.id);
    const queue = await t.db.rpc<NeedView[]>('list_community_needs', {
      p_actor: SEED.staffZhang,
      p_community_id: SEED.sunshine,
      p_status: 'review',
    });
    expect(queue.map((n) => n.id)).toContain(need.id);
    await expectAppError(
      t.db.rpc('list_community_needs', {
        p_actor: SEED.staffWu,
        p_community_id: SEED.sunshine,
        p_status: null,
      }),
      'forbidden',
    );
    // Nobody else reads it: a neighbour, a volunteer, another community's staff.
    for (const other of [MORE.residentChen, SEED.volunteerLi, SEED.staffWu, OTHER_STREET.adminLin]) {
      await expectAppError(getNeed(other, need.id), 'not_found', /没有找到这条求助/);
    }
  });

  it('the console counts the needs waiting for review, urgent ones apart, and stops counting a decided one', async () => {
    const overview = () =>
      t.db.rpc<{ needsToReview: number; urgentNeeds: number }>('get_community_overview', {
        p_actor: SEED.staffZhang,
        p_community_id: SEED.sunshine,
      });
    const before = await overview();
    const plain = await post(SEED.residentWang, { body: '想请人帮忙换个灯泡', visibility: 'staff' });
    await post(SEED.residentWang, { body: '家里老人摔倒了起不来', visibility: 'staff', urgent: true });
    expect(await overview()).toMatchObject({
      needsToReview: before.needsToReview + 2,
      urgentNeeds: before.urgentNeeds + 1,
    });
    await review(SEED.staffZhang, plain.id, 'decline', { reason: '已电话联系，家里人会处理' });
    expect(await overview()).toMatchObject({
      needsToReview: before.needsToReview + 1,
      urgentNeeds: before.urgentNeeds + 1,
    });
  });

  it('代发: staff post for a resident of their community who phoned, never for another community’s', async () => {
    const need = await post(SEED.staffZhang, {
      residentId: MORE.residentChen,
      body: '老陈打电话说想找人陪他去医院复查',
    });
    expect(need).toMatchObject({
      residentId: MORE.residentChen,
      residentName: '陈建国',
      postedByStaff: true,
      status: 'review',
      viewerKind: 'staff',
    });
    const forChen = await getNeed(MORE.residentChen, need.id);
    expect(forChen).toMatchObject({ viewerKind: 'resident', actions: ['withdraw'] });
    expect(forChen.timeline).toEqual([
      expect.objectContaining({ action: 'post', actorRole: 'staff', actorName: '张红梅' }),
    ]);
    expect(
      (await t.db.rpc<NeedView[]>('list_my_needs', { p_actor: MORE.residentChen })).map((n) => n.id),
    ).toContain(need.id);

    const before = await snapshot();
    // Another community's staff, staff for another community's resident, a resident for a neighbour.
    await expectAppError(
      post(SEED.staffWu, { residentId: MORE.residentChen, body: '代居民求助' }),
      'forbidden',
    );
    await expectAppError(
      post(SEED.staffZhang, { residentId: MORE.residentLiu, body: '代居民求助' }),
      'forbidden',
    );
    await expectAppError(
      post(SEED.residentWang, { residentId: MORE.residentChen, body: '帮邻居求助' }),
      'forbidden',
    );
    await expectAppError(
      post(SEED.staffZhang, { residentId: '00000000-0000-4000-8000-00000000dead', body: '代居民求助' }),
      'not_found',
    );
    const { rows } = await t.admin.query(
      `insert into public.users (nickname) values ('无社区') returning id`,
    );
    await expectAppError(post(rows[0].id, { body: '我想找人帮忙' }), 'invalid_input', /请先选择您所在的社区/);
    expect(await snapshot()).toEqual(before);
  });

  it('takes 2 to 500 characters and asks who may read them, in Chinese', async () => {
    const before = await snapshot();
    await expectAppError(post(SEED.residentWang, { body: '灯' }), 'invalid_input', /请说一说需要什么帮助/);
    await expectAppError(post(SEED.residentWang, { body: '    ' }), 'invalid_input', /请说一说需要什么帮助/);
    await expectAppError(post(SEED.residentWang, { body: '帮'.repeat(501) }), 'invalid_input', /最多 500 字/);
    await expectAppError(
      post(SEED.residentWang, { body: '想找人帮忙', visibility: 'everyone' }),
      'invalid_input',
      /请选择谁能看到这条求助/,
    );
    await expectAppError(
      post(SEED.residentWang, { body: '想找人帮忙', visibility: null }),
      'invalid_input',
      /请选择谁能看到这条求助/,
    );
    expect(await snapshot()).toEqual(before);
    const longest = await post(SEED.residentWang, { body: '帮'.repeat(500), visibility: 'staff' });
    expect(longest.body).toHaveLength(500);
  });

  it('refuses a phone or ID number in words neighbours may read, and keeps them when only staff read', async () => {
    const before = await snapshot();
    const phones = [
      '有事请打13812341234找我',
      '电话 138 1234 5678，下午在家',
      '电话138-1234-5678',
      '座机 021-55501234 找王阿姨',
      '13812341234',
    ];
    for (const body of phones) {
      await expectAppError(
        post(SEED.residentWang, { body }),
        'invalid_input',
        /请不要在公开的求助里写电话号码/,
      );
    }
    for (const body of ['身份证11010519491231002X帮我办医保', '我的身份证号是110105194912310021']) {
      await expectAppError(post(SEED.residentWang, { body }), 'invalid_input', /请不要在求助里写身份证号/);
    }
    expect(await snapshot()).toEqual(before);
    const forStaff = await post(SEED.residentWang, { body: '有事请打13812341234找我', visibility: 'staff' });
    expect(forStaff).toMatchObject({
      status: 'review',
      body: '有事请打13812341234找我',
      visibility: 'staff',
    });
    // Numbers that are not phones pass: a flat, a date, a time.
    const address = await post(SEED.residentWang, {
      body: '我住3栋2单元501，2026年11月25日下午3点到5点在家',
    });
    expect(address.status).toBe('review');
  });

  it('takes only the poster’s own need photos, in order, and no more than need_photos_max', async () => {
    const mine = [
      await photo(SEED.residentWang),
      await photo(SEED.residentWang),
      await photo(SEED.residentWang),
    ];
    const need = await post(SEED.residentWang, { body: '楼道的灯坏了，拍了照片', photoIds: mine });
    expect(need.photos).toEqual(mine.map((id) => ({ id, url: `/api/uploads/${id}`, checked: 'pass' })));

    const before = await snapshot();
    const chens = await photo(MORE.residentChen);
    await expectAppError(
      post(SEED.residentWang, { body: '楼道的灯坏了', photoIds: [mine[0], chens] }),
      'invalid_input',
      /照片不是您刚上传的/,
    );
    // Her own picture, but uploaded as a skill's proof.
    const proof = await photo(SEED.residentWang, 'skill_proof');
    await expectAppError(
      post(SEED.residentWang, { body: '楼道的灯坏了', photoIds: [proof] }),
      'invalid_input',
      /照片不是您刚上传的/,
    );
    await expectAppError(
      post(SEED.residentWang, { body: '楼道的灯坏了', photoIds: [...mine, await photo(SEED.residentWang)] }),
      'invalid_input',
      /照片最多 3 张/,
    );
    await t.admin.query("update public.policies set value = 1 where key = 'need_photos_max'");
    try {
      await expectAppError(
        post(SEED.residentWang, { body: '楼道的灯坏了', photoIds: mine.slice(0, 2) }),
        'invalid_input',
        /照片最多 1 张/,
      );
    } finally {
      await t.admin.query("update public.policies set value = 3 where key = 'need_photos_max'");
    }
    expect(await snapshot()).toEqual(before);
    // 代发: the staff member's own photo goes with the need they post.
    const staffPhoto = await photo(SEED.staffZhang);
    const forChen = await post(SEED.staffZhang, {
      residentId: MORE.residentChen,
      body: '老陈家的水管漏了，拍了照',
      photoIds: [staffPhoto],
    });
    expect(forChen.photos.map((p) => p.id)).toEqual([staffPhoto]);
  });

  it('a resend with the same key answers the same need and posts nothing more', async () => {
    const k = key();
    const input = { body: '想找人教我用手机挂号', urgent: false };
    const first = await post(SEED.residentWang, input, k);
    const again = await post(SEED.residentWang, input, k);
    expect(again).toEqual(first);
    const { rows } = await t.admin.query(
      `select count(*)::int as n from public.needs where resident_id = $1 and body = $2`,
      [SEED.residentWang, input.body],
    );
    expect(rows[0].n).toBe(1);
    expect(await toldAbout(first.id)).toHaveLength(1);
    await expectAppError(post(SEED.residentWang, { body: '换了一句话' }, k), 'idempotency_reused');
  });
});

describe('the content check', () => {
  it('a text WeChat wants reviewed reaches staff marked for review', async () => {
    const need = await post(SEED.residentWang, { body: '想请人帮忙处理一件事', contentCheck: 'review' });
    expect(need.status).toBe('review');
    expect(await getNeed(SEED.staffZhang, need.id)).toMatchObject({
      contentCheck: 'review',
      contentNote: '内容安全检查建议人工复核',
    });
  });

  it('photos under WeChat’s check hold the need (checking) until every verdict is in; a review verdict marks it', async () => {
    const photos = [await photo(SEED.residentWang), await photo(SEED.residentWang)];
    const need = await post(SEED.residentWang, {
      body: '阳台的窗户关不上了',
      photoIds: photos,
      photoCheck: 'wechat',
    });
    expect(need).toMatchObject({ status: 'checking', actions: ['withdraw'] });
    expect(need.photos.map((p) => p.checked)).toEqual(['pending', 'pending']);
    const staffView = await getNeed(SEED.staffZhang, need.id);
    expect(staffView).toMatchObject({ status: 'checking', contentCheck: 'pending', actions: [] });
    // Staff are told only when it is ready to review, and can't decide it before.
    expect(await toldAbout(need.id)).toEqual([]);
    await expectAppError(
      review(SEED.staffZhang, need.id, 'decline', { reason: '测试' }),
      'illegal_transition',
      /照片还在做内容安全检查/,
    );

    await t.db.rpc('record_media_trace', {
      p_need_id: need.id,
      p_upload_id: photos[0],
      p_trace_id: `tr-${need.id}-a`,
    });
    await t.db.rpc('record_media_trace', {
      p_need_id: need.id,
      p_upload_id: photos[1],
      p_trace_id: `tr-${need.id}-b`,
    });
    expect(await t.db.rpc('record_media_check', { p_trace_id: `tr-${need.id}-a`, p_result: 'pass' })).toEqual(
      {
        known: true,
        status: 'checking',
      },
    );
    expect(await toldAbout(need.id)).toEqual([]);
    expect(
      await t.db.rpc('record_media_check', { p_trace_id: `tr-${need.id}-b`, p_result: 'review' }),
    ).toEqual({
      known: true,
      status: 'review',
    });
    const checked = await getNeed(SEED.staffZhang, need.id);
    expect(checked).toMatchObject({ status: 'review', contentCheck: 'review' });
    expect(checked.photos.map((p) => p.checked)).toEqual(['pass', 'review']);
    expect(checked.timeline?.map((e) => [e.action, e.actorRole])).toEqual([
      ['post', 'resident'],
      ['checked', 'system'],
    ]);
    expect((await toldAbout(need.id)).map((n) => [n.to, n.event])).toEqual([
      [SEED.staffZhang, 'need_posted'],
    ]);
    // A verdict pushed again changes nothing and tells nobody again.
    await t.db.rpc('record_media_check', { p_trace_id: `tr-${need.id}-b`, p_result: 'risky' });
    expect((await getNeed(SEED.staffZhang, need.id)).status).toBe('review');
    expect(await toldAbout(need.id)).toHaveLength(1);
  });

  it('all photos passing send the need to review as passed', async () => {
    const photos = [await photo(SEED.residentWang)];
    const need = await post(SEED.residentWang, {
      body: '门口台阶坏了',
      photoIds: photos,
      photoCheck: 'wechat',
    });
    await t.db.rpc('record_media_trace', {
      p_need_id: need.id,
      p_upload_id: photos[0],
      p_trace_id: `tr-${need.id}`,
    });
    await t.db.rpc('record_media_check', { p_trace_id: `tr-${need.id}`, p_result: 'pass' });
    expect(await getNeed(SEED.staffZhang, need.id)).toMatchObject({ status: 'review', contentCheck: 'pass' });
  });

  it('one risky photo refuses the need and tells the poster; later verdicts change nothing', async () => {
    const photos = [await photo(SEED.residentWang), await photo(SEED.residentWang)];
    const need = await post(SEED.residentWang, {
      body: '楼下有人乱扔垃圾',
      photoIds: photos,
      photoCheck: 'wechat',
    });
    await t.db.rpc('record_media_trace', {
      p_need_id: need.id,
      p_upload_id: photos[0],
      p_trace_id: `tr-${need.id}-a`,
    });
    await t.db.rpc('record_media_trace', {
      p_need_id: need.id,
      p_upload_id: photos[1],
      p_trace_id: `tr-${need.id}-b`,
    });
    await t.db.rpc('record_media_check', { p_trace_id: `tr-${need.id}-a`, p_result: 'risky' });
    const refused = await getNeed(SEED.residentWang, need.id);
    expect(refused).toMatchObject({
      status: 'refused',
      contentNote: '照片没有通过内容安全检查',
      actions: [],
    });
    expect(await toldAbout(need.id)).toEqual([
      expect.objectContaining({ to: SEED.residentWang, event: 'need_refused', title: '求助没有发出' }),
    ]);
    await t.db.rpc('record_media_check', { p_trace_id: `tr-${need.id}-b`, p_result: 'pass' });
    expect((await getNeed(SEED.staffZhang, need.id)).status).toBe('refused');
    expect(await toldAbout(need.id)).toHaveLength(1);
    await expectAppError(
      review(SEED.staffZhang, need.id, 'decline', { reason: '测试' }),
      'illegal_transition',
    );
  });

  it('a need withdrawn while its photos are checked stays withdrawn when the verdict comes', async () => {
    const photos = [await photo(SEED.residentWang)];
    const need = await post(SEED.residentWang, {
      body: '花坛里有碎玻璃',
      photoIds: photos,
      photoCheck: 'wechat',
    });
    await t.db.rpc('record_media_trace', {
      p_need_id: need.id,
      p_upload_id: photos[0],
      p_trace_id: `tr-${need.id}`,
    });
    await t.db.rpc('withdraw_need', { p_actor: SEED.residentWang, p_need_id: need.id, p_key: key() });
    await t.db.rpc('record_media_check', { p_trace_id: `tr-${need.id}`, p_result: 'pass' });
    expect((await getNeed(SEED.residentWang, need.id)).status).toBe('withdrawn');
    expect(await toldAbout(need.id)).toEqual([]);
  });

  it('an unknown trace id is ignored; a verdict that is not one of the three is refused', async () => {
    expect(await t.db.rpc('record_media_check', { p_trace_id: 'no-such-trace', p_result: 'pass' })).toEqual({
      known: false,
    });
    await expectAppError(
      t.db.rpc('record_media_check', { p_trace_id: 'x', p_result: 'ok' }),
      'invalid_input',
    );
  });

  it('WeChat asked about no photos: the need goes straight to review', async () => {
    const need = await post(SEED.residentWang, { body: '想找人聊聊天', photoCheck: 'wechat' });
    expect(need.status).toBe('review');
  });

  it('the tick sends a need whose photo checks never came back to staff after 30 minutes, once', async () => {
    const photos = [await photo(SEED.residentWang)];
    const need = await post(SEED.residentWang, {
      body: '小区路灯不亮',
      photoIds: photos,
      photoCheck: 'wechat',
    });
    const { rows } = await t.admin.query('select created_at from public.needs where id = $1', [need.id]);
    const posted = (rows[0].created_at as Date).getTime();
    const tick = (minutes: number) =>
      t.db.rpc<{ lapsedClaims: number; uncheckedNeeds: number }>('tick_needs', {
        p_now: new Date(posted + minutes * 60_000).toISOString(),
      });
    expect((await tick(29)).uncheckedNeeds).toBe(0);
    expect((await getNeed(SEED.staffZhang, need.id)).status).toBe('checking');
    expect((await tick(31)).uncheckedNeeds).toBeGreaterThanOrEqual(1);
    const after = await getNeed(SEED.staffZhang, need.id);
    expect(after).toMatchObject({
      status: 'review',
      contentCheck: 'review',
      contentNote: '照片检查没有按时返回结果，请人工查看照片',
    });
    expect(after.timeline?.at(-1)).toMatchObject({
      action: 'checked',
      actorRole: 'system',
      actorName: '系统',
    });
    expect((await toldAbout(need.id)).map((n) => [n.to, n.event])).toEqual([
      [SEED.staffZhang, 'need_posted'],
    ]);
    expect((await tick(60)).uncheckedNeeds).toBe(0);
  });
});

describe('staff review', () => {
  const fresh = (body = '家里的水龙头一直滴水', actor: string = SEED.residentWang) => post(actor, { body });

  it('publish_wish: refuses bounds and public phone numbers in Chinese, changing nothing', async () => {
    const need = await fresh('想请人帮忙换个灯泡');
    const before = await snapshot();
    const refusals: [Record<string, unknown>, RegExp][] = [
      [{ title: '灯' }, /心愿标题要 2 到 40 个字/],
      [{ title: '灯'.repeat(41) }, /心愿标题要 2 到 40 个字/],
      [{ description: '换' }, /心愿说明要 2 到 300 个字/],
      [{ description: '换'.repeat(301) }, /心愿说明要 2 到 300 个字/],
      [{ points: 0 }, /奖励积分要在 1 到 500 之间/],
      [{ points: 501 }, /奖励积分要在 1 到 500 之间/],
      [{ points: null }, /奖励积分要在 1 到 500 之间/],
      [{ deadline: hoursFromNow(-1) }, /完成期限要在今后 60 天以内/],
      [{ deadline: hoursFromNow(24 * 61) }, /完成期限要在今后 60 天以内/],
      [{ deadline: null }, /完成期限要在今后 60 天以内/],
      [{ title: '换灯泡请打13812341234' }, /不要写电话号码或身份证号/],
      [{ description: '联系人身份证11010519491231002X' }, /不要写电话号码或身份证号/],
    ];
    for (const [change, message] of refusals) {
      await expectAppError(
        review(SEED.staffZhang, need.id, 'publish_wish', wishInput(change)),
        'invalid_input',
        message,
      );
    }
    await t.admin.query("update public.policies set value = 50 where key = 'wish_points_max'");
    try {
      await expectAppError(
        review(SEED.staffZhang, need.id, 'publish_wish', wishInput({ points: 51 })),
        'invalid_input',
        /1 到 50 之间/,
      );
    } finally {
      await t.admin.query("update public.policies set value = 500 where key = 'wish_points_max'");
    }
    expect(await snapshot()).toEqual(before);
  });

  it('publish_wish: a wish at the policy’s limits, the need closed into it, on the timeline, the resident told', async () => {
    const need = await fresh('想请人帮忙换个灯泡');
    const reviewed = await review(
      SEED.staffZhang,
      need.id,
      'publish_wish',
      wishInput({ title: '  换灯泡  ', points: 500, deadline: hoursFromNow(24 * 59) }),
    );
    expect(reviewed).toMatchObject({
      status: 'wish',
      decisionNote: '已发布为微心愿“换灯泡”，等志愿者认领',
      actions: [],
    });
    expect(reviewed.wishId).not.toBeNull();
    expect(reviewed.reviewedAt).not.toBeNull();
    expect(reviewed.timeline?.map((e) => [e.action, e.actorRole])).toEqual([
      ['post', 'resident'],
      ['publish_wish', 'staff'],
    ]);
    const { rows } = await t.admin.query('select * from public.wishes where id = $1', [reviewed.wishId]);
    expect(rows[0]).toMatchObject({
      need_id: need.id,
      community_id: SEED.sunshine,
      resident_id: SEED.residentWang,
      title: '换灯泡',
      points: 500,
      pool: '0',
      status: 'open',
      claimer_id: null,
      created_by: SEED.staffZhang,
    });
    expect(await toldAbout(need.id, 'need_reviewed')).toEqual([
      {
        to: SEED.residentWang,
        event: 'need_reviewed',
        title: '您的求助有回音了',
        body: '已发布为微心愿“换灯泡”，等志愿者认领',
        page: `/pages/need/index?id=${need.id}`,
      },
    ]);
    const residentView = await getNeed(SEED.residentWang, need.id);
    expect(residentView).toMatchObject({ status: 'wish', wishId: reviewed.wishId, actions: [] });
  });

  it('make_order: a 代下单 for the resident through place_order, the need linked to it', async () => {
    const project = await publishProject(t.db);
    const [resident] = (await createResidents(t.admin, 1)) as [string];
    const need = await fresh('想学用手机和孙子视频', resident);
    const orderInput = {
      projectId: project.id,
      windowStart: hoursFromNow(3),
      windowEnd: hoursFromNow(5),
      notes: '',
    };
    const before = await snapshot();
    // place_order's own refusals come through and nothing is made.
    await expectAppError(
      review(SEED.staffZhang, need.id, 'make_order', { ...orderInput, windowStart: hoursFromNow(-1) }),
      'invalid_input',
      /请预约/,
    );
    await expectAppError(
      review(SEED.staffZhang, need.id, 'make_order', {
        ...orderInput,
        projectId: '00000000-0000-4000-8000-00000000beef',
      }),
      'not_found',
    );
    expect(await snapshot()).toEqual(before);

    const reviewed = await review(SEED.staffZhang, need.id, 'make_order', orderInput);
    expect(reviewed).toMatchObject({ status: 'ordered', decisionNote: '已为您预约服务“手机使用上门教学”' });
    expect(reviewed.orderId).not.toBeNull();
    const { rows } = await t.admin.query('select * from public.orders where id = $1', [reviewed.orderId]);
    expect(rows[0]).toMatchObject({
      resident_id: resident,
      ordered_by: SEED.staffZhang,
      project_id: project.id,
      community_id: SEED.sunshine,
      notes: '想学用手机和孙子视频',
      address: '阳光小区1栋101',
      status: 'open',
    });
    const order = await t.db.rpc<OrderView>('get_order', { p_actor: resident, p_order_id: reviewed.orderId });
    expect(order.id).toBe(reviewed.orderId);
    const forResident = await getNeed(resident, need.id);
    expect(forResident).toMatchObject({ status: 'ordered', orderId: reviewed.orderId });
    expect(forResident.timeline?.at(-1)).toMatchObject({
      action: 'make_order',
      actorRole: 'staff',
      detail: { orderId: reviewed.orderId },
    });
    expect((await toldAbout(need.id, 'need_reviewed')).map((n) => n.to)).toEqual([resident]);
  });

  it('open_case then update_case: 受理 → 处理中 → 已办结, each reply to the resident; closed stays closed', async () => {
    const need = await fresh('楼道里的灯坏了好几天了');
    const opened = await review(SEED.staffZhang, need.id, 'open_case');
    expect(opened).toMatchObject({
      status: 'case',
      decisionNote: '社区已受理，会尽快处理并回复您',
      case: { status: 'accepted', reply: null },
      actions: ['update_case'],
    });
    const caseId = opened.case?.id as string;
    const update = (actor: string, status: string, reply: string, k = key()) =>
      t.db.rpc<NeedView>('update_case', {
        p_actor: actor,
        p_case_id: caseId,
        p_status: status,
        p_reply: reply,
        p_key: k,
      });

    const before = await snapshot();
    await expectAppError(
      update(SEED.staffWu, 'in_progress', '已派人查看'),
      'not_found',
      /没有找到这件社区事务/,
    );
    await expectAppError(update(SEED.residentWang, 'in_progress', '已派人查看'), 'not_found');
    await expectAppError(update(SEED.staffZhang, 'accepted', '已派人查看'), 'invalid_input');
    await expectAppError(update(SEED.staffZhang, 'in_progress', ' '), 'invalid_input', /回复/);
    expect(await snapshot()).toEqual(before);

    const working = await update(SEED.staffZhang, 'in_progress', '物业已派电工查看');
    expect(working).toMatchObject({
      status: 'case',
      case: { status: 'in_progress', reply: '物业已派电工查看' },
    });
    const closed = await update(SEED.staffZhang, 'closed', '灯已经修好了');
    expect(closed).toMatchObject({ case: { status: 'closed', reply: '灯已经修好了' }, actions: [] });
    await expectAppError(update(SEED.staffZhang, 'in_progress', '再看看'), 'illegal_transition', /已经办结/);
    expect(closed.timeline?.map((e) => e.action)).toEqual([
      'post',
      'open_case',
      'case_in_progress',
      'case_closed',
    ]);
    expect(
      (await toldAbout(need.id))
        .filter((n) => n.to === SEED.residentWang)
        .map((n) => [n.event, n.title, n.body]),
    ).toEqual([
      ['need_reviewed', '您的求助有回音了', '社区已受理，会尽快处理并回复您'],
      ['case_replied', '您反映的事正在处理', '物业已派电工查看'],
      ['case_replied', '您反映的事已办结', '灯已经修好了'],
    ]);
    const forResident = await getNeed(SEED.residentWang, need.id);
    expect(forResident.case).toMatchObject({ status: 'closed', reply: '灯已经修好了' });
  });

  it('merge: into another need of the same community that is still open, never itself or another community’s', async () => {
    const a = await fresh('小区东门的路灯不亮');
    const b = await fresh('东门那边晚上太黑了', MORE.residentChen);
    const elsewhere = await post(MORE.residentLiu, { body: '和平新村的路灯坏了' });
    const gone = await fresh('已经不需要了');
    await review(SEED.staffZhang, gone.id, 'decline', { reason: '居民说已经解决' });
    const before = await snapshot();
    for (const into of [a.id, elsewhere.id, gone.id, null, '00000000-0000-4000-8000-00000000f00d']) {
      await expectAppError(
        review(SEED.staffZhang, a.id, 'merge', { intoNeedId: into }),
        'invalid_input',
        /请选择本社区另一条还在处理的求助来合并/,
      );
    }
    expect(await snapshot()).toEqual(before);
    const merged = await review(SEED.staffZhang, a.id, 'merge', { intoNeedId: b.id });
    expect(merged).toMatchObject({
      status: 'merged',
      mergedInto: b.id,
      decisionNote: '这件事已经有人反映过，社区合并处理',
    });
    expect((await getNeed(SEED.staffZhang, b.id)).timeline?.map((e) => [e.action, e.detail])).toEqual([
      ['post', expect.anything()],
      ['merged_in', { needId: a.id }],
    ]);
    // A merged need is no home for another.
    await expectAppError(review(SEED.staffZhang, b.id, 'merge', { intoNeedId: a.id }), 'invalid_input');
    expect((await toldAbout(a.id, 'need_reviewed')).map((n) => n.to)).toEqual([SEED.residentWang]);
  });

  it('two staff merging two needs into each other at once: one merge, never a cycle with nothing left open', async () => {
    for (let round = 0; round < 5; round++) {
      const a = await fresh(`三号楼电梯坏了${round}`);
      const b = await fresh(`三号楼的电梯又停了${round}`, MORE.residentChen);
      const results = await Promise.allSettled([
        review(SEED.staffZhang, a.id, 'merge', { intoNeedId: b.id }),
        review(SEED.adminHuang, b.id, 'merge', { intoNeedId: a.id }),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      for (const r of results) {
        if (r.status === 'rejected')
          expect(['conflict', 'invalid_input']).toContain((r.reason as { code: string }).code);
      }
      const { rows } = await t.admin.query(
        `select count(*)::int as open from public.needs where id = any($1::uuid[]) and status <> 'merged'`,
        [[a.id, b.id]],
      );
      expect(rows[0].open).toBe(1);
    }
  });

  // The merge waits for the decline (both needs locked) and is refused, or goes first and the
  // decline then takes the merged need with it (its resident is told too).
  it('a merge racing the decline of its target never leaves a need merged into a declined one', async () => {
    for (let round = 0; round < 5; round++) {
      const a = await fresh(`小区北门积水${round}`);
      const b = await fresh(`北门那边积水很深${round}`, MORE.residentChen);
      await Promise.allSettled([
        review(SEED.staffZhang, a.id, 'merge', { intoNeedId: b.id }),
        review(SEED.adminHuang, b.id, 'decline', { reason: '已转交物业处理' }),
      ]);
      const { rows } = await t.admin.query(
        `select a.status as a, b.status as b from public.needs a, public.needs b where a.id = $1 and b.id = $2`,
        [a.id, b.id],
      );
      expect(rows[0]).not.toEqual({ a: 'merged', b: 'declined' });
    }
  });

  it('decline: a reason the resident reads is required; an unknown decision is refused', async () => {
    const need = await fresh('想让社区帮忙买菜');
    const before = await snapshot();
    await expectAppError(review(SEED.staffZhang, need.id, 'decline', {}), 'invalid_input', /请写明原因/);
    await expectAppError(
      review(SEED.staffZhang, need.id, 'decline', { reason: ' 不 ' }),
      'invalid_input',
      /请写明原因/,
    );
    await expectAppError(review(SEED.staffZhang, need.id, 'approve', {}), 'invalid_input', /请选择处理方式/);
    expect(await snapshot()).toEqual(before);
    const declined = await review(SEED.staffZhang, need.id, 'decline', {
      reason: '  可以用助餐服务，已电话告知  ',
    });
    expect(declined).toMatchObject({
      status: 'declined',
      decisionNote: '可以用助餐服务，已电话告知',
      actions: [],
    });
    expect(await toldAbout(need.id, 'need_reviewed')).toEqual([
      expect.objectContaining({ to: SEED.residentWang, body: '可以用助餐服务，已电话告知' }),
    ]);
    expect(await actionsOf(need.id)).toEqual(['post', 'decline']);
  });

  it('only staff of the need’s community (or its street’s admin) review; to anyone else it does not exist', async () => {
    const need = await fresh('想找人帮忙修门锁');
    const before = await snapshot();
    for (const actor of [
      SEED.residentWang,
      MORE.residentChen,
      SEED.volunteerLi,
      SEED.staffWu,
      OTHER_STREET.staffHe,
      OTHER_STREET.adminLin,
    ]) {
      await expectAppError(
        review(actor, need.id, 'decline', { reason: '不属于服务范围' }),
        'not_found',
        /没有找到这条求助/,
      );
    }
    await expectAppError(
      review(SEED.staffZhang, '00000000-0000-4000-8000-00000000aaaa', 'decline', {
        reason: '不属于服务范围',
      }),
      'not_found',
    );
    expect(await snapshot()).toEqual(before);
    const byAdmin = await review(SEED.adminHuang, need.id, 'decline', { reason: '街道统一处理' });
    expect(byAdmin.status).toBe('declined');
  });

  it('a decided need is decided once: every second decision is an illegal transition', async () => {
    const project = await publishProject(t.db);
    const [resident] = (await createResidents(t.admin, 1)) as [string];
    const needs = {
      wish: await fresh('想请人帮忙贴春联'),
      ordered: await fresh('想学用手机', resident),
      case: await fresh('垃圾桶满了没人收'),
      merged: await fresh('垃圾桶满了'),
      declined: await fresh('想借点钱'),
    };
    await review(SEED.staffZhang, needs.wish.id, 'publish_wish', wishInput());
    await review(SEED.staffZhang, needs.ordered.id, 'make_order', {
      projectId: project.id,
      windowStart: hoursFromNow(30),
      windowEnd: hoursFromNow(32),
    });
    await review(SEED.staffZhang, needs.case.id, 'open_case');
    await review(SEED.staffZhang, needs.merged.id, 'merge', { intoNeedId: needs.case.id });
    await review(SEED.staffZhang, needs.declined.id, 'decline', { reason: '不属于服务范围' });
    const before = await snapshot();
    for (const need of Object.values(needs)) {
      for (const [decision, input] of [
        ['decline', { reason: '再处理一次' }],
        ['open_case', {}],
        ['publish_wish', wishInput()],
      ] as const) {
        await expectAppError(
          review(SEED.staffZhang, need.id, decision, input),
          'illegal_transition',
          /已经处理过了/,
        );
      }
    }
    expect(await snapshot()).toEqual(before);
    // And each was told once.
    for (const need of Object.values(needs)) {
      expect(await toldAbout(need.id, 'need_reviewed')).toHaveLength(1);
    }
  });

  it('the resident withdraws before review, not after; others can’t; a withdrawn need is not reviewed', async () => {
    const need = await fresh('想找人陪我去银行');
    await expectAppError(
      t.db.rpc('withdraw_need', { p_actor: MORE.residentChen, p_need_id: need.id, p_key: key() }),
      'not_found',
    );
    await expectAppError(
      t.db.rpc('withdraw_need', { p_actor: SEED.staffZhang, p_need_id: need.id, p_key: key() }),
      'forbidden',
      /只有发布求助的居民可以撤回/,
    );
    const k = key();
    const withdrawn = await t.db.rpc<NeedView>('withdraw_need', {
      p_actor: SEED.residentWang,
      p_need_id: need.id,
      p_key: k,
    });
    expect(withdrawn).toMatchObject({ status: 'withdrawn', actions: [] });
    expect(withdrawn.timeline?.map((e) => [e.action, e.actorRole])).toEqual([
      ['post', 'resident'],
      ['withdraw', 'resident'],
    ]);
    expect(
      await t.db.rpc('withdraw_need', { p_actor: SEED.residentWang, p_need_id: need.id, p_key: k }),
    ).toEqual(withdrawn);
    await expectAppError(
      review(SEED.staffZhang, need.id, 'decline', { reason: '测试' }),
      'illegal_transition',
      /居民已经撤回了/,
    );

    const decided = await fresh('想找人陪我去邮局');
    await review(SEED.staffZhang, decided.id, 'open_case');
    await expectAppError(
      t.db.rpc('withdraw_need', { p_actor: SEED.residentWang, p_need_id: decided.id, p_key: key() }),
      'illegal_transition',
      /不能撤回了/,
    );
    // 代发 for Chen: Chen may withdraw it.
    const forChen = await post(SEED.staffZhang, {
      residentId: MORE.residentChen,
      body: '老陈想找人修收音机',
    });
    const byChen = await t.db.rpc<NeedView>('withdraw_need', {
      p_actor: MORE.residentChen,
      p_need_id: forChen.id,
      p_key: key(),
    });
    expect(byChen.status).toBe('withdrawn');
  });

  it('the queue lists needs to review first, urgent first, and filters by status', async () => {
    const calm = await fresh('不着急，想问问有没有理发服务');
    const urgent = await post(SEED.residentWang, { body: '老伴摔倒了起不来', urgent: true });
    const queue = await t.db.rpc<NeedView[]>('list_community_needs', {
      p_actor: SEED.staffZhang,
      p_community_id: SEED.sunshine,
      p_status: null,
    });
    const ids = queue.map((n) => n.id);
    expect(ids.indexOf(urgent.id)).toBeLessThan(ids.indexOf(calm.id));
    const firstDecided = queue.findIndex((n) => n.status !== 'review');
    const lastReview = queue.map((n) => n.status).lastIndexOf('review');
    expect(firstDecided).toBeGreaterThan(lastReview);
    const declined = await t.db.rpc<NeedView[]>('list_community_needs', {
      p_actor: SEED.staffZhang,
      p_community_id: SEED.sunshine,
      p_status: 'declined',
    });
    expect(declined.length).toBeGreaterThan(0);
    expect(declined.every((n) => n.status === 'declined' && n.communityId === SEED.sunshine)).toBe(true);
  });
});
