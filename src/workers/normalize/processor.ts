import { UnrecoverableError, type Job } from 'bullmq';
import type { Deps } from '../../deps.ts';
import { groupSettledCalls } from '../../group-calls.ts';
import { normalizeJob, type NormalizeJob } from '../../schema/jobs.ts';
import { isDatabaseUnavailable } from '../../db/unavailable.ts';
import { postponeWhileDatabaseAway } from '../postpone-while-database-away.ts';
import { isTransientFault } from '../transient-fault.ts';
import { normalizeSubmissions } from './normalize.ts';
import { recordProcessingFailure } from './record-failure.ts';

/**
 * The BullMQ adapter: validates the payload and hands it to the job body, whose log lines carry the
 * job and submission ids. The jobs BullMQ runs side by side (NORMALIZE_CONCURRENCY) are decided
 * together: those that arrive while a batch is being written form the next batch. A transient
 * fault is thrown as it is, for BullMQ to retry with backoff (and the reconciler after that); any
 * other error fails the same way on every run, so the submission is rejected as PROCESSING_FAILED
 * and the job fails at once, kept in the failed set with its stack for the operator.
 */
/** Larger batches gain little and hold a transaction's locks longer. */
const maxBatch = 64;

export function createNormalizeProcessor(deps: Deps) {
  // BullMQ keeps fetching while a batch is written only if it holds more jobs than one batch takes.
  const normalize = groupSettledCalls((ids: number[]) => normalizeSubmissions(deps, ids), maxBatch);
  return async (job: Job<NormalizeJob>, token?: string) => {
    const parsed = normalizeJob.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`not a normalize job: ${parsed.error.message}`);
    const { submissionId } = parsed.data;
    const log = deps.log.child({ queue: job.queueName, jobId: job.id, attempt: job.attemptsMade + 1, submissionId });
    try {
      const persisted = await normalize(submissionId);
      log.info({ status: persisted.status, version: persisted.version, commune: persisted.commune, period: persisted.period }, 'submission decided');
      return { status: persisted.status, version: persisted.version };
    } catch (error) {
      if (isDatabaseUnavailable(error)) return postponeWhileDatabaseAway(job, token, error);
      if (error instanceof UnrecoverableError || isTransientFault(error)) throw error;
      log.error({ err: error }, 'submission failed for good: rejected as PROCESSING_FAILED');
      await recordProcessingFailure(deps.db, submissionId, deps.now());
      throw new UnrecoverableError(`submission ${submissionId}: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
}
