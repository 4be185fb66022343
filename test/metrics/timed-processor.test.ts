import { UnrecoverableError, type Job } from 'bullmq';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { isLastAttempt, timedProcessor, timedRollup } from '../../src/metrics/timed-processor.ts';
import { createWorkerMetrics } from '../../src/metrics/worker-metrics.ts';
import { lagSeconds } from '../../src/metrics/snapshot-lag.ts';

const job = (attemptsMade: number, attempts = 5) => ({ attemptsMade, opts: { attempts }, data: {} }) as unknown as Job;

async function counts(registry: Registry, name: string) {
  const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === name)!;
  return Object.fromEntries(
    (metric.values as { labels: Record<string, string>; value: number; metricName?: string }[])
      .filter((v) => v.metricName === `${name}_count`)
      .map((v) => [Object.values(v.labels).join(' '), v.value]),
  );
}

describe('job timing', () => {
  it('an attempt is the last when BullMQ will not retry: attempts used up, or an UnrecoverableError', () => {
    expect(isLastAttempt(job(0), new Error('x'))).toBe(false);
    expect(isLastAttempt(job(3), new Error('x'))).toBe(false);
    expect(isLastAttempt(job(4), new Error('x'))).toBe(true);
    expect(isLastAttempt(job(0), new UnrecoverableError('x'))).toBe(true);
    expect(isLastAttempt(job(0, 1), new Error('x'))).toBe(true);
  });

  it('observes each attempt by outcome — completed, retry or failed — and each rollup by whether it changed the snapshot', async () => {
    const registry = new Registry();
    const metrics = createWorkerMetrics(registry);
    const ok = timedProcessor(metrics.jobDuration, 'normalize', async () => 'done');
    const boom = timedProcessor(metrics.jobDuration, 'normalize', async () => {
      throw new Error('transient');
    });
    expect(await ok(job(0))).toBe('done');
    await expect(boom(job(0))).rejects.toThrow('transient');
    await expect(boom(job(4))).rejects.toThrow('transient');
    expect(await counts(registry, 'tonghop_job_duration_seconds')).toEqual({
      'normalize completed': 1,
      'normalize retry': 1,
      'normalize failed': 1,
    });

    const rollup = timedRollup(metrics.rollupDuration, async (j: Job<{ changed: boolean }>) => ({
      snapshotVersion: 1,
      changed: j.data.changed,
      stillDue: null,
      recast: [],
    }));
    await rollup({ data: { changed: true } } as Job<{ changed: boolean }>);
    await rollup({ data: { changed: false } } as Job<{ changed: boolean }>);
    await rollup({ data: { changed: false } } as Job<{ changed: boolean }>);
    expect(await counts(registry, 'tonghop_rollup_duration_seconds')).toEqual({ true: 1, false: 2 });
  });

  it('snapshot lag is the age of the oldest report left out, never negative, and 0 when none is', () => {
    const now = new Date('2025-01-01T00:10:00Z');
    expect(lagSeconds(null, now)).toBe(0);
    expect(lagSeconds(new Date('2025-01-01T00:00:00Z'), now)).toBe(600);
    expect(lagSeconds(new Date('2025-01-01T00:10:02Z'), now)).toBe(0);
  });
});
