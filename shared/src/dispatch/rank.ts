/**
 * What the database knows about one volunteer it offers an order to
 * (public.dispatch_candidates). Who may be offered it at all is decided there,
 * by private.may_take and private.wants_offer: ranking only orders them.
 */
export interface DispatchCandidate {
  volunteerId: string;
  distanceM: number | null;
  serviceRadiusM: number;
  otherCommunity: boolean;
  skills: string[];
  recentTasks: number;
  tasksThatDay: number;
  ratingSum: number;
  ratingCount: number;
  offersAccepted: number;
  offersMissed: number;
  releases: number;
  paired: boolean;
  servedBefore: boolean;
}

export interface DispatchFacts {
  orderId: string;
  windowStart: string;
  requiredSkills: string[];
  candidates: DispatchCandidate[];
}

export type DispatchFactsRow = Omit<DispatchFacts, 'candidates'> & {
  candidates: unknown[][];
  /**
   * An order with this many candidates or fewer jumps at once to its last escalation
   * step (largest bonus, whole street): public.escalate_scarce_order. Absent (older
   * SQL) or negative (already at the last step): never.
   */
  jumpAtOrBelow?: number;
};

/** Whether runTick should call escalate_scarce_order before offering this order. */
export function shouldJump(row: DispatchFactsRow): boolean {
  return (
    row.jumpAtOrBelow !== undefined && row.jumpAtOrBelow >= 0 && row.candidates.length <= row.jumpAtOrBelow
  );
}

/**
 * public.dispatch_candidates sends one positional array per candidate (keys
 * repeated for thousands of volunteers cost more than the facts); this names them.
 * The order here and in the SQL must match.
 */
export function decodeFacts(row: DispatchFactsRow): DispatchFacts {
  return {
    ...row,
    candidates: row.candidates.map((v) => ({
      volunteerId: v[0] as string,
      distanceM: v[1] as number | null,
      serviceRadiusM: v[2] as number,
      otherCommunity: v[3] as boolean,
      skills: v[4] as string[],
      recentTasks: v[5] as number,
      tasksThatDay: v[6] as number,
      ratingSum: v[7] as number,
      ratingCount: v[8] as number,
      offersAccepted: v[9] as number,
      offersMissed: v[10] as number,
      releases: v[11] as number,
      paired: v[12] as boolean,
      servedBefore: v[13] as boolean,
    })),
  };
}

/** How much each consideration counts; they sum to 1. Defaults are the ones bench:dispatch justifies. */
export interface DispatchWeights {
  skill: number;
  distance: number;
  fairness: number;
  reputation: number;
  reliability: number;
  continuity: number;
}

// Measured with bench:dispatch (SQL-driven run and in-memory sweep): doubling skill
// fit (specialists first keeps versatile volunteers free for rare-skill orders) and
// taking it from distance and reputation raised the scarce street (800 volunteers)
// from 91.3% to 92.9% of optimum and hard fill from 71% to 75%, with the 3,000-volunteer
// street unchanged at 99.9–100%; travel rises ~0.1 km per order.
export const DEFAULT_WEIGHTS: DispatchWeights = {
  skill: 0.2,
  distance: 0.2,
  fairness: 0.3,
  reputation: 0.05,
  reliability: 0.1,
  continuity: 0.15,
};

const clamp01 = (x: number) => Math.min(1, Math.max(0, x));

// An unused skill held by a share p of the candidates costs RARE_SKILL_SCALE / p, at
// most RARE_SKILL_CAP: about 0.8 for one held by half the street, the cap for one
// held by a tenth. bench:dispatch, scarce street: scale 0.4 gave 97.1% of optimum and
// 85.7% hard fill against 96.7% and 84.3% with every extra skill costing 1.
const RARE_SKILL_SCALE = 0.4;
const RARE_SKILL_CAP = 4;

/**
 * How scarce each skill is among the volunteers who could be offered this order:
 * the share of them holding it. Candidates of one order are a fair sample of the
 * street's volunteers for any skill the order doesn't need.
 */
export function skillShares(candidates: readonly DispatchCandidate[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const c of candidates) for (const s of c.skills) counts.set(s, (counts.get(s) ?? 0) + 1);
  const shares = new Map<string, number>();
  for (const [s, n] of counts) shares.set(s, n / Math.max(candidates.length, 1));
  return shares;
}

/** Each consideration as a number in [0, 1], higher is better. */
export function factors(
  c: DispatchCandidate,
  requiredSkills: readonly string[],
  shares?: ReadonlyMap<string, number>,
) {
  // What taking this task could cost other orders: each skill it doesn't use, the
  // rarer the dearer (a volunteer with the street's few 法律 skills should stay free
  // for 法律 orders; a second common skill costs little). Without shares, 1 each.
  const extra = c.skills.filter((s) => !requiredSkills.includes(s));
  const reserve = shares
    ? extra.reduce((sum, s) => sum + Math.min(RARE_SKILL_CAP, RARE_SKILL_SCALE / (shares.get(s) ?? 1)), 0)
    : extra.length;
  return {
    // Specialists first, scarce skills kept free: 1 for a volunteer this task uses fully.
    skill: requiredSkills.length === 0 ? 0.5 : 1 / (1 + reserve / requiredSkills.length),
    distance: c.distanceM === null ? 0.5 : clamp01(1 - c.distanceM / Math.max(c.serviceRadiusM, 1)),
    // Fairness of load: fewer tasks in the last 30 days ranks higher, so work spreads out.
    fairness: 1 / (1 + c.recentTasks / 3),
    // Average rating (1–3) pulled toward 好 by a prior of 5 ratings, so one rating can't dominate.
    reputation: ((c.ratingSum + 2 * 5) / (c.ratingCount + 5) - 1) / 2,
    // Offers taken, against offers missed and orders handed back (counted double), with a prior.
    reliability: (c.offersAccepted + 2) / (c.offersAccepted + c.offersMissed + 2 * c.releases + 2),
    continuity: c.paired ? 1 : c.servedBefore ? 0.6 : 0,
  };
}

export function score(
  c: DispatchCandidate,
  requiredSkills: readonly string[],
  weights = DEFAULT_WEIGHTS,
  shares?: ReadonlyMap<string, number>,
): number {
  const f = factors(c, requiredSkills, shares);
  return (
    weights.skill * f.skill +
    weights.distance * f.distance +
    weights.fairness * f.fairness +
    weights.reputation * f.reputation +
    weights.reliability * f.reliability +
    weights.continuity * f.continuity
  );
}

export interface RankedCandidate {
  volunteerId: string;
  score: number;
}

/** Candidates best first; an elder's paired volunteer (结对帮扶) always comes first. */
export function rankCandidates(facts: DispatchFacts, weights = DEFAULT_WEIGHTS): RankedCandidate[] {
  const shares = skillShares(facts.candidates);
  return facts.candidates
    .map((c) => ({ c, score: score(c, facts.requiredSkills, weights, shares) }))
    .sort(
      (a, b) =>
        Number(b.c.paired) - Number(a.c.paired) ||
        b.score - a.score ||
        a.c.volunteerId.localeCompare(b.c.volunteerId),
    )
    .map(({ c, score: s }) => ({ volunteerId: c.volunteerId, score: s }));
}
