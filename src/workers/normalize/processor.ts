import { UnrecoverableError, type Job } from 'bullmq';
import type { Deps } from '../../deps.ts';
import { groupSettledCalls, oneAtATime } from '../../group-calls.ts';
import { normalizeJob, type NormalizeJob } from '../../schema/jobs.ts';
import { isDatabaseUnavailable } from '../../db/unavailable.ts';
import { enqueueNormalizeMany, normalizeJobId } from '../../queue/queues.ts';
import { postponeWhileDatabaseAway } from '../postpone-while-database-away.ts';
import { isTransientFault } from '../transient-fault.ts';
import { askDeferredRollups, normalizeSubmissions, type DeferredRollups } from './normalize.ts';
import type { Persisted } from './persist.ts';
import { recordProcessingFailure } from './record-failure.ts';

/**
 * The BullMQ adapter: validates the payload and hands its submissions to the job body, whose log
 * lines carry the job and submission ids. A job names one submission or a group of them (the
 * uploads stored together); the submissions of the jobs BullMQ runs side by side
 * (NORMALIZE_CONCURRENCY) are decided together: those that arrive while a batch is being written
 * form the next batch. Each submission settles on its own, from its state in Postgres. A transient
 * fault is thrown as it is, for BullMQ to retry the job with backoff (and the reconciler after
 * that); any other error fails the same way on every run, so the submission is rejected as
 * PROCESSING_FAILED and the job fails at once, kept in the failed set with its stack for the
 * operator.
 */
/** Larger batches gain little and hold a transaction's locks longer. */
const maxBatch = 64;

/** A group's submissions, decided a batch at a time, its rollups asked for once at the end. */
type DecideGroup = (ids: readonly number[], deferred: DeferredRollups) => Promise<PromiseSettledResult<Persisted>[]>;

export function createNormalizeProcessor(deps: Deps) {
  // One batch at a time per process, single submissions' and groups' alike: a batch's evaluation
  // and its transaction are what a worker does; more at once would only hold more locks and memory.
  const exclusive = oneAtATime();
  // BullMQ keeps fetching while a batch is written only if it holds more jobs than one batch takes.
  const normalize = groupSettledCalls((ids: number[]) => exclusive(() => normalizeSubmissions(deps, ids)), maxBatch);
  const decideBatches: DecideGroup = async (ids, deferred) => {
    const settled: PromiseSettledResult<Persisted>[] = [];
    for (let i = 0; i < ids.length; i += maxBatch)
      settled.push(
        ...(await exclusive(() => normalizeSubmissions(deps, ids.slice(i, i + maxBatch), deferred), { next: i > 0 })),
      );
    return settled;
  };
  return async (job: Job<NormalizeJob>, token?: string) => {
    const parsed = normalizeJob.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`not a normalize job: ${parsed.error.message}`);
    if ('submissionIds' in parsed.data) return decideGroup(deps, decideBatches, job, token, parsed.data.submissionIds);
    const { submissionId } = parsed.data;
    const log = deps.log.child({ queue: job.queueName, jobId: job.id, attempt: job.attemptsMade + 1, submissionId });
    try {
      const persisted = await normalize(submissionId);
      log.info(
        { status: persisted.status, version: persisted.version, commune: persisted.commune, period: persisted.period },
        'submission decided',
      );
      return { status: persisted.status, version: persisted.version };
    } catch (error) {
      if (isDatabaseUnavailable(error)) return postponeWhileDatabaseAway(job, token, error);
      if (error instanceof UnrecoverableError || isTransientFault(error)) throw error;
      log.error({ err: error }, 'submission failed for good: rejected as PROCESSING_FAILED');
      await recordProcessingFailure(deps.db, submissionId, deps.now());
      throw new UnrecoverableError(
        `submission ${submissionId}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  };
}

/**
 * A group's job. Run again (its worker died, or a fault stopped it), it would meet again the file
 * that killed its worker, if one did, and take the others down with it: the submissions it had
 * started and not decided (attempts > 0 in Postgres) go to jobs of their own, where the reconciler's
 * count of runs judges each alone, and the group goes on with the rest.
 */
async function decideGroup(
  deps: Deps,
  decideBatches: DecideGroup,
  job: Job<NormalizeJob>,
  token: string | undefined,
  submissionIds: readonly number[],
) {
  const log = deps.log.child({ queue: job.queueName, jobId: job.id, attempt: job.attemptsMade + 1 });
  let ids = submissionIds;
  try {
    if ((job.attemptsStarted ?? 1) > 1) {
      const started = await deps.db
        .selectFrom('submission')
        .select('id')
        .where('id', 'in', ids)
        .where('status', 'in', ['queued', 'processing'])
        .where('attempts', '>', 0)
        .execute();
      if (started.length > 0) {
        const alone = started.map((s) => s.id);
        // A job of its own left over from an earlier run would make the add a no-op; one running is left to run.
        await Promise.all(alone.map((id) => deps.queues.normalize.remove(normalizeJobId(id)).catch(() => 0)));
        await enqueueNormalizeMany(deps.queues, alone);
        log.warn({ submissionIds: alone }, 'group run again: its started submissions go to jobs of their own');
        const set = new Set(alone);
        ids = ids.filter((id) => !set.has(id));
      }
    }
  } catch (error) {
    if (isDatabaseUnavailable(error)) return postponeWhileDatabaseAway(job, token, error);
    throw error;
  }

  const deferred: DeferredRollups = new Map();
  const settled = await decideBatches(ids, deferred);
  let unavailable: unknown = null;
  let transient: unknown = null;
  const failedForGood: string[] = [];
  const statuses: Record<string, number> = {};
  for (const [i, s] of settled.entries()) {
    const submissionId = ids[i]!;
    if (s.status === 'fulfilled') {
      const p = s.value;
      statuses[p.status] = (statuses[p.status] ?? 0) + 1;
      log.info(
        { submissionId, status: p.status, version: p.version, commune: p.commune, period: p.period },
        'submission decided',
      );
      continue;
    }
    const error = s.reason;
    if (isDatabaseUnavailable(error)) unavailable ??= error;
    else if (isTransientFault(error)) transient ??= error;
    else if (error instanceof UnrecoverableError) failedForGood.push(error.message);
    else {
      log.error({ submissionId, err: error }, 'submission failed for good: rejected as PROCESSING_FAILED');
      try {
        await recordProcessingFailure(deps.db, submissionId, deps.now());
        failedForGood.push(`submission ${submissionId}: ${error instanceof Error ? error.message : String(error)}`);
      } catch (recordError) {
        if (isDatabaseUnavailable(recordError)) unavailable ??= recordError;
        else transient ??= recordError;
      }
    }
  }
  // The group runs again for its undecided submissions; those decided are found decided and left.
  if (unavailable) return postponeWhileDatabaseAway(job, token, unavailable);
  if (transient) throw transient;
  // Not sent (Redis away): the job fails and runs again; its submissions are found decided and ask again.
  await askDeferredRollups(deps, deferred);
  if (failedForGood.length > 0) throw new UnrecoverableError(failedForGood.join('; '));
  return { submissions: ids.length, statuses };
}
