/** 一事一评: 很好 / 好 / 一般 as 3 / 2 / 1. */
export const RATINGS = [
  { value: 3, label: '很好' },
  { value: 2, label: '好' },
  { value: 1, label: '一般' },
] as const;
export type Rating = (typeof RATINGS)[number]['value'];

export const RATING_TAGS = ['准时', '耐心', '专业', '热情', '细心', '讲解清楚'] as const;

export function ratingLabel(value: number | null | undefined): string {
  return RATINGS.find((r) => r.value === value)?.label ?? '';
}
