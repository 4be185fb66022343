import { connect } from 'node:net';
import { Writable } from 'node:stream';
import pg from 'pg';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.ts';
import { start } from '../../src/start.ts';
import { tokenFor } from '../support/builders.ts';
import { useServices } from '../support/services.ts';

const services = useServices();

describe('access log', () => {
  for (const [kind, make] of [
    ['tonghop’s logger', (d: Writable) => createLogger('info', d)],
    ['a plain pino given by an embedding program', (d: Writable) => pino({ level: 'info' }, d)],
  ] as const) {
    it(`writes one line a request, when it is answered, with what was asked and answered (${kind})`, async () => {
      const lines: Record<string, any>[] = [];
      const log = make(
        new Writable({ write: (chunk, _enc, done) => void (lines.push(JSON.parse(String(chunk))), done()) }),
      );
      const ingest = await start(services.config, 'ingest', { log });
      try {
        const token = await tokenFor(services.db, 'province', '11');
        const asked = ['/v1/periods', '/v1/snapshots?period=quý 9', '/health/live?token=s3cr3t'];
        const statuses: number[] = [];
        for (const path of asked) {
          const r = await fetch(new URL(path, ingest.url!), { headers: { authorization: `Bearer ${token}` } });
          await r.arrayBuffer();
          statuses.push(r.status);
        }
        const access = lines.filter((l) => l.req || l.res || /request/u.test(l.msg ?? ''));
        expect(access.map((l) => l.msg)).toEqual(asked.map(() => 'request completed'));
        expect(access.map((l) => [l.req.method, l.res.statusCode])).toEqual(statuses.map((s) => ['GET', s]));
        expect(access.map((l) => typeof l.responseTime)).toEqual(asked.map(() => 'number'));
        expect(access[0]!.req.url).toBe('/v1/periods');
        expect(JSON.stringify(lines)).not.toContain(token);
        expect(access[2]!.req.url).toBe('/health/live?token=[redacted]');
        expect(JSON.stringify(lines)).not.toContain('s3cr3t');
      } finally {
        await ingest.stop();
      }
    });
  }
});

describe('the access line of a client that goes away before its answer', () => {
  it('is one line, 499, even when the handler then begins a stream to it (an export held up by the database)', async () => {
    const lines: Record<string, any>[] = [];
    const log = createLogger(
      'info',
      new Writable({ write: (chunk, _enc, done) => void (lines.push(JSON.parse(String(chunk))), done()) }),
    );
    const ingest = await start(services.config, 'ingest', { log });
    const db = new pg.Client({ connectionString: services.env.DATABASE_URL });
    await db.connect();
    try {
      const token = await tokenFor(services.db, 'admin');
      // The export's first statement waits for this lock; its client leaves meanwhile.
      await db.query('begin');
      await db.query('lock table snapshot_head in access exclusive mode');
      const url = new URL(ingest.url!);
      const socket = connect(Number(url.port), url.hostname);
      await new Promise<void>((resolve) => socket.on('connect', resolve));
      socket.write(`GET /v1/snapshots?format=csv HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\n\r\n`);
      const waiting = async () =>
        (
          await db.query<{ n: number }>(
            `select count(*)::int as n from pg_stat_activity where wait_event_type = 'Lock' and datname = current_database()`,
          )
        ).rows[0]!.n;
      for (let i = 0; i < 200 && (await waiting()) === 0; i++) await new Promise((r) => setTimeout(r, 25));
      expect(await waiting()).toBeGreaterThan(0);
      socket.destroy();
      await new Promise((r) => setTimeout(r, 200));
      await db.query('commit');
      // The handler goes on, begins its stream to the closed connection, and ends.
      await new Promise((r) => setTimeout(r, 1500));
      const ofExport = lines.filter(
        (l) => l.req?.url === '/v1/snapshots?format=csv' || l.msg === 'stream closed prematurely',
      );
      expect(ofExport.map((l) => [l.msg, l.res?.statusCode])).toEqual([['request ended: the client went away', 499]]);
    } finally {
      await db.end();
      await ingest.stop();
    }
  });
});
