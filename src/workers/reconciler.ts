import type { Job, JobState as QueueJobState } from 'bullmq';
import { sql } from 'kysely';
import type { Deps } from '../deps.ts';
import { enqueueNormalizeMany, enqueueRollup, normalizeJobId, type Queues } from '../queue/queues.ts';
import type { NormalizeJob } from '../schema/jobs.ts';
import { recordProcessingFailure } from './normalize/record-failure.ts';

export type Reconciled = {
  /** Submissions whose job was gone (never enqueued, or lost with Redis) and was added again. */
  submissions: number;
  /** Submissions whose job had failed every attempt on transient faults, retried from the start. */
  retried: number;
  /** Submissions started NORMALIZE_MAX_RUNS times without an outcome, rejected as PROCESSING_FAILED. */
  gaveUp: number;
  /** Due rollups put on the queue again. */
  rollups: number;
};

/** The state of a submission's job as BullMQ reports it, or `missing` when Redis has no such job. */
export type JobState = QueueJobState | 'missing';

export type ReconcileAction = 'leave' | 'enqueue' | 'retry' | 'give-up';

/**
 * What to do with a submission still queued or processing in Postgres after RECONCILE_STALE_S.
 * A job that failed is retried: the processor rejects a submission itself when the error can never
 * succeed, so a failed job whose submission is still pending failed on transient faults (Postgres
 * away for longer than the backoff, a worker killed twice under it). A submission started `maxRuns` times without an
 * outcome is poison (it kills its worker, or never finishes): it is rejected rather than handed to
 * worker after worker forever.
 */
export function reconcileAction(runs: number, state: JobState, maxRuns: number): ReconcileAction {
  if (state === 'active') return 'leave';
  if (runs >= maxRuns) return 'give-up';
  // A completed job whose submission is still pending when looked at again (below) had its outcome
  // committed without waiting for the disk (db/connect.ts) and lost in a Postgres crash: run it again.
  if (state === 'missing' || state === 'completed') return 'enqueue';
  if (state === 'failed') return 'retry';
  return 'leave';
}

/** Redis round trips in flight at once during a sweep: after a flush, thousands of submissions are looked up. */
const batch = 50;

async function mapFiftyAtATime<T, R>(items: readonly T[], work: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += batch) out.push(...(await Promise.all(items.slice(i, i + batch).map(work))));
  return out;
}

/** Where a group's job may be, in the order a submission found in several is judged by (running first). */
const groupStates = ['active', 'waiting', 'delayed', 'prioritized', 'waiting-children', 'failed', 'completed'] as const;

/**
 * The job of each submission that is in a group's job (queues.ts), and its state: one look at
 * each list, the jobs of groups being few. A job moving between two lists while they are read may
 * be missed; its submissions are then added again as their own jobs, which find them decided or
 * decide them once (persist.ts).
 */
async function groupJobs(queues: Queues): Promise<Map<number, { state: JobState; job: Job<NormalizeJob> }>> {
  const found = new Map<number, { state: JobState; job: Job<NormalizeJob> }>();
  for (const state of groupStates) {
    for (const job of await queues.normalize.getJobs([state])) {
      if (!job?.data || !('submissionIds' in job.data)) continue;
      for (const id of job.data.submissionIds) if (!found.has(id)) found.set(id, { state, job });
    }
  }
  return found;
}

/**
 * Postgres is the record and Redis may lose everything: submissions still queued or processing
 * after a while, and rollups still due, are put on the queues again. Adding is idempotent (job ids,
 * deduplication ids), so a sweep that finds their jobs still there changes nothing; sweeps that
 * overlap (several worker processes) at worst add a job that then finds its work done.
 */
export async function reconcile(deps: Deps, options: { staleAfterS?: number } = {}): Promise<Reconciled> {
  // After Redis or Postgres came back (workers/service-returns.ts), everything pending is looked at, not only what is stale.
  const staleBefore = new Date(deps.now().getTime() - (options.staleAfterS ?? deps.config.RECONCILE_STALE_S) * 1000);
  const pending = await deps.db
    .selectFrom('submission')
    .select(['id', 'attempts'])
    .where('status', 'in', ['queued', 'processing'])
    .where('updated_at', '<', staleBefore)
    .orderBy('id')
    .limit(10_000)
    .execute();
  const done: Reconciled = { submissions: 0, retried: 0, gaveUp: 0, rollups: 0 };
  // A submission's own job first; one without is looked for in the jobs of groups.
  const own = await mapFiftyAtATime(pending, async ({ id }) => {
    const state = await deps.queues.normalize.getJobState(normalizeJobId(id));
    return state === 'unknown' ? 'missing' : state;
  });
  const inGroups = own.includes('missing')
    ? await groupJobs(deps.queues)
    : new Map<number, { state: JobState; job: Job<NormalizeJob> }>();
  const states = own.map((state, i) =>
    state === 'missing' ? (inGroups.get(pending[i]!.id)?.state ?? 'missing') : state,
  );
  const listed = pending
    .map((s, i) => ({
      ...s,
      state: states[i]!,
      action: reconcileAction(s.attempts, states[i]!, deps.config.NORMALIZE_MAX_RUNS),
    }))
    .filter((s) => s.action !== 'leave');
  // Listed before the queue was asked: some may have been decided since.
  const stillPending =
    listed.length === 0
      ? new Set<number>()
      : new Set(
          (
            await deps.db
              .selectFrom('submission')
              .select('id')
              .where(
                'id',
                'in',
                listed.map((s) => s.id),
              )
              .where('status', 'in', ['queued', 'processing'])
              .execute()
          ).map((s) => s.id),
        );
  const todo = listed.filter((s) => stillPending.has(s.id));

  const missing = todo.filter((s) => s.action === 'enqueue').map((s) => s.id);
  // A job hash left outside every list (a flush in the middle of a script) would make add() a no-op.
  await mapFiftyAtATime(missing, (id) => deps.queues.normalize.remove(normalizeJobId(id)).catch(() => 0));
  await enqueueNormalizeMany(deps.queues, missing);
  done.submissions = missing.length;

  // A group's failed job is retried once for all its submissions.
  const retriedGroups = new Set<string>();
  await mapFiftyAtATime(
    todo.filter((s) => s.action !== 'enqueue'),
    async ({ id, attempts, state, action }) => {
      try {
        const group = inGroups.get(id)?.job;
        const job = group ?? (await deps.queues.normalize.getJob(normalizeJobId(id)));
        if (action === 'retry' && group) {
          if (!retriedGroups.has(group.id!)) {
            retriedGroups.add(group.id!);
            deps.log.warn(
              { submissionId: id, jobId: group.id, failedReason: group.failedReason },
              'reconciler retries a failed normalize job',
            );
            // Its starts are kept: run again, the group hands the submissions it had started to jobs of their own (normalize/processor.ts).
            await group.retry('failed', { resetAttemptsMade: true });
          }
          done.retried += 1;
        } else if (action === 'retry') {
          deps.log.warn(
            { submissionId: id, jobId: job?.id, failedReason: job?.failedReason },
            'reconciler retries a failed normalize job',
          );
          await job?.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
          done.retried += 1;
        } else {
          deps.log.error(
            { submissionId: id, runs: attempts, jobState: state, failedReason: job?.failedReason },
            'submission never finished: rejected as PROCESSING_FAILED',
          );
          await recordProcessingFailure(deps.db, id, deps.now());
          done.gaveUp += 1;
        }
      } catch (err) {
        // The job moved on between our look and our act (another sweep, a worker): the next sweep sees it again.
        deps.log.debug({ submissionId: id, action, err }, 'reconciler action skipped');
      }
    },
  );
  const due = await deps.db
    .selectFrom('rollup_due')
    .select(['province_code', 'period'])
    .where('due_since', '<', sql<Date>`${staleBefore}`)
    .execute();
  for (const d of due) await enqueueRollup(deps.queues, { provinceCode: d.province_code, period: d.period }, 0);
  done.rollups = due.length;
  if (done.submissions + done.retried + done.gaveUp > 0 || due.length > 0)
    deps.log.warn(done, 'reconciler re-enqueued lost work');
  return done;
}
