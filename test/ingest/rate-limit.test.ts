import { beforeAll, describe, expect, it } from 'vitest';
import { counterKey, overLimit, windowAt } from '../../src/ingest/rate-limit.ts';
import type { Running } from '../../src/start.ts';
import { getJson, tokenFor, upload } from '../support/builders.ts';
import { useServices } from '../support/services.ts';

// An hour's window, so the test never straddles two windows (it waits if it is about to).
const services = useServices({
  RATE_LIMIT_REQUESTS: '5',
  RATE_LIMIT_READ_REQUESTS: '5',
  RATE_LIMIT_WINDOW_S: '3600',
  RATE_LIMIT_BYTES: '4000',
  MAX_REQUEST_BYTES: '3000',
});
let running: Running;

beforeAll(async () => {
  running = await services.start('ingest');
  const { secondsLeft } = windowAt(Date.now(), 3_600_000);
  if (secondsLeft < 30) await new Promise((r) => setTimeout(r, secondsLeft * 1000 + 100));
});

describe('the fixed window', () => {
  it('starts on a multiple of its length, counts requests and bytes, and names no secret', () => {
    expect(windowAt(125_000, 60_000)).toEqual({ start: 120_000, secondsLeft: 55 });
    expect(overLimit({ requests: 5, bytes: 10 }, { requests: 5, bytes: 10, windowMs: 1 })).toBe(false);
    expect(overLimit({ requests: 6, bytes: 10 }, { requests: 5, bytes: 10, windowMs: 1 })).toBe(true);
    expect(overLimit({ requests: 1, bytes: 11 }, { requests: 5, bytes: 10, windowMs: 1 })).toBe(true);
    expect(counterKey('p', 'th_secret', 0)).not.toContain('th_secret');
  });
});

describe('per-token limits', () => {
  it('a token over its requests per window gets 429 with Retry-After and a message in Vietnamese and English; another token does not', async () => {
    const token = await tokenFor(services.db, 'province', '11');
    const other = await tokenFor(services.db, 'province', '11');
    for (let i = 0; i < 5; i += 1)
      expect((await getJson(running.url!, token, '/v1/submissions/999999')).status).toBe(404);
    const limited = await getJson(running.url!, token, '/v1/submissions/999999');
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('TONGHOP_ERR_RATE_LIMITED');
    expect(limited.body.error.message.vi).toMatch(/quá nhiều/u);
    expect(limited.body.error.message.en).toMatch(/too many/u);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(JSON.stringify(limited.body)).not.toContain(token);
    expect((await getJson(running.url!, other, '/v1/submissions/999999')).status).toBe(404);
  });

  it('a token over its bytes per window gets 429; a request over MAX_REQUEST_BYTES gets 413, one without a length 411, before anything is read', async () => {
    const token = await tokenFor(services.db, 'province', '11');
    const file = (n: number) => [{ name: 'a.csv', bytes: 'x'.repeat(n) }];
    expect((await upload(running.url!, token, file(1500))).status).toBe(202);
    expect((await upload(running.url!, token, file(1500))).status).toBe(202);
    const over = await upload(running.url!, token, file(1500));
    expect(over.status).toBe(429);
    const other = await tokenFor(services.db, 'province', '11');
    const big = await upload(running.url!, other, file(5000));
    expect(big.status).toBe(413);
    expect(big.body.error.code).toBe('TONGHOP_ERR_REQUEST_TOO_LARGE');
    expect(big.body.error.message.vi).toMatch(/quá lớn/u);
    // Chunked, so without a Content-Length: refused rather than counted as 0 bytes.
    const chunked = await fetch(new URL('/v1/submissions', running.url!), {
      method: 'POST',
      headers: { authorization: `Bearer ${other}`, 'content-type': 'multipart/form-data; boundary=x' },
      body: new ReadableStream({ start: (c) => (c.enqueue(new TextEncoder().encode('x'.repeat(5000))), c.close()) }),
      duplex: 'half',
    } as RequestInit);
    expect(chunked.status).toBe(411);
    expect(((await chunked.json()) as { error: { code: string } }).error.code).toBe('TONGHOP_ERR_LENGTH_REQUIRED');
  });
});
