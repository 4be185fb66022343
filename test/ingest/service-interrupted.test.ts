import { beforeAll, describe, expect, it } from 'vitest';
import { connectDb } from '../../src/db/connect.ts';
import { isDatabaseUnavailable } from '../../src/db/unavailable.ts';
import { buildApp } from '../../src/ingest/app.ts';
import type { Running } from '../../src/start.ts';
import { freePort } from '../chaos/redis-server.ts';
import { tokenFor, upload } from '../support/builders.ts';
import { useServices } from '../support/services.ts';

const services = useServices();
let running: Running;

beforeAll(async () => {
  running = await services.start('ingest');
});

/** The same service, its Postgres gone: a pool pointed at a port where nothing listens (ECONNREFUSED, as while Postgres restarts). */
async function withPostgresAway() {
  const away = connectDb(`postgres://postgres@127.0.0.1:${await freePort()}/tonghop`, { max: 2 });
  const app = await buildApp({ ...running.deps, db: away });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return { url, close: async () => (await app.close(), await away.destroy()) };
}

describe('an upload while Postgres is away', () => {
  it('is answered 503 with Retry-After and "the file was not received; it will be sent again", in Vietnamese and English, never 500', async () => {
    const token = await tokenFor(services.db, 'commune', '03156');
    const away = await withPostgresAway();
    try {
      const r = await upload(
        away.url,
        token,
        [{ name: 'a.csv', bytes: 'form,commune,period\n' }],
        {},
        { 'idempotency-key': 'k-1' },
      );
      expect(r.status).toBe(503);
      expect(r.body.error.code).toBe('TONGHOP_ERR_INTERRUPTED');
      expect(r.body.error.message).toEqual({
        vi: 'Hệ thống đang gián đoạn, tệp chưa được nhận, sẽ tự gửi lại.',
        en: 'The service is interrupted; the file was not received; it will be sent again.',
      });
      const raw = await fetch(new URL('/v1/submissions', away.url), {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
        body: new FormData(),
      });
      expect(raw.status).toBe(503);
      expect(Number(raw.headers.get('retry-after'))).toBeGreaterThan(0);
      // A read is told to try again, not that a file was lost.
      const read = await fetch(new URL('/v1/submissions/1', away.url), {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(read.status).toBe(503);
      expect(((await read.json()) as any).error.code).toBe('TONGHOP_ERR_UNAVAILABLE');
    } finally {
      await away.close();
    }
  });

  it('readiness answers 503 with the reason code postgres_unavailable', async () => {
    const away = await withPostgresAway();
    try {
      const r = await fetch(new URL('/health/ready', away.url));
      expect(r.status).toBe(503);
      expect(((await r.json()) as any).reasons).toEqual(['postgres_unavailable']);
    } finally {
      await away.close();
    }
  });
});

describe('what counts as Postgres being away', () => {
  const withCode = (code: string) => Object.assign(new Error(`failed: ${code}`), { code });
  it('a refused or reset connection, a shutdown, a server starting or in recovery, a connection exception, a pool timeout; not a bad statement', () => {
    for (const code of ['ECONNREFUSED', 'ECONNRESET', '57P01', '57P02', '57P03', '08006', '08001', '08003', '53300'])
      expect(isDatabaseUnavailable(withCode(code)), code).toBe(true);
    expect(isDatabaseUnavailable(new Error('timeout exceeded when trying to connect'))).toBe(true);
    expect(isDatabaseUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isDatabaseUnavailable(new AggregateError([withCode('ECONNREFUSED'), withCode('ECONNREFUSED')]))).toBe(true);
    expect(isDatabaseUnavailable(new Error('wrapped', { cause: withCode('57P03') }))).toBe(true);
    for (const code of ['23505', '42601', '40001', '22P02'])
      expect(isDatabaseUnavailable(withCode(code)), code).toBe(false);
    expect(isDatabaseUnavailable(new Error('Connection is closed.'))).toBe(false);
  });
});
