import { Counter, Histogram, type Registry } from 'prom-client';
import type { Reconciled } from '../workers/reconciler.ts';

/** Seconds, from a small file (tens of milliseconds) to a province-wide bulk file or rollup (a minute). */
const durationBuckets = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/** What a worker process records as it works; the figures live in that process and are scraped from it. */
export function createWorkerMetrics(registry: Registry) {
  return {
    jobDuration: new Histogram({
      name: 'tonghop_job_duration_seconds',
      help:
        'Time one attempt of a job took, by queue (worker kind) and outcome: completed, retry (BullMQ tries ' +
        'again after a backoff), postponed (Postgres away: put back without using an attempt) or failed (no attempt left).',
      labelNames: ['queue', 'outcome'] as const,
      buckets: durationBuckets,
      registers: [registry],
    }),
    rollupDuration: new Histogram({
      name: 'tonghop_rollup_duration_seconds',
      help: 'Time to recompute one province-period and write its snapshot; changed="false" when the figures were already current and nothing was appended.',
      labelNames: ['changed'] as const,
      buckets: durationBuckets,
      registers: [registry],
    }),
    reconcilerActions: new Counter({
      name: 'tonghop_reconciler_actions_total',
      help:
        'Work the reconciler put back on a queue because Redis no longer had it (requeue_submission, ' +
        'requeue_rollup), failed jobs it retried (retry_submission), and submissions it gave up on as PROCESSING_FAILED (give_up_submission).',
      labelNames: ['action'] as const,
      registers: [registry],
    }),
    reconcilerSweeps: new Counter({
      name: 'tonghop_reconciler_sweeps_total',
      help: 'Reconciler sweeps, by outcome (ok, error).',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
  };
}

export type WorkerMetrics = ReturnType<typeof createWorkerMetrics>;

export function countReconciled(metrics: WorkerMetrics, reconciled: Reconciled): void {
  metrics.reconcilerSweeps.inc({ outcome: 'ok' });
  metrics.reconcilerActions.inc({ action: 'requeue_submission' }, reconciled.submissions);
  metrics.reconcilerActions.inc({ action: 'requeue_rollup' }, reconciled.rollups);
  metrics.reconcilerActions.inc({ action: 'retry_submission' }, reconciled.retried);
  metrics.reconcilerActions.inc({ action: 'give_up_submission' }, reconciled.gaveUp);
}
