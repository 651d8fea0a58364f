import { maskPhone } from '@llb/shared';
import { describe, expect, it } from 'vitest';

describe('maskPhone', () => {
  it('keeps the first three and last four digits of a mobile number', () => {
    expect(maskPhone('13812341234')).toBe('138****1234');
  });

  it('masks a landline the same way', () => {
    expect(maskPhone('021-55501234')).toBe('021*****1234');
  });

  it('hides a short number entirely and returns empty for none', () => {
    expect(maskPhone('12345')).toBe('*****');
    expect(maskPhone(null)).toBe('');
  });
});
