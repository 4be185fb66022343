import { describe, expect, it } from 'vitest';
import { presentedToken, withoutToken } from '../../src/ingest/admin/admin-gate.ts';

describe('the admin token a dashboard request presents', () => {
  it('is the bearer token, else ?token=, else the tonghop_admin cookie', () => {
    expect(presentedToken({ authorization: 'Bearer th_a' }, { token: 'th_b' })).toEqual({
      token: 'th_a',
      via: 'bearer',
    });
    expect(presentedToken({ cookie: 'tonghop_admin=th_c' }, { token: 'th_b' })).toEqual({
      token: 'th_b',
      via: 'query',
    });
    expect(presentedToken({ cookie: 'other=1; tonghop_admin=th_c%3D; x=2' }, {})).toEqual({
      token: 'th_c=',
      via: 'cookie',
    });
    expect(presentedToken({ authorization: 'Basic abc' }, {})).toBeNull();
    expect(presentedToken({}, { token: '' })).toBeNull();
  });

  it('leaves the address once moved into the cookie', () => {
    expect(withoutToken('/admin/queues?token=th_a')).toBe('/admin/queues');
    expect(withoutToken('/admin/queues/queue/normalize?status=failed&token=th_a')).toBe(
      '/admin/queues/queue/normalize?status=failed',
    );
  });
});
