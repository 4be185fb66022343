import { UnrecoverableError, type Job } from 'bullmq';
import type { Histogram } from 'prom-client';
import type { QueueName } from '../queue/queues.ts';
import type { RollupResult } from '../workers/rollup/persist.ts';

type Processor<D, R> = (job: Job<D>, token?: string) => Promise<R>;

/** True when BullMQ will not try this job again after this error (the same rule as `Job#shouldRetryJob`). */
export function isLastAttempt(job: Pick<Job, 'attemptsMade' | 'opts'>, error: unknown): boolean {
  const unrecoverable =
    error instanceof UnrecoverableError || (error as { name?: string } | null)?.name === 'UnrecoverableError';
  return unrecoverable || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
}

function secondsSince(started: number): number {
  return (performance.now() - started) / 1000;
}

/** The processor, with each attempt's duration observed by queue and outcome. */
export function timedProcessor<D, R>(
  histogram: Histogram<'queue' | 'outcome'>,
  queue: QueueName,
  processor: Processor<D, R>,
): Processor<D, R> {
  return async (job, token) => {
    const started = performance.now();
    try {
      const result = await processor(job, token);
      histogram.observe({ queue, outcome: 'completed' }, secondsSince(started));
      return result;
    } catch (error) {
      // DelayedError: put back without using an attempt while Postgres is away (workers/postpone-while-database-away.ts).
      const outcome =
        (error as { name?: string } | null)?.name === 'DelayedError'
          ? 'postponed'
          : isLastAttempt(job, error)
            ? 'failed'
            : 'retry';
      histogram.observe({ queue, outcome }, secondsSince(started));
      throw error;
    }
  };
}

/** The rollup processor, with the duration of each rollup that finished observed by whether it appended a snapshot version. */
export function timedRollup<D, R extends RollupResult>(
  histogram: Histogram<'changed'>,
  processor: Processor<D, R>,
): Processor<D, R> {
  return async (job, token) => {
    const started = performance.now();
    const result = await processor(job, token);
    histogram.observe({ changed: String(result.changed) }, secondsSince(started));
    return result;
  };
}
