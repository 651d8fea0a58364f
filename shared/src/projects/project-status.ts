import type { Transitions } from '../state-machine';

export const PROJECT_STATUSES = ['draft', 'published', 'paused', 'archived'] as const;
export type ProjectStatus = (typeof PROJECT_STATUSES)[number];

export const PROJECT_STATUS_LABELS: Record<ProjectStatus, string> = {
  draft: '草稿',
  published: '已发布',
  paused: '已暂停',
  archived: '已归档',
};

/** The project menu's life cycle; SQL holds the same table (checked by tests/db). */
export const PROJECT_TRANSITIONS = {
  publish: { from: ['draft', 'paused'], to: 'published' },
  pause: { from: ['published'], to: 'paused' },
  archive: { from: ['draft', 'published', 'paused'], to: 'archived' },
} as const satisfies Transitions<ProjectStatus>;

export type ProjectAction = keyof typeof PROJECT_TRANSITIONS;
