import { describe, expect, it } from 'vitest';
import { createToken } from '../../src/accounts/tokens.ts';
import { storeSubmissions } from '../../src/ingest/submissions/store.ts';
import { enqueueNormalizeGroups, enqueueNormalizeMany } from '../../src/queue/queues.ts';
import { namPoFiles, settled, tokenFor, upload, waitFor } from '../support/builders.ts';
import { useOwnServices } from '../support/own-services.ts';
import { sampleValue, scrape } from '../support/prometheus.ts';

// RECONCILE_STALE_S as in production: the backlog must not wait for it.
const own = useOwnServices({ RECONCILE_STALE_S: '60', RECONCILE_INTERVAL_S: '30' });

const undecided = async () =>
  (await own.db.selectFrom('submission').select('id').where('status', 'in', ['queued', 'processing']).execute()).length;

describe('a Postgres crash under the workers', () => {
  it('jobs wait it out without using their attempts, none fails for good, and all are decided within seconds of its return', {
    timeout: 180_000,
  }, async () => {
    const files = await namPoFiles((n) => n.includes('2023-Q2'));
    // Stored, then put on the queue only once Postgres is down: every job meets the outage.
    const { id: tokenId } = await createToken(own.db, { level: 'province', code: '11' });
    const principal = { level: 'province' as const, code: '11', id: `token:${tokenId}` };
    const ids: number[] = [];
    for (const f of files.slice(0, 12))
      ids.push(
        ...(
          await storeSubmissions(
            own.db,
            principal,
            {},
            [{ filename: f.name, contentType: null, bytes: Buffer.from(f.bytes) }],
            null,
            new Date(),
          )
        ).map((s) => s.id),
      );
    await own.cluster.crash();
    // Half as jobs of their own, half as one group's job (issue 22).
    await enqueueNormalizeMany(own.running.deps.queues, ids.slice(0, 6));
    await enqueueNormalizeGroups(own.running.deps.queues, ids.slice(6));
    // Longer than BullMQ's five attempts with backoff (0.5 + 1 + 2 + 4 s) would last.
    await new Promise((r) => setTimeout(r, 10_000));
    expect((await own.running.deps.queues.normalize.getJobCounts('failed')).failed).toBe(0);
    await own.cluster.start();
    const back = performance.now();
    await waitFor(async () => (await undecided().catch(() => 1)) === 0, 'every submission decided', 20_000);
    const took = performance.now() - back;
    expect(took).toBeLessThan(15_000);
    await settled(own.db, own.running.deps.queues, 20_000);
    expect((await own.running.deps.queues.normalize.getJobCounts('failed')).failed).toBe(0);
    expect((await own.running.deps.queues.rollup.getJobCounts('failed')).failed).toBe(0);
    const statuses = await own.db.selectFrom('submission').select('status').where('id', 'in', ids).execute();
    expect(statuses.every((s) => s.status === 'accepted')).toBe(true);
  });
});

describe('a Redis crash', () => {
  it('uploads are stored and answered 202 while it is down, health and metrics say so, and once it is back, empty, they are decided within seconds', {
    timeout: 180_000,
  }, async () => {
    const token = await tokenFor(own.db, 'province', '11');
    const files = await namPoFiles((n) => n.includes('2023-Q2') && n.includes('hts-xa'));
    const crashed = await own.crashRedis();
    for (const f of files.slice(0, 3)) expect((await upload(own.running.url!, token, [f])).status).toBe(202);
    const ready = await fetch(new URL('/health/ready', own.running.url!));
    expect(ready.status).toBe(503);
    expect(((await ready.json()) as any).reasons).toEqual(['redis_unavailable']);
    expect(sampleValue(await scrape(own.running.url!), 'tonghop_dependency_up', { dependency: 'redis' })).toBe(0);
    expect(await undecided()).toBe(3);

    await crashed.restart();
    const back = performance.now();
    await waitFor(async () => (await undecided()) === 0, 'the uploads made while Redis was down to be decided', 30_000);
    // RECONCILE_STALE_S is 60: the return was noticed, not waited out.
    expect(performance.now() - back).toBeLessThan(10_000);
    await waitFor(
      async () => (await fetch(new URL('/health/ready', own.running.url!))).status === 200,
      'readiness to recover',
      10_000,
    );
  });
});
