import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { windowAt } from '../../src/ingest/rate-limit.ts';
import type { Running } from '../../src/start.ts';
import { useServices } from '../support/services.ts';
import { tokenFor } from '../support/builders.ts';
import { login, userFor } from '../support/sessions.ts';

// An hour's window, so the test never straddles two windows (it waits if it is about to). The
// service trusts the test as its proxy, so each test speaks from addresses of its own.
const services = useServices({
  RATE_LIMIT_REQUESTS: '5',
  RATE_LIMIT_READ_REQUESTS: '8',
  RATE_LIMIT_WINDOW_S: '3600',
  TRUST_PROXY: '127.0.0.1',
});
let running: Running;
const redis = new Redis(services.env.REDIS_URL!);

beforeAll(async () => {
  running = await services.start('ingest');
  await userFor(services.db, 'xa.namtin', 'commune', '03156');
  const { secondsLeft } = windowAt(Date.now(), 3_600_000);
  if (secondsLeft < 30) await new Promise((r) => setTimeout(r, secondsLeft * 1000 + 100));
});

afterAll(() => redis.disconnect());

function get(path: string, address: string, headers: Record<string, string> = {}) {
  return fetch(new URL(path, running.url!), { headers: { 'x-forwarded-for': address, ...headers } }).then(
    (r) => r.status,
  );
}

const counters = async () => (await redis.keys(`${services.env.QUEUE_PREFIX}:ratelimit:*`)).length;

describe('the rate limit', () => {
  it("counts a login session's reads: its ninth read in the window from one address is 429", async () => {
    const session = await login(running.url!, 'xa.namtin', undefined, { 'x-forwarded-for': '198.51.100.1' });
    expect(session.status).toBe(200);
    const statuses = [];
    for (let i = 0; i < 9; i += 1) statuses.push(await get('/v1/session', '198.51.100.2', { cookie: session.cookie }));
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 429]);
  });

  it("a province dashboard on one token: each analyst's address reads its own budget, and reading leaves the token's uploads", async () => {
    const token = await tokenFor(services.db, 'province', '11', ['submit', 'read']);
    const auth = { authorization: `Bearer ${token}` };
    const reads = async (address: string, n: number) => {
      const statuses = [];
      for (let i = 0; i < n; i += 1) statuses.push(await get('/v1/periods', address, auth));
      return statuses;
    };
    // Three analysts, 8 reads each: 24 reads on one token, beyond the 5 requests a token may make otherwise.
    for (const address of ['203.0.113.1', '203.0.113.2', '203.0.113.3'])
      expect(await reads(address, 8)).toEqual(Array(8).fill(200));
    expect(await reads('203.0.113.1', 1)).toEqual([429]);
    // Uploads are counted apart, per token: five are let through after those reads, the sixth is not.
    const post = () =>
      fetch(new URL('/v1/submissions', running.url!), {
        method: 'POST',
        body: '{}',
        headers: { ...auth, 'content-type': 'application/json', 'x-forwarded-for': '203.0.113.4' },
      }).then((r) => r.status);
    const writes = [];
    for (let i = 0; i < 6; i += 1) writes.push(await post());
    expect(writes.slice(0, 5)).not.toContain(429);
    expect(writes[5]).toBe(429);
  });

  it("has a ceiling per token whatever the addresses: RATE_LIMIT_READ_ADDRESSES (4) addresses' worth of reads", async () => {
    const token = await tokenFor(services.db, 'province', '11', ['read']);
    const auth = { authorization: `Bearer ${token}` };
    for (const address of ['192.0.2.1', '192.0.2.2', '192.0.2.3', '192.0.2.4'])
      for (let i = 0; i < 8; i += 1) expect(await get('/v1/periods', address, auth)).toBe(200);
    // 32 reads, four addresses' budgets of 8: a fifth address is refused from its first read.
    expect(await get('/v1/periods', '192.0.2.5', auth)).toBe(429);
  });

  it('counts requests without a credential by address: the sixth 401 from one address is 429, another address goes on', async () => {
    const statuses = [];
    for (let i = 0; i < 6; i += 1) statuses.push(await get('/v1/submissions/1', '198.51.100.3'));
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    expect(await get('/v1/submissions/1', '198.51.100.4')).toBe(401);
  });

  it('makes no Redis key for a made-up bearer token: 20 of them from one address make one counter, the address', async () => {
    const before = await counters();
    for (let i = 0; i < 20; i += 1)
      await get('/v1/submissions/1', '198.51.100.5', { authorization: `Bearer th_made_up_${i}` });
    expect((await counters()) - before).toBe(1);
  });

  it('does not count health probes', async () => {
    for (let i = 0; i < 8; i += 1) expect(await get('/health/live', '198.51.100.6')).toBe(200);
  });
});
