import type { CommunityOverview, Me, SessionClaims } from '@llb/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { expectAppError } from '../support/expect-app-error';
import { SEED } from '../support/ids';
import { key } from '../support/orders';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t.close());

describe('get_me', () => {
  it("returns the actor's own profile with home, roles and volunteer record", async () => {
    const me = await t.db.rpc<Me>('get_me', { p_actor: SEED.volunteerLi });
    expect(me).toMatchObject({
      name: '李明',
      phone: '13700001111',
      home: { communityName: '阳光社区', gridName: '第一网格', streetName: '幸福街道' },
      volunteer: { status: 'approved', isPartyMember: true },
    });
    expect(me.roles.map((r) => r.role).sort()).toEqual(['resident', 'volunteer']);
    expect(me.volunteer?.skills.map((s) => s.name)).toEqual(['智能手机教学', '陪伴聊天']);
  });

  it('refuses an actor that does not exist', async () => {
    await expectAppError(
      t.db.rpc('get_me', { p_actor: '00000000-0000-4000-8000-00000000dead' }),
      'unauthorized',
      /重新登录/,
    );
  });
});

describe('masking', () => {
  it('keeps the first three and last four digits, hides short numbers, and cuts addresses at the estate', async () => {
    const { rows } = await t.admin.query(`select
      private.mask_phone('13812341234') as mobile, private.mask_phone('021-55501234') as landline,
      private.mask_phone('12345') as short, private.mask_phone(null) as none,
      private.mask_address('阳光小区3栋2单元501') as estate, private.mask_address('幸福路12号') as street`);
    expect(rows[0]).toEqual({
      mobile: '138****1234',
      landline: '021*****1234',
      short: '*****',
      none: null,
      estate: '阳光小区***',
      street: '幸福路1***',
    });
  });

  it('gives the owner a masked copy of their own number for the screen', async () => {
    const me = await t.db.rpc<Me>('get_me', { p_actor: SEED.residentWang });
    expect([me.phone, me.phoneMasked]).toEqual(['13812341234', '138****1234']);
  });
});

describe('set_home_community', () => {
  it('makes a new user a resident of the chosen community and grid, once however often it is sent', async () => {
    const { userId } = await t.db.rpc<SessionClaims>('login_wechat', { p_openid: 'o-newcomer' });
    const args = { p_actor: userId, p_community_id: SEED.peace, p_grid_id: SEED.peaceGrid1, p_key: key() };
    const claims = await t.db.rpc<SessionClaims>('set_home_community', args);
    await t.db.rpc('set_home_community', args);
    expect(claims.roles).toEqual([{ role: 'resident', communityId: SEED.peace, streetId: null }]);
    const { rows } = await t.admin.query(
      "select count(*)::int as n from public.user_roles where user_id = $1 and role = 'resident'",
      [userId],
    );
    expect(rows[0].n).toBe(1);
  });

  it('moves the home rather than adding a second one', async () => {
    const { userId } = await t.db.rpc<SessionClaims>('login_wechat', { p_openid: 'o-mover' });
    await t.db.rpc('set_home_community', {
      p_actor: userId,
      p_community_id: SEED.peace,
      p_grid_id: null,
      p_key: key(),
    });
    const claims = await t.db.rpc<SessionClaims>('set_home_community', {
      p_actor: userId,
      p_community_id: SEED.sunshine,
      p_grid_id: null,
      p_key: key(),
    });
    expect(claims.roles).toEqual([{ role: 'resident', communityId: SEED.sunshine, streetId: null }]);
  });

  it('refuses a grid of another community and changes nothing', async () => {
    await expectAppError(
      t.db.rpc('set_home_community', {
        p_actor: SEED.residentWang,
        p_community_id: SEED.sunshine,
        p_grid_id: SEED.peaceGrid1,
        p_key: key(),
      }),
      'invalid_input',
      /网格/,
    );
    const me = await t.db.rpc<Me>('get_me', { p_actor: SEED.residentWang });
    expect(me.home).toMatchObject({ communityName: '阳光社区', gridName: '第一网格' });
  });

  it('refuses a community that does not exist', async () => {
    await expectAppError(
      t.db.rpc('set_home_community', {
        p_actor: SEED.residentWang,
        p_community_id: '00000000-0000-4000-8000-00000000beef',
        p_grid_id: null,
        p_key: key(),
      }),
      'not_found',
    );
  });
});

describe('get_community_overview', () => {
  const overview = (actor: string, community: string) =>
    t.db.rpc<CommunityOverview>('get_community_overview', { p_actor: actor, p_community_id: community });

  it('shows staff their own community: people by role and volunteers per skill', async () => {
    const figures = await overview(SEED.staffZhang, SEED.sunshine);
    expect(figures).toMatchObject({
      communityName: '阳光社区',
      volunteers: 4, // 李明, 赵丽, 陈静, 高文华 (周婷 is pending)
      pendingVolunteers: 1,
      staff: 1,
    });
    expect(figures.skills.find((s) => s.code === 'smartphone')?.volunteers).toBe(2);
    expect(figures.skills.find((s) => s.code === 'legal')?.volunteers).toBe(0);
  });

  it('refuses staff of another community', async () => {
    await expectAppError(overview(SEED.staffWu, SEED.sunshine), 'forbidden', /本社区/);
  });

  it('refuses residents and volunteers', async () => {
    await expectAppError(overview(SEED.residentWang, SEED.sunshine), 'forbidden');
    await expectAppError(overview(SEED.volunteerLi, SEED.sunshine), 'forbidden');
  });

  it('lets the street admin see every community of the street', async () => {
    expect((await overview(SEED.adminHuang, SEED.sunshine)).communityName).toBe('阳光社区');
    expect((await overview(SEED.adminHuang, SEED.peace)).communityName).toBe('和平社区');
  });
});
