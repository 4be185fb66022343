import { DelayedError, type Job } from 'bullmq';

/** Longest wait between two looks at a Postgres that is away: the backlog resumes at most this long after its return. */
const maxDelayMs = 4000;

/**
 * Postgres is away (down, restarting, in crash recovery): the job goes back to the delayed set
 * for one to four seconds, without using one of its attempts, and throws BullMQ's DelayedError so
 * the worker takes the next. Retried with the usual backoff instead, a job would use its five
 * attempts in eight seconds and fail for good during a restart that lasts ten; waiting this way
 * it resumes within seconds of the return, however long the outage. Nothing was written: the
 * job's transaction did not commit. When even this fails (Redis away as well), the original error
 * is thrown, for BullMQ's usual retry.
 */
export async function postponeWhileDatabaseAway(job: Job, token: string | undefined, error: unknown): Promise<never> {
  const postponed = Math.max(0, (job.attemptsStarted ?? 1) - 1 - job.attemptsMade);
  const delay = Math.min(maxDelayMs, 1000 * 1.5 ** Math.min(postponed, 10)) * (0.75 + Math.random() * 0.5);
  try {
    await job.moveToDelayed(Date.now() + Math.round(delay), token);
  } catch {
    throw error;
  }
  throw new DelayedError();
}
