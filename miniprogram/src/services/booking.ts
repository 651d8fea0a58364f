import type { Policy, Project } from '@llb/shared';
import type dayjs from 'dayjs';
import { inShanghai } from './format';

/** The soonest start the server accepts (policy orderNoticeMinutes), rounded up to the next 5-minute mark after a little slack. */
export function earliestStart(policy: Policy): dayjs.Dayjs {
  const soon = inShanghai()
    .add(policy.orderNoticeMinutes + 5, 'minute')
    .second(0)
    .millisecond(0);
  return soon.add((5 - (soon.minute() % 5)) % 5, 'minute');
}

/** The last day a window may start on (policy orderHorizonDays). */
export function lastBookableDay(policy: Policy): dayjs.Dayjs {
  return inShanghai().add(policy.orderHorizonDays, 'day');
}

const HOUR_MARKS = [60, 120, 180, 240];

/**
 * Window lengths offered for a project: its expected time, then whole hours up to its
 * maximum (a UI choice; the server requires at least the expected time).
 */
export function windowSpans(project: Pick<Project, 'expectedMinutes' | 'maxMinutes'>): number[] {
  const longest = Math.max(project.maxMinutes, project.expectedMinutes);
  const marks = HOUR_MARKS.filter((m) => m > project.expectedMinutes && m <= longest);
  return [project.expectedMinutes, ...marks];
}
