import { type DispatchCandidate, factors, rankCandidates } from '@llb/shared';
import { describe, expect, it } from 'vitest';

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
});
