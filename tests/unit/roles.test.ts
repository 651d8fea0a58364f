import { primaryRole, staffCommunityIds } from '@llb/shared';
import { describe, expect, it } from 'vitest';

describe('primaryRole', () => {
  it('is resident for someone with no roles yet', () => {
    expect(primaryRole([])).toBe('resident');
  });

  it('is the highest role held, whatever the order', () => {
    expect(primaryRole([{ role: 'volunteer' }, { role: 'resident' }])).toBe('volunteer');
    expect(primaryRole([{ role: 'street_admin' }, { role: 'staff' }, { role: 'volunteer' }])).toBe(
      'street_admin',
    );
  });
});

describe('staffCommunityIds', () => {
  it('lists the communities someone is staff of, not those they merely live in', () => {
    expect(
      staffCommunityIds([
        { role: 'resident', communityId: 'home', streetId: null },
        { role: 'staff', communityId: 'work', streetId: null },
        { role: 'street_admin', communityId: null, streetId: 'street' },
      ]),
    ).toEqual(['work']);
  });
});
