import { Writable } from 'node:stream';
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
