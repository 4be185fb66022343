import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { waitFor } from '../support/builders.ts';
import { sampleValue, scrape } from '../support/prometheus.ts';
import { useServices } from '../support/services.ts';

const run = promisify(execFile);

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A throwaway Redis of this test's own, so stopping it touches no one else's (never the shared one on 6379). */
const port = await freePort();
const dir = await mkdtemp(join(tmpdir(), 'tonghop-redis-'));
const startRedis = () =>
  run('redis-server', [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'no',
    '--dir',
    dir,
    '--daemonize',
    'yes',
  ]);
const stopRedis = () => run('redis-cli', ['-p', String(port), 'shutdown', 'nosave']).catch(() => undefined);
await startRedis();
// Registered before useServices: after-hooks run last-registered first, so this runs after the pipeline stopped.
afterAll(async () => {
  await stopRedis();
  await rm(dir, { recursive: true, force: true });
});

const services = useServices({ REDIS_URL: `redis://127.0.0.1:${port}` });

describe('/health', () => {
  it('readiness fails while Redis is stopped and recovers when it returns; liveness holds throughout', async () => {
    const running = await services.start('ingest');
    const ready = async () => {
      const r = await fetch(new URL('/health/ready', running.url!));
      return {
        status: r.status,
        body: (await r.json()) as { status: string; reasons: string[]; checks: Record<string, string> },
      };
    };
    expect(await ready()).toEqual({
      status: 200,
      body: { status: 'ready', reasons: [], checks: { postgres: 'ok', redis: 'ok', migrations: 'ok' } },
    });

    await stopRedis();
    const down = await waitFor(async () => {
      const r = await ready();
      return r.status === 503 ? r : null;
    }, 'readiness to fail');
    expect(down.body.status).toBe('not ready');
    expect(down.body.reasons).toEqual(['redis_unavailable']);
    expect(down.body.checks.postgres).toBe('ok');
    expect(down.body.checks.redis).not.toBe('ok');
    expect((await fetch(new URL('/health/live', running.url!))).status).toBe(200);
    const metrics = await scrape(running.url!);
    expect(sampleValue(metrics, 'tonghop_dependency_up', { dependency: 'redis' })).toBe(0);
    expect(sampleValue(metrics, 'tonghop_dependency_up', { dependency: 'postgres' })).toBe(1);
    expect(sampleValue(metrics, 'tonghop_queue_jobs', { queue: 'normalize', state: 'waiting' })).toBeUndefined();

    await startRedis();
    await waitFor(async () => (await ready()).status === 200, 'readiness to recover');
    expect(sampleValue(await scrape(running.url!), 'tonghop_dependency_up', { dependency: 'redis' })).toBe(1);
  });
});
