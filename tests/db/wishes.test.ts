// 微心愿: who sees a wish and how much of the resident (anonymised to neighbours and
// browsing volunteers, in full to the claimer while it is theirs and to staff); one
// claimer out of twenty at once; release, fulfil with the claimer's own proof, confirm
// and rate; the points from issuance and the neighbours' pool (held in escrow) reach
// the claimer once; donations capped, never more than the wallet holds, refunded to
// each giver when staff withdraw the wish; and the tick returns a lapsed claim.
import { randomBytes } from 'node:crypto';
import type { NeedView, WishView } from '@llb/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { expectAppError } from '../support/expect-app-error';
import { MORE, OTHER_STREET, SEED } from '../support/ids';
import {
  createResidents,
  createVolunteers,
  grantPoints,
  HOLDS,
  key,
  ledgerInvariants,
} from '../support/orders';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t.close());

const daysFromNow = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

async function photo(owner: string, purpose: string): Promise<string> {
  const saved = await t.db.rpc<{ id: string }>('save_upload', {
    p_actor: owner,
    p_purpose: purpose,
    p_mime: 'image/jpeg',
    p_size: 2048,
    p_sha256: randomBytes(32).toString('hex'),
  });
  return saved.id;
}

/** A need of a new resident of 阳光社区 (address 阳光小区1栋101), published by staff as a wish. */
async function publishedWish(
  options: {
    visibility?: 'neighbours' | 'staff';
    points?: number;
    resident?: string;
    withPhoto?: boolean;
  } = {},
) {
  const resident = options.resident ?? ((await createResidents(t.admin, 1)) as [string])[0];
  const photoIds = options.withPhoto ? [await photo(resident, 'need_photo')] : [];
  const need = await t.db.rpc<NeedView>('post_need', {
    p_actor: resident,
    p_input: {
      body: '想请人帮忙把旧衣服送到回收点',
      urgent: false,
      visibility: options.visibility ?? 'neighbours',
      photoIds,
      contentCheck: 'pass',
      photoCheck: 'none',
    },
    p_key: key(),
  });
  const reviewed = await t.db.rpc<NeedView>('review_need', {
    p_actor: SEED.staffZhang,
    p_need_id: need.id,
    p_decision: 'publish_wish',
    p_input: {
      title: '送旧衣服去回收点',
      description: '家里有两袋旧衣服，想请人帮忙送到小区门口的回收点',
      points: options.points ?? 30,
      deadline: daysFromNow(10),
    },
    p_key: key(),
  });
  return { id: reviewed.wishId as string, needId: need.id, resident, photoIds };
}

const getWish = (actor: string, wishId: string) =>
  t.db.rpc<WishView>('get_wish', { p_actor: actor, p_wish_id: wishId });
const listWishes = (actor: string) => t.db.rpc<WishView[]>('list_wishes', { p_actor: actor });
const claim = (actor: string, wishId: string, k: string = key()) =>
  t.db.rpc<WishView>('claim_wish', { p_actor: actor, p_wish_id: wishId, p_key: k });
const release = (actor: string, wishId: string) =>
  t.db.rpc<WishView>('release_wish', {
    p_actor: actor,
    p_wish_id: wishId,
    p_reason: '临时有事',
    p_key: key(),
  });
const fulfil = (actor: string, wishId: string, photoId: string | null, note = '已经送到回收点了') =>
  t.db.rpc<WishView>('fulfil_wish', {
    p_actor: actor,
    p_wish_id: wishId,
    p_photo_id: photoId,
    p_note: note,
    p_key: key(),
  });
const confirm = (actor: string, wishId: string, rating: number, k: string = key()) =>
  t.db.rpc<WishView>('confirm_wish', {
    p_actor: actor,
    p_wish_id: wishId,
    p_rating: rating,
    p_comment: '很及时，谢谢',
    p_key: k,
  });
const donate = (actor: string, wishId: string, amount: number, k: string = key()) =>
  t.db.rpc<WishView>('donate_to_wish', { p_actor: actor, p_wish_id: wishId, p_amount: amount, p_key: k });
const withdraw = (actor: string, wishId: string, reason: string) =>
  t.db.rpc<WishView>('withdraw_wish', { p_actor: actor, p_wish_id: wishId, p_reason: reason, p_key: key() });

const balance = async (user: string) =>
  Number(
    (
      await t.admin.query(
        `select balance from public.point_accounts where kind = 'wallet' and user_id = $1`,
        [user],
      )
    ).rows[0]?.balance ?? 0,
  );
/** What the community's escrow account holds (the sum of its entries). */
const escrow = async (community: string = SEED.sunshine) =>
  Number(
    (
      await t.admin.query(
        `select coalesce(sum(e.amount), 0) as total from public.point_entries e
         join public.point_accounts a on a.id = e.account_id where a.kind = 'escrow' and a.community_id = $1`,
        [community],
      )
    ).rows[0].total,
  );
const wishRow = async (wishId: string) =>
  (await t.admin.query('select * from public.wishes where id = $1', [wishId])).rows[0];
const told = async (wishId: string, event: string) =>
  (
    await t.admin.query(
      `select recipient_id as "to", title, body from public.notifications
       where event = $2 and data->>'wishId' = $1 order by id`,
      [wishId, event],
    )
  ).rows as { to: string; title: string; body: string }[];
const timeline = async (needId: string) =>
  (await t.db.rpc<NeedView>('get_need', { p_actor: SEED.staffZhang, p_need_id: needId })).timeline?.map(
    (e) => e.action,
  );

/** 'ok' or the error code, per settled call. */
const outcomes = (results: PromiseSettledResult<unknown>[]) =>
  results.map((r) =>
    r.status === 'fulfilled' ? 'ok' : ((r.reason as { code?: string }).code ?? String(r.reason)),
  );

describe('who sees a wish, and how much', () => {
  it('browsing volunteers of the community see it anonymised, whatever its visibility', async () => {
    const open = await publishedWish({ withPhoto: true });
    const quiet = await publishedWish({ visibility: 'staff' });
    const listed = await listWishes(SEED.volunteerLi);
    expect(listed.map((w) => w.id)).toEqual(expect.arrayContaining([open.id, quiet.id]));
    const seen = await getWish(SEED.volunteerLi, open.id);
    expect(seen).toMatchObject({
      viewerKind: 'volunteer',
      status: 'open',
      title: '送旧衣服去回收点',
      residentName: '一位邻居',
      address: '阳光小区***',
      phone: null,
      photos: [],
      claimerName: null,
      rating: null,
      mine: false,
      actions: ['claim', 'donate'],
    });
    // Another community's volunteer, resident or staff: it does not exist.
    for (const other of [MORE.volunteerSun, MORE.residentLiu, SEED.staffWu, OTHER_STREET.volunteerZheng]) {
      await expectAppError(getWish(other, open.id), 'not_found', /没有找到这个心愿/);
      expect((await listWishes(other)).map((w) => w.id)).not.toContain(open.id);
    }
  });

  it('neighbours see only wishes of needs shared with neighbours, with no name, phone, photos or full address', async () => {
    const open = await publishedWish({ withPhoto: true });
    const quiet = await publishedWish({ visibility: 'staff' });
    // 陈建国 lives in 阳光社区 and is not a volunteer.
    const listed = (await listWishes(MORE.residentChen)).map((w) => w.id);
    expect(listed).toContain(open.id);
    expect(listed).not.toContain(quiet.id);
    await expectAppError(getWish(MORE.residentChen, quiet.id), 'not_found');
    const seen = await getWish(MORE.residentChen, open.id);
    expect(seen).toMatchObject({
      viewerKind: 'neighbour',
      residentName: '一位邻居',
      address: '阳光小区***',
      phone: null,
      photos: [],
      actions: ['donate'],
    });
    const text = JSON.stringify(seen);
    expect(text).not.toMatch(/居民\d|1栋101|1360000|uploads/);
  });

  it('staff and the resident see everything; the claimer sees name, address, phone and photos while it is theirs', async () => {
    const wish = await publishedWish({ withPhoto: true, visibility: 'staff' });
    const full = {
      residentName: '居民1',
      address: '阳光小区1栋101',
      phone: '13600000001',
    };
    expect(await getWish(SEED.staffZhang, wish.id)).toMatchObject({
      viewerKind: 'staff',
      ...full,
      photos: [`/api/uploads/${wish.photoIds[0]}`],
      actions: ['withdraw'],
    });
    expect(await getWish(wish.resident, wish.id)).toMatchObject({
      viewerKind: 'resident',
      ...full,
      actions: [],
    });
    const claimed = await claim(SEED.volunteerLi, wish.id);
    expect(claimed).toMatchObject({
      viewerKind: 'claimer',
      status: 'claimed',
      ...full,
      photos: [`/api/uploads/${wish.photoIds[0]}`],
      claimerName: '李明',
      mine: true,
      actions: ['fulfil', 'release', 'donate'],
    });
    // Other volunteers still browse it anonymised, and can't claim it.
    expect(await getWish(MORE.volunteerZhao, wish.id)).toMatchObject({
      viewerKind: 'volunteer',
      residentName: '一位邻居',
      phone: null,
      claimerName: null,
      actions: ['donate'],
    });
    expect((await listWishes(SEED.volunteerLi))[0]?.id).toBe(wish.id);
    expect(await getWish(wish.resident, wish.id)).toMatchObject({ claimerName: '李明' });
  });
});

describe('认领', () => {
  it('20 volunteers claiming one wish at once: exactly one claimer, the others told it is taken', async () => {
    const wish = await publishedWish();
    const volunteers = await createVolunteers(t.admin, 20, { prefix: '抢心愿' });
    const results = await Promise.allSettled(volunteers.map((v) => claim(v, wish.id)));
    const codes = outcomes(results);
    expect(codes.filter((c) => c === 'ok')).toHaveLength(1);
    expect(codes.filter((c) => c === 'conflict')).toHaveLength(19);
    for (const r of results) {
      if (r.status === 'rejected') expect((r.reason as Error).message).toMatch(/已经有人认领了/);
    }
    const winner = volunteers[codes.indexOf('ok')];
    expect(await wishRow(wish.id)).toMatchObject({ status: 'claimed', claimer_id: winner });
    expect((await timeline(wish.needId))?.filter((a) => a === 'claim')).toHaveLength(1);
    expect((await told(wish.id, 'wish_claimed')).map((n) => n.to)).toEqual([wish.resident]);
  });

  it('a resend of a claim replays it; the resident, a neighbour and staff can’t claim', async () => {
    const [volunteer] = (await createVolunteers(t.admin, 1, { prefix: '认领' })) as [string];
    // 李明 is a volunteer and a resident: his own wish is not his to claim.
    const own = await publishedWish({ resident: SEED.volunteerLi });
    await expectAppError(claim(SEED.volunteerLi, own.id), 'forbidden', /不能认领自己的心愿/);
    await expectAppError(claim(MORE.residentChen, own.id), 'forbidden', /审核通过的本社区志愿者才能认领心愿/);
    await expectAppError(claim(SEED.staffZhang, own.id), 'forbidden');
    await expectAppError(claim(MORE.volunteerSun, own.id), 'not_found');
    expect(await wishRow(own.id)).toMatchObject({ status: 'open', claimer_id: null });
    const k = key();
    const first = await claim(volunteer, own.id, k);
    expect(await claim(volunteer, own.id, k)).toEqual(first);
    expect((await told(own.id, 'wish_claimed')).length).toBe(1);
  });

  it('a wish past its deadline can’t be claimed', async () => {
    const wish = await publishedWish();
    await t.admin.query(`update public.wishes set deadline = now() - interval '1 minute' where id = $1`, [
      wish.id,
    ]);
    expect((await getWish(SEED.volunteerLi, wish.id)).actions).toEqual(['donate']);
    await expectAppError(
      claim(SEED.volunteerLi, wish.id),
      'illegal_transition',
      /这个心愿已过期限，不能认领了/,
    );
  });

  it('the claimer releases it: open again for anyone, on the timeline; nobody else can release it', async () => {
    const wish = await publishedWish();
    await claim(SEED.volunteerLi, wish.id);
    await expectAppError(release(MORE.volunteerZhao, wish.id), 'forbidden', /这不是您认领的心愿/);
    await expectAppError(release(SEED.staffZhang, wish.id), 'forbidden');
    const released = await release(SEED.volunteerLi, wish.id);
    expect(released).toMatchObject({
      status: 'open',
      claimedAt: null,
      viewerKind: 'volunteer',
      actions: ['claim', 'donate'],
    });
    expect(await wishRow(wish.id)).toMatchObject({ status: 'open', claimer_id: null });
    expect(await claim(MORE.volunteerZhao, wish.id)).toMatchObject({
      status: 'claimed',
      claimerName: '赵丽',
    });
    expect(await timeline(wish.needId)).toEqual(['post', 'publish_wish', 'claim', 'release', 'claim']);
  });
});

describe('fulfil, confirm and the points', () => {
  it('fulfil takes the claimer’s own proof photo and a note; the resident is asked to confirm', async () => {
    const wish = await publishedWish();
    await claim(SEED.volunteerLi, wish.id);
    const theirs = await photo(MORE.volunteerZhao, 'wish_proof');
    const notProof = await photo(SEED.volunteerLi, 'need_photo');
    const mine = await photo(SEED.volunteerLi, 'wish_proof');
    await expectAppError(fulfil(MORE.volunteerZhao, wish.id, theirs), 'forbidden', /这不是您认领的心愿/);
    await expectAppError(fulfil(SEED.volunteerLi, wish.id, theirs), 'invalid_input', /请拍一张照片/);
    await expectAppError(fulfil(SEED.volunteerLi, wish.id, notProof), 'invalid_input', /请拍一张照片/);
    await expectAppError(fulfil(SEED.volunteerLi, wish.id, null), 'invalid_input', /请拍一张照片/);
    await expectAppError(
      fulfil(SEED.volunteerLi, wish.id, mine, ' 好 '),
      'invalid_input',
      /请写几句完成情况/,
    );
    expect(await wishRow(wish.id)).toMatchObject({ status: 'claimed', proof_upload_id: null });
    const done = await fulfil(SEED.volunteerLi, wish.id, mine);
    expect(done).toMatchObject({
      status: 'fulfilled',
      proofNote: '已经送到回收点了',
      proofPhotoUrl: `/api/uploads/${mine}`,
      actions: [],
    });
    expect(await getWish(wish.resident, wish.id)).toMatchObject({
      proofPhotoUrl: `/api/uploads/${mine}`,
      claimerName: '李明',
      actions: ['confirm'],
    });
    expect(await told(wish.id, 'wish_fulfilled')).toEqual([
      expect.objectContaining({ to: wish.resident, title: '心愿完成了，请确认' }),
    ]);
    await expectAppError(release(SEED.volunteerLi, wish.id), 'illegal_transition');
  });

  it('donations are capped per gift and by the wallet, held in escrow, and never take a wallet below zero', async () => {
    const wish = await publishedWish();
    const [d1, d2, poor] = (await createVolunteers(t.admin, 3, { prefix: '捐赠' })) as [
      string,
      string,
      string,
    ];
    await grantPoints(t.db, d1, 300);
    await grantPoints(t.db, d2, 300);
    await grantPoints(t.db, poor, 30);
    const escrowBefore = await escrow();
    await expectAppError(donate(d1, wish.id, 0), 'invalid_input', /每次可以捐 1 到 200 积分/);
    await expectAppError(donate(d1, wish.id, 201), 'invalid_input', /每次可以捐 1 到 200 积分/);
    await expectAppError(donate(poor, wish.id, 31), 'insufficient_points', /您的积分不够，现在有 30 分/);
    await expectAppError(donate(wish.resident, wish.id, 10), 'forbidden');
    await expectAppError(donate(MORE.volunteerSun, wish.id, 10), 'not_found');
    await t.admin.query("update public.policies set value = 10 where key = 'wish_donation_max'");
    try {
      await expectAppError(donate(d1, wish.id, 11), 'invalid_input', /1 到 10 积分/);
    } finally {
      await t.admin.query("update public.policies set value = 200 where key = 'wish_donation_max'");
    }
    expect(await wishRow(wish.id)).toMatchObject({ pool: '0' });
    expect([await balance(d1), await balance(poor), await escrow()]).toEqual([300, 30, escrowBefore]);

    expect((await donate(d1, wish.id, 150)).pool).toBe(150);
    expect((await donate(d2, wish.id, 200)).pool).toBe(350);
    expect((await donate(poor, wish.id, 30)).pool).toBe(380);
    await expectAppError(donate(poor, wish.id, 1), 'insufficient_points', /现在有 0 分/);
    expect([await balance(d1), await balance(d2), await balance(poor)]).toEqual([150, 100, 0]);
    expect(await escrow()).toBe(escrowBefore + 380);
    expect((await timeline(wish.needId))?.filter((a) => a === 'donate')).toHaveLength(3);
    expect(await ledgerInvariants(t.admin)).toEqual(HOLDS);
  });

  it('parallel gifts from one wallet: only what it holds is given', async () => {
    const wish = await publishedWish();
    const [donor] = (await createVolunteers(t.admin, 1, { prefix: '并发捐' })) as [string];
    await grantPoints(t.db, donor, 100);
    const codes = outcomes(
      await Promise.allSettled(Array.from({ length: 10 }, () => donate(donor, wish.id, 30))),
    );
    expect(codes.filter((c) => c === 'ok')).toHaveLength(3);
    expect(codes.filter((c) => c === 'insufficient_points')).toHaveLength(7);
    expect(await balance(donor)).toBe(10);
    expect(await wishRow(wish.id)).toMatchObject({ pool: '90' });
    expect(await ledgerInvariants(t.admin)).toEqual(HOLDS);
  });

  it('the resident confirms and rates: the wish’s points and the pool reach the claimer once', async () => {
    const wish = await publishedWish({ points: 40 });
    const [claimer, giver] = (await createVolunteers(t.admin, 2, { prefix: '确认' })) as [string, string];
    await grantPoints(t.db, giver, 100);
    await donate(giver, wish.id, 25);
    await claim(claimer, wish.id);
    // Nothing to confirm before it is fulfilled, and only the resident confirms.
    await expectAppError(confirm(wish.resident, wish.id, 3), 'illegal_transition', /志愿者完成后才能确认/);
    await fulfil(claimer, wish.id, await photo(claimer, 'wish_proof'));
    await expectAppError(confirm(claimer, wish.id, 3), 'forbidden', /只有许愿的居民可以确认/);
    await expectAppError(confirm(SEED.staffZhang, wish.id, 3), 'forbidden');
    await expectAppError(confirm(wish.resident, wish.id, 4), 'invalid_input', /请选择评价/);
    await expectAppError(confirm(wish.resident, wish.id, 0), 'invalid_input', /请选择评价/);
    expect(await balance(claimer)).toBe(0);
    const escrowBefore = await escrow();

    const k = key();
    const confirmed = await confirm(wish.resident, wish.id, 3, k);
    expect(confirmed).toMatchObject({ status: 'confirmed', pointsAwarded: 65, pool: 0, rating: 3 });
    expect(await balance(claimer)).toBe(65);
    expect(await escrow()).toBe(escrowBefore - 25);
    const wallet = await t.db.rpc<{ entries: { kind: string; amount: number; referenceId: string }[] }>(
      'get_wallet',
      { p_actor: claimer },
    );
    expect(
      wallet.entries
        .filter((e) => e.referenceId === wish.id)
        .map((e) => [e.kind, e.amount])
        .sort(),
    ).toEqual([
      ['wish', 25],
      ['wish', 40],
    ]);
    const { rows } = await t.admin.query(
      `select a.kind::text as "from", t.amount::int from public.point_transfers t
       join public.point_accounts a on a.id = t.from_account
       where t.kind = 'wish' and t.reference_id = $1 order by t.id`,
      [wish.id],
    );
    expect(rows).toEqual([
      { from: 'issuance', amount: 40 },
      { from: 'escrow', amount: 25 },
    ]);
    // A resend replays; a new confirmation is refused; no second credit either way.
    expect(await confirm(wish.resident, wish.id, 3, k)).toEqual(confirmed);
    await expectAppError(confirm(wish.resident, wish.id, 3), 'illegal_transition');
    expect(await balance(claimer)).toBe(65);
    expect(await told(wish.id, 'wish_confirmed')).toEqual([
      expect.objectContaining({ to: claimer, body: '“送旧衣服去回收点”居民已确认，65 积分已到账' }),
    ]);
    expect(await timeline(wish.needId)).toEqual([
      'post',
      'publish_wish',
      'donate',
      'claim',
      'fulfil',
      'confirm',
    ]);
    // A confirmed wish leaves the lists and takes no gifts.
    expect((await listWishes(SEED.volunteerLi)).map((w) => w.id)).not.toContain(wish.id);
    await expectAppError(donate(giver, wish.id, 5), 'not_found');
    expect(await ledgerInvariants(t.admin)).toEqual(HOLDS);
  });

  it('confirming twice at once credits once', async () => {
    const wish = await publishedWish({ points: 10 });
    const [claimer] = (await createVolunteers(t.admin, 1, { prefix: '双确认' })) as [string];
    await claim(claimer, wish.id);
    await fulfil(claimer, wish.id, await photo(claimer, 'wish_proof'));
    const codes = outcomes(
      await Promise.allSettled(Array.from({ length: 5 }, () => confirm(wish.resident, wish.id, 2))),
    );
    expect(codes.filter((c) => c === 'ok')).toHaveLength(1);
    expect(codes.filter((c) => c === 'illegal_transition')).toHaveLength(4);
    expect(await balance(claimer)).toBe(10);
  });
});

describe('withdrawing a wish', () => {
  it('an open wish: the gifts go back and nobody is told of a claim', async () => {
    const wish = await publishedWish();
    const [giver] = (await createVolunteers(t.admin, 1, { prefix: '撤销开放' })) as [string];
    await grantPoints(t.db, giver, 50);
    await donate(giver, wish.id, 20);
    expect(await balance(giver)).toBe(30);
    const withdrawn = await withdraw(SEED.staffZhang, wish.id, '重复发布了');
    expect(withdrawn).toMatchObject({ status: 'withdrawn', pool: 0 });
    expect(await balance(giver)).toBe(50);
    expect(await told(wish.id, 'wish_withdrawn')).toEqual([]);
    expect(await ledgerInvariants(t.admin)).toEqual(HOLDS);
  });

  it('staff withdraw with a reason: every gift goes back to its giver, the claimer is told', async () => {
    const wish = await publishedWish();
    const [claimer, a, b] = (await createVolunteers(t.admin, 3, { prefix: '撤销' })) as [
      string,
      string,
      string,
    ];
    await grantPoints(t.db, a, 100);
    await grantPoints(t.db, b, 100);
    await donate(a, wish.id, 40);
    await donate(b, wish.id, 30);
    await donate(b, wish.id, 30);
    await claim(claimer, wish.id);
    const escrowBefore = await escrow();
    await expectAppError(withdraw(SEED.staffZhang, wish.id, ' '), 'invalid_input', /请写明撤销原因/);
    await expectAppError(
      withdraw(wish.resident, wish.id, '不需要了'),
      'forbidden',
      /只有本社区的工作人员可以撤销心愿/,
    );
    await expectAppError(withdraw(claimer, wish.id, '不需要了'), 'forbidden');
    await expectAppError(withdraw(SEED.staffWu, wish.id, '不需要了'), 'not_found');
    expect(await wishRow(wish.id)).toMatchObject({ status: 'claimed', pool: '100' });

    const withdrawn = await withdraw(SEED.staffZhang, wish.id, '居民已经自己解决了');
    expect(withdrawn).toMatchObject({ status: 'withdrawn', pool: 0, actions: [] });
    expect([await balance(a), await balance(b)]).toEqual([100, 100]);
    expect(await escrow()).toBe(escrowBefore - 100);
    const { rows } = await t.admin.query(
      `select w.user_id as "to", t.amount::int from public.point_transfers t
       join public.point_accounts w on w.id = t.to_account
       where t.kind = 'refund' and t.reference_type = 'wish' and t.reference_id = $1 order by t.id`,
      [wish.id],
    );
    expect(rows).toEqual([
      { to: a, amount: 40 },
      { to: b, amount: 30 },
      { to: b, amount: 30 },
    ]);
    expect(await told(wish.id, 'wish_withdrawn')).toEqual([
      { to: claimer, title: '心愿已撤销', body: '“送旧衣服去回收点”：居民已经自己解决了' },
    ]);
    const steps = (await t.db.rpc<NeedView>('get_need', { p_actor: SEED.staffZhang, p_need_id: wish.needId }))
      .timeline;
    expect(steps?.at(-1)).toMatchObject({
      action: 'withdraw_wish',
      detail: { reason: '居民已经自己解决了', refunded: 100 },
    });
    await expectAppError(withdraw(SEED.staffZhang, wish.id, '再撤一次'), 'illegal_transition');
    await expectAppError(claim(SEED.volunteerLi, wish.id), 'not_found');
    expect((await listWishes(SEED.volunteerLi)).map((w) => w.id)).not.toContain(wish.id);
    expect(await ledgerInvariants(t.admin)).toEqual(HOLDS);
  });
});

describe('the tick', () => {
  it('a claim past its deadline lapses: open again for 7 more days, the claimer and staff told, once', async () => {
    const wish = await publishedWish();
    const [claimer] = (await createVolunteers(t.admin, 1, { prefix: '到期' })) as [string];
    await claim(claimer, wish.id);
    const deadline = (await wishRow(wish.id)).deadline as Date;
    const tick = (at: Date) =>
      t.db.rpc<{ lapsedClaims: number; uncheckedNeeds: number }>('tick_needs', { p_now: at.toISOString() });
    await tick(new Date(deadline.getTime() - 60_000));
    expect(await wishRow(wish.id)).toMatchObject({ status: 'claimed', claimer_id: claimer });
    const at = new Date(deadline.getTime() + 1000);
    expect((await tick(at)).lapsedClaims).toBeGreaterThanOrEqual(1);
    const lapsed = await wishRow(wish.id);
    expect(lapsed).toMatchObject({ status: 'open', claimer_id: null, claimed_at: null });
    expect((lapsed.deadline as Date).getTime()).toBe(at.getTime() + 7 * 86_400_000);
    expect((await told(wish.id, 'wish_claim_lapsed')).map((n) => n.to).sort()).toEqual(
      [claimer, SEED.staffZhang].sort(),
    );
    expect(await timeline(wish.needId)).toEqual(['post', 'publish_wish', 'claim', 'claim_lapsed']);
    expect((await tick(new Date(at.getTime() + 1000))).lapsedClaims).toBe(0);
    // Back on the wall: anyone may claim it again, the lapsed claimer too.
    expect((await getWish(claimer, wish.id)).actions).toContain('claim');
  });
});

describe('the ledger', () => {
  it('holds after all of it', async () => {
    expect(await ledgerInvariants(t.admin)).toEqual(HOLDS);
  });
});
