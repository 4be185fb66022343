import { Queue } from 'bullmq';
import type { Config } from '../config.ts';
import type { NormalizeJob, RollupJob } from '../schema/jobs.ts';
import { producerConnection } from './connections.ts';

export const queueNames = { normalize: 'normalize', rollup: 'rollup' } as const;
export type QueueName = (typeof queueNames)[keyof typeof queueNames];

export type Queues = {
  readonly normalize: Queue<NormalizeJob>;
  readonly rollup: Queue<RollupJob>;
  readonly prefix: string;
  close(): Promise<void>;
};

/** Retries with backoff for transient faults; failed jobs kept for the operator to inspect and retry. */
const defaultJobOptions = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 500 },
  removeOnComplete: { count: 1000 },
  removeOnFail: { count: 10_000 },
} as const;

export function createQueues(redisUrl: string, prefix: string): Queues {
  const connection = producerConnection(redisUrl);
  const normalize = new Queue<NormalizeJob>(queueNames.normalize, { connection, prefix, defaultJobOptions });
  const rollup = new Queue<RollupJob>(queueNames.rollup, { connection, prefix, defaultJobOptions });
  // A producer's lost connection is reported by the next add(); an unhandled 'error' would end the process.
  normalize.on('error', () => {});
  rollup.on('error', () => {});
  return {
    normalize,
    rollup,
    prefix,
    close: async () => {
      await Promise.all([normalize.close(), rollup.close()]);
    },
  };
}

/** A submission's own normalize job: its id is what makes adding it idempotent, and how the reconciler finds it. */
export const normalizeJobId = (submissionId: number) => `sub-${submissionId}`;

/**
 * The job of a group of submissions, named by its first and its size: a submission is in one group
 * only (the ingest enqueues each once), so the name is unique, and adding it again is a no-op.
 */
export const normalizeGroupJobId = (submissionIds: readonly number[]) =>
  `subs-${submissionIds[0]}-${submissionIds.length}`;

/** Submissions of a group commit in one normalize job at most: one worker batch (normalize/processor.ts). */
export const normalizeGroupSize = 64;

/**
 * Submissions of one request in one normalize job at most: a province's ZIP is one job, decided a
 * batch at a time and rolled up once (the payload's bound, schema/jobs.ts).
 */
export const requestGroupSize = 1000;

/** `add` is idempotent by job id: a submission already on the queue is not added twice. */
export async function enqueueNormalize(queues: Queues, submissionId: number): Promise<void> {
  await queues.normalize.add('normalize', { submissionId }, { jobId: normalizeJobId(submissionId) });
}

/** Many at once, in one round trip, each its own job (the reconciler after Redis lost everything); idempotent the same way. */
export async function enqueueNormalizeMany(queues: Queues, submissionIds: readonly number[]): Promise<void> {
  if (submissionIds.length === 0) return;
  await queues.normalize.addBulk(
    submissionIds.map((submissionId) => ({
      name: 'normalize',
      data: { submissionId },
      opts: { jobId: normalizeJobId(submissionId) },
    })),
  );
}

/**
 * Submissions stored together (one upload's files, or the uploads of one group commit), in one
 * round trip as jobs of up to `size` submissions: a national quarter is a few hundred jobs, not
 * 21,200. A group of one is the submission's own job, as `enqueueNormalize` adds it.
 */
export async function enqueueNormalizeGroups(
  queues: Queues,
  submissionIds: readonly number[],
  size = normalizeGroupSize,
): Promise<void> {
  if (submissionIds.length === 0) return;
  const jobs = [];
  for (let i = 0; i < submissionIds.length; i += size) {
    const group = submissionIds.slice(i, i + size);
    jobs.push(
      group.length === 1
        ? { name: 'normalize', data: { submissionId: group[0]! }, opts: { jobId: normalizeJobId(group[0]!) } }
        : { name: 'normalize', data: { submissionIds: group }, opts: { jobId: normalizeGroupJobId(group) } },
    );
  }
  await queues.normalize.addBulk(jobs);
}

/**
 * How long a rollup request waits: until the province-period has been quiet for ROLLUP_DEBOUNCE_MS,
 * but never past ROLLUP_MAX_WAIT_MS after `dueSince`, the first change the rollup would include. Without the
 * cap a province whose reports never stop would never be rolled up.
 */
export function rollupDelay(
  dueSince: Date | null,
  now: Date,
  config: Pick<Config, 'ROLLUP_DEBOUNCE_MS' | 'ROLLUP_MAX_WAIT_MS'>,
): number {
  if (dueSince === null) return config.ROLLUP_DEBOUNCE_MS;
  return Math.max(
    0,
    Math.min(config.ROLLUP_DEBOUNCE_MS, dueSince.getTime() + config.ROLLUP_MAX_WAIT_MS - now.getTime()),
  );
}

/**
 * One rollup per (province, period) at a time: while one waits, a new request moves it to the
 * request's own delay (a debounce); while one runs, exactly one more is kept to run after it. So
 * a burst of N files costs a handful of rollups.
 */
export async function enqueueRollup(queues: Queues, job: RollupJob, delayMs: number): Promise<void> {
  await queues.rollup.add('rollup', job, {
    delay: delayMs,
    deduplication: { id: `rollup-${job.provinceCode}-${job.period}`, keepLastIfActive: true, reschedule: true },
  });
}
