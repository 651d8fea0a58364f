/**
 * The nine routing classes: the eight menu categories (shared/src/categories.ts, same
 * codes and names) plus 社区事务, public spaces and building problems that the community
 * office or property management handles, not volunteers. 其他 is also the answer when
 * the text says nothing.
 */
export const ROUTING_LABELS = [
  { code: 'smart_elderly', name: '智慧助老' },
  { code: 'after_school', name: '四点半课堂' },
  { code: 'meals_cleaning', name: '助餐助洁' },
  { code: 'legal_aid', name: '法律援助' },
  { code: 'medical_clinic', name: '医疗义诊' },
  { code: 'counseling', name: '心理疏导' },
  { code: 'appliance_repair', name: '家电维修' },
  { code: 'community_affairs', name: '社区事务' },
  { code: 'other', name: '其他' },
] as const;

export type RoutingLabel = (typeof ROUTING_LABELS)[number]['name'];
export type RoutingCode = (typeof ROUTING_LABELS)[number]['code'];

/** The index of a class by its Chinese name, or -1. */
export function labelIndex(name: string): number {
  return ROUTING_LABELS.findIndex((l) => l.name === name);
}
