import type { Job } from 'bullmq';
import { sql } from 'kysely';
import type { Deps } from '../../deps.ts';

const states = ['waiting', 'active', 'delayed', 'failed', 'completed'] as const;

function failedJob(queue: string, job: Job) {
  return {
    queue,
    id: job.id ?? null,
    name: job.name,
    data: job.data as unknown,
    reason: job.failedReason ?? null,
    attempts: job.attemptsMade,
    failed_at: job.finishedOn ? new Date(job.finishedOn) : null,
  };
}

/**
 * What an operator checks first: each queue's counts and workers, submissions by status, how long
 * the oldest change has waited for its rollup (snapshot lag), the last rollups and the failed jobs.
 */
export async function collectStatus(deps: Pick<Deps, 'db' | 'queues' | 'now'>) {
  const queues = [];
  const failed = [];
  for (const queue of [deps.queues.normalize, deps.queues.rollup]) {
    const counts = await queue.getJobCounts(...states);
    queues.push({
      name: queue.name,
      ...Object.fromEntries(states.map((s) => [s, counts[s] ?? 0])),
      workers: await queue.getWorkersCount(),
    });
    for (const job of await queue.getFailed(0, 19)) failed.push(failedJob(queue.name, job));
  }
  const byStatus = await deps.db
    .selectFrom('submission')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('status')
    .execute();
  const oldestDue = await deps.db
    .selectFrom('rollup_due')
    .select(sql<Date | null>`min(due_since)`.as('since'))
    .executeTakeFirst();
  const oldestPending = await deps.db
    .selectFrom('submission')
    .select(sql<Date | null>`min(received_at)`.as('since'))
    .where('status', 'in', ['queued', 'processing'])
    .executeTakeFirst();
  const now = deps.now().getTime();
  const age = (since: Date | null | undefined) => (since ? Math.max(0, (now - new Date(since).getTime()) / 1000) : 0);
  const rollups = await deps.db
    .selectFrom('rollup_run')
    .select(['province_code', 'period', 'snapshot_version', 'started_at', 'finished_at'])
    .orderBy('finished_at', 'desc')
    .limit(10)
    .execute();
  failed.sort((a, b) => (b.failed_at?.getTime() ?? 0) - (a.failed_at?.getTime() ?? 0));
  return {
    queues,
    submissions: Object.fromEntries(byStatus.map((s) => [s.status, s.n])),
    snapshot_lag_seconds: age(oldestDue?.since),
    oldest_pending_seconds: age(oldestPending?.since),
    last_rollups: rollups,
    failed_jobs: failed.slice(0, 20),
  };
}
