import {
  type DispatchCandidate,
  type DispatchFactsRow,
  factors,
  rankCandidates,
  shouldJump,
  skillShares,
} from '@llb/shared';
import { describe, expect, it } from 'vitest';
import { offerOrder } from '../../functions/src/use-cases/run-tick';

const base: DispatchCandidate = {
  volunteerId: 'v',
  distanceM: 1000,
  serviceRadiusM: 3000,
  otherCommunity: false,
  skills: ['smartphone'],
  recentTasks: 0,
  tasksThatDay: 0,
  ratingSum: 0,
  ratingCount: 0,
  offersAccepted: 0,
  offersMissed: 0,
  releases: 0,
  paired: false,
  servedBefore: false,
};
const rank = (...candidates: Partial<DispatchCandidate>[]) =>
  rankCandidates({
    orderId: 'o',
    windowStart: '2026-11-25T09:00:00+08:00',
    requiredSkills: ['smartphone'],
    candidates: candidates.map((c, i) => ({ ...base, volunteerId: `v${i}`, ...c })),
  }).map((r) => r.volunteerId);

describe('ranking', () => {
  it('prefers the nearer volunteer when all else is equal', () => {
    expect(rank({ distanceM: 2500 }, { distanceM: 200 })).toEqual(['v1', 'v0']);
  });

  it('spreads work: a volunteer with fewer recent tasks comes before a busier one nearby', () => {
    expect(rank({ distanceM: 300, recentTasks: 12 }, { distanceM: 900, recentTasks: 0 })).toEqual([
      'v1',
      'v0',
    ]);
  });

  it('puts the paired volunteer first, however far and busy', () => {
    expect(rank({ distanceM: 100 }, { distanceM: 2900, recentTasks: 20, paired: true })).toEqual([
      'v1',
      'v0',
    ]);
  });

  it('keeps one early 一般 from burying a newcomer, through the rating prior', () => {
    const one = factors({ ...base, ratingSum: 1, ratingCount: 1 }, ['smartphone']).reputation;
    const none = factors(base, ['smartphone']).reputation;
    expect(none).toBe(0.5);
    expect(one).toBeGreaterThan(0.4);
    expect(one).toBeLessThan(none);
  });

  it('counts handing orders back against reliability more than declining', () => {
    const declined = factors({ ...base, offersMissed: 1 }, []).reliability;
    const released = factors({ ...base, releases: 1 }, []).reliability;
    expect(released).toBeLessThan(declined);
  });

  it('prefers the specialist, keeping versatile volunteers for tasks only they can do', () => {
    expect(
      rank({ skills: ['smartphone', 'legal', 'medical', 'repair'] }, { skills: ['smartphone'] }),
    ).toEqual(['v1', 'v0']);
  });

  it('keeps a volunteer with a rare skill free before one whose other skill is common', () => {
    // Among ten candidates, nine also do companionship; one also does legal work.
    const common = { skills: ['smartphone', 'companionship'] };
    const rare = { skills: ['smartphone', 'legal'] };
    const order = [rare, ...Array.from({ length: 9 }, () => common)];
    const ranked = rank(...order);
    expect(ranked.at(-1)).toBe('v0');
    const shares = skillShares(order.map((c, i) => ({ ...base, volunteerId: `v${i}`, ...c })));
    expect(shares.get('legal')).toBeCloseTo(0.1);
    expect(factors({ ...base, ...rare }, ['smartphone'], shares).skill).toBeLessThan(
      factors({ ...base, ...common }, ['smartphone'], shares).skill,
    );
  });

  it('jumps an order to its last escalation step only when the SQL says so and candidates are few', () => {
    const row = (n: number, jumpAtOrBelow?: number): DispatchFactsRow => ({
      orderId: 'o',
      windowStart: '',
      requiredSkills: [],
      candidates: Array.from({ length: n }, () => []),
      ...(jumpAtOrBelow === undefined ? {} : { jumpAtOrBelow }),
    });
    expect(shouldJump(row(3))).toBe(false); // older SQL: no jumpAtOrBelow
    expect(shouldJump(row(3, -1))).toBe(false); // already at the last step
    expect(shouldJump(row(10, 10))).toBe(true);
    expect(shouldJump(row(0, 10))).toBe(true);
    expect(shouldJump(row(11, 10))).toBe(false);
  });
});

describe('runTick, one order', () => {
  it('jumps a scarce order, asks for candidates again (now street-wide), then offers the best', async () => {
    const calls: string[] = [];
    let widened = false;
    const db = {
      async rpc<T>(fn: string): Promise<T> {
        calls.push(fn);
        if (fn === 'dispatch_candidates') {
          const c = (id: string) => [id, 500, 3000, false, ['smartphone'], 0, 0, 0, 0, 0, 0, 0, false, false];
          return {
            orderId: 'o',
            windowStart: '',
            requiredSkills: ['smartphone'],
            candidates: widened ? [c('a'), c('b'), c('c')] : [c('a')],
            jumpAtOrBelow: widened ? -1 : 2,
          } as T;
        }
        if (fn === 'escalate_scarce_order') {
          widened = true;
          return true as T;
        }
        return 1 as T;
      },
      close: async () => {},
    };
    const result = await offerOrder(db, 'o', '2026-11-25T00:00:00Z', { topK: 2 });
    expect(calls).toEqual([
      'dispatch_candidates',
      'escalate_scarce_order',
      'dispatch_candidates',
      'make_offers',
    ]);
    expect(result.jumped).toBe(true);
    expect(result.chosen).toHaveLength(2);
  });
});
