// 四点半课堂 fixtures: a scheduled, published session project, and children added
// the way a guardian adds them (with consent).
import type { ChildView, SessionProjectView } from '@llb/shared';
import type { Db } from '../../functions/src/db/port';
import { SEED } from './ids';
import { key } from './orders';

/** A Shanghai date `days` from today, as YYYY-MM-DD. */
export function shanghaiDay(days: number): string {
  return new Date(Date.now() + 8 * 3_600_000 + days * 86_400_000).toISOString().slice(0, 10);
}

export const CONSENT = { consent: true, consentVersion: 1 };

/** A schedule: every day from tomorrow for `days` days, 16:30–18:00, grades 1–6, 20 seats (1 : 8, 3 tutors). */
export function scheduleBody(overrides: Record<string, unknown> = {}) {
  return {
    weekdays: [1, 2, 3, 4, 5, 6, 7],
    startTime: '16:30',
    endTime: '18:00',
    termStart: shanghaiDay(1),
    termEnd: shanghaiDay(14),
    skippedDates: [],
    place: '阳光社区党群服务中心二楼活动室',
    seats: 20,
    gradeMin: 1,
    gradeMax: 6,
    tutorSlots: 3,
    childrenPerTutor: 8,
    bookingDeadlineHours: 2,
    cancelDeadlineHours: 12,
    ...overrides,
  };
}

/** A session project of a community (阳光社区 by default), published and scheduled by its staff. */
export async function sessionProject(
  db: Db,
  options: {
    staff?: string;
    community?: string;
    schedule?: Record<string, unknown>;
    publish?: boolean;
    title?: string;
  } = {},
): Promise<SessionProjectView> {
  const staff = options.staff ?? SEED.staffZhang;
  const community = options.community ?? SEED.sunshine;
  const project = await db.rpc<{ id: string }>('save_project', {
    p_actor: staff,
    p_key: key(),
    p_input: {
      communityId: community,
      title: options.title ?? '四点半课堂',
      category: 'after_school',
      mode: 'session',
      description: '放学后写作业、读绘本',
      requiredSkills: ['tutoring'],
      pointsPerHour: 10,
      expectedMinutes: 90,
      maxMinutes: 120,
      serviceCommunityIds: [community],
      responseHours: 24,
      locationNote: '社区活动室',
    },
  });
  if (options.publish !== false) {
    await db.rpc('change_project_status', {
      p_actor: staff,
      p_project_id: project.id,
      p_action: 'publish',
      p_key: key(),
    });
  }
  return db.rpc<SessionProjectView>('save_session_schedule', {
    p_actor: staff,
    p_project_id: project.id,
    p_input: scheduleBody(options.schedule),
    p_key: key(),
  });
}

/** A child of `guardian`, added with the guardian's consent. */
export function addChild(
  db: Db,
  guardian: string,
  overrides: Record<string, unknown> = {},
): Promise<ChildView> {
  return db.rpc<ChildView>('add_child', {
    p_actor: guardian,
    p_key: key(),
    p_input: {
      name: '王小宝',
      grade: 3,
      school: '阳光小学',
      allergies: '花生过敏',
      healthNotes: '',
      pickupContacts: [{ name: '王秀英', relation: '奶奶', phone: '13812341234' }],
      ...CONSENT,
      ...overrides,
    },
  });
}

/** Books a child on chosen classes (or the whole term when none are given). */
export function book(db: Db, guardian: string, childId: string, projectId: string, occurrenceIds?: string[]) {
  return db.rpc<ChildView>('book_session', {
    p_actor: guardian,
    p_child_id: childId,
    p_project_id: projectId,
    p_occurrence_ids: occurrenceIds ?? null,
    p_key: key(),
  });
}
