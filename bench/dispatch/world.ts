// A seeded synthetic street for bench:dispatch: communities, volunteers with skills,
// homes, availability and eagerness, a week of orders (some hard), and the model
// of how volunteers decide. Everything is drawn from one seed, so runs repeat.

export const SLOT_HOURS = [8, 10, 12, 14, 16, 18]; // two-hour service windows
export const DAYS = 7;
export const STEP_MINUTES = 5;

/** The skills of the synthetic street (codes of public.skills). */
export const SKILLS = [
  'smartphone',
  'tutoring',
  'companionship',
  'meal_delivery',
  'cleaning',
  'legal',
  'medical',
  'counseling',
  'repair',
];
const SKILL_POPULARITY = [0.3, 0.15, 0.18, 0.1, 0.1, 0.03, 0.04, 0.04, 0.06]; // share of volunteers having each
const DEMAND = [0.3, 0.1, 0.12, 0.12, 0.1, 0.05, 0.06, 0.05, 0.1]; // share of orders needing each

export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A uniform draw fixed for one volunteer and one order: the same "would they?" in every policy. */
export function draw(seed: number, volunteer: number, order: number): number {
  return rng(seed ^ Math.imul(volunteer + 1, 0x9e3779b1) ^ Math.imul(order + 1, 0x85ebca77))();
}

export interface Volunteer {
  index: number;
  id: string;
  community: number;
  x: number;
  y: number;
  lat: number;
  lng: number;
  skills: string[];
  radius: number;
  eagerness: number;
  quality: number;
  dailyCap: number;
  available: Set<string>; // `${day}:${slot}`; empty = declared no slots = flexible, as in SQL
}

export interface Order {
  index: number;
  community: number;
  resident: number;
  x: number;
  y: number;
  lat: number;
  lng: number;
  skill: string;
  day: number;
  slot: number;
  created: number; // minutes since the week began
  start: number;
  end: number; // the two-hour window's end; the order stays open (and acceptable) until then, as in SQL
  hard: boolean;
}

export interface World {
  seed: number;
  communities: { x: number; y: number }[];
  volunteers: Volunteer[];
  orders: Order[];
  pairs: Map<number, number>; // resident → paired volunteer
}

function pick<T>(random: () => number, items: readonly T[], weights: readonly number[]): T {
  const total = weights.reduce((s, w) => s + w, 0);
  let r = random() * total;
  for (let i = 0; i < items.length; i++) {
    r -= weights[i] as number;
    if (r <= 0) return items[i] as T;
  }
  return items[items.length - 1] as T;
}

const gauss = (random: () => number) =>
  Math.sqrt(-2 * Math.log(random() + 1e-12)) * Math.cos(2 * Math.PI * random());

export function makeWorld(seed: number, volunteerCount = 3000, ordersPerDay = 500, dayCount = DAYS): World {
  const random = rng(seed);
  // Ten communities on a 5 × 2 grid, 1.2 km apart; demand is uneven (冷热不均).
  const communities = Array.from({ length: 10 }, (_, i) => ({
    x: (i % 5) * 1200,
    y: Math.floor(i / 5) * 1200,
  }));
  const demandWeight = [2.2, 1.8, 1.5, 1.2, 1, 0.8, 0.6, 0.4, 0.3, 0.2];
  const volunteers: Volunteer[] = Array.from({ length: volunteerCount }, (_, index) => {
    const community = Math.floor(random() * 10);
    const home = communities[community] as { x: number; y: number };
    const skills = SKILLS.filter((_, s) => random() < (SKILL_POPULARITY[s] as number) * 1.6);
    if (skills.length === 0) skills.push(pick(random, SKILLS, SKILL_POPULARITY));
    const available = new Set<string>();
    const days = Array.from({ length: DAYS }, (_, d) => d).filter(() => random() < 0.45);
    for (const d of days)
      for (let s = 0; s < SLOT_HOURS.length; s++) if (random() < 0.5) available.add(`${d}:${s}`);
    const kind = random();
    const x = home.x + gauss(random) * 500;
    const y = home.y + gauss(random) * 500;
    return {
      index,
      id: `v${String(index).padStart(5, '0')}`,
      community,
      x,
      y,
      ...toLatLng(x, y),
      skills,
      radius: 1500 + Math.floor(random() * 3500),
      eagerness: kind < 0.2 ? 0.9 : kind < 0.7 ? 0.5 : 0.2,
      quality: 1.5 + random() * 1.5,
      dailyCap: 1 + Math.floor(random() * 3),
      available,
    };
  });
  const orders: Order[] = [];
  for (let day = 0; day < dayCount; day++) {
    for (let n = 0; n < ordersPerDay; n++) {
      const community = pick(
        random,
        Array.from({ length: 10 }, (_, i) => i),
        demandWeight,
      );
      const center = communities[community] as { x: number; y: number };
      const skill = pick(random, SKILLS, DEMAND);
      const slot = Math.floor(random() * SLOT_HOURS.length);
      const start = day * 1440 + (SLOT_HOURS[slot] as number) * 60;
      const lead = 120 + random() * 2160;
      const rare = ['legal', 'medical', 'counseling', 'repair'].includes(skill);
      const x = center.x + gauss(random) * 400;
      const y = center.y + gauss(random) * 400;
      orders.push({
        index: orders.length,
        community,
        resident: Math.floor(random() * 5000),
        x,
        y,
        ...toLatLng(x, y),
        skill,
        day,
        slot,
        created: Math.max(0, start - lead),
        start,
        end: start + 120,
        // Hard: a rare skill, or an evening slot nobody wants (about three orders in ten).
        hard: rare || (slot === 5 && random() < 0.5),
      });
    }
  }
  // 结对帮扶: one resident in ten has a usual volunteer of their community.
  const pairs = new Map<number, number>();
  for (let resident = 0; resident < 5000; resident += 10) {
    pairs.set(resident, Math.floor(random() * volunteerCount));
  }
  return { seed, communities, volunteers, orders, pairs };
}

// The street sits in Shanghai; metres on the grid become degrees, and distance is
// the haversine of private.distance_m, so the database and this model agree to the metre.
const LAT0 = 31.23;
const LNG0 = 121.47;
const EARTH_M = 6371000;
const M_PER_DEG = (EARTH_M * Math.PI) / 180;
export function toLatLng(x: number, y: number): { lat: number; lng: number } {
  return { lat: LAT0 + y / M_PER_DEG, lng: LNG0 + x / (M_PER_DEG * Math.cos((LAT0 * Math.PI) / 180)) };
}
const rad = (d: number) => (d * Math.PI) / 180;
export function haversine(lat1: number, lng1: number, lat2: number, lng2: number): number {
  return (
    2 *
    EARTH_M *
    Math.asin(
      Math.sqrt(
        Math.sin(rad(lat2 - lat1) / 2) ** 2 +
          Math.cos(rad(lat1)) * Math.cos(rad(lat2)) * Math.sin(rad(lng2 - lng1) / 2) ** 2,
      ),
    )
  );
}

export const distance = (v: Volunteer, o: Order) => haversine(o.lat, o.lng, v.lat, v.lng);

/** The largest bonus an order can reach. */
export const maxBonus = (p: Policies) => p.escalationMaxSteps * p.escalationBonusPoints;

/**
 * The policy numbers of public.policies (read in SQL through private.policy): the
 * in-memory run uses these, the SQL-driven run writes them into its database.
 */
export interface Policies {
  offerWindowMinutes: number;
  escalationStepMinutes: number;
  escalationBonusPoints: number;
  escalationMaxSteps: number;
  escalationWidenAtStep: number;
  /**
   * An order with this many candidates or fewer jumps to its last step at once (0:
   * never): policy escalation_scarce_candidates, public.escalate_scarce_order.
   */
  escalationScarceCandidates: number;
}

export const DEFAULT_POLICIES: Policies = {
  offerWindowMinutes: 15,
  escalationStepMinutes: 30,
  escalationBonusPoints: 5,
  escalationMaxSteps: 4,
  escalationWidenAtStep: 2,
  escalationScarceCandidates: 10,
};

/** The part of private.may_take that is fixed: same community (or widened: the street), every required skill. */
export function mayTake(v: Volunteer, o: Order, widened: boolean): boolean {
  return (widened || v.community === o.community) && v.skills.includes(o.skill);
}

/** private.wants_offer: within the volunteer's radius and available then (no slots declared = flexible). */
export function wantsOffer(v: Volunteer, o: Order): boolean {
  return (v.available.size === 0 || v.available.has(`${o.day}:${o.slot}`)) && distance(v, o) <= v.radius;
}

/** Could this volunteer serve this order at all (skill, time, radius)? Capacity is the caller's. */
export function qualifies(v: Volunteer, o: Order, widened: boolean): boolean {
  return mayTake(v, o, widened) && wantsOffer(v, o);
}

/**
 * How likely the volunteer says yes: eager, near, easy, not yet busy that day, and a
 * bonus helps (0.06 for every 5 bonus points, the default escalation step).
 */
export function acceptance(v: Volunteer, o: Order, tasksToday: number, bonusPoints: number): number {
  const p =
    v.eagerness * Math.exp(-distance(v, o) / 2500) * (o.hard ? 0.5 : 1) * Math.max(0, 1 - 0.35 * tasksToday) +
    0.012 * bonusPoints;
  return Math.min(1, Math.max(0, p));
}

/** When an offered volunteer answers (5 or 10 minutes later), and whether a "no" is said or left to expire. */
export function answer(seed: number, v: number, o: number): { afterMinutes: number; declinesAloud: boolean } {
  return {
    afterMinutes: STEP_MINUTES * (1 + Math.floor(draw(seed + 3, v, o) * 2)),
    declinesAloud: draw(seed + 5, v, o) < 0.5,
  };
}

/** The rating a served order gets (1–3), around the volunteer's quality. */
export function ratingOf(world: World, v: number, o: number): number {
  const quality = (world.volunteers[v] as Volunteer).quality;
  return Math.round(Math.min(3, Math.max(1, quality + (draw(world.seed + 7, v, o) - 0.5))));
}
