import { UnrecoverableError, type Job } from 'bullmq';
import type { Deps } from '../../deps.ts';
import { enqueueRollup, rollupDelay } from '../../queue/queues.ts';
import { rollupJob, type RollupJob } from '../../schema/jobs.ts';
import { isDatabaseUnavailable } from '../../db/unavailable.ts';
import { postponeWhileDatabaseAway } from '../postpone-while-database-away.ts';
import { isTransientFault } from '../transient-fault.ts';
import { rollupProvincePeriod } from './persist.ts';

/**
 * The BullMQ adapter of the rollup job. A transient fault is retried; any other error fails the
 * job at once, and the province-period stays due in Postgres, so the reconciler runs it again on
 * each sweep and the operator sees it fail until the cause is fixed.
 */
export function createRollupProcessor(deps: Deps) {
  return async (job: Job<RollupJob>, token?: string) => {
    const parsed = rollupJob.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`not a rollup job: ${parsed.error.message}`);
    const payload = parsed.data;
    const log = deps.log.child({
      queue: job.queueName,
      jobId: job.id,
      province: payload.provinceCode,
      period: payload.period,
    });
    try {
      // An import marks its province-periods due and may enqueue them before this process's catalog
      // polled: read it now, or the rollup would compute with the version it is meant to replace.
      await deps.forms.refresh();
      const result = await rollupProvincePeriod(deps.db, deps.forms, payload, deps.now());
      if (result.stillDue)
        await enqueueRollup(deps.queues, payload, rollupDelay(result.stillDue, deps.now(), deps.config));
      log.info(result, 'rollup done');
      return result;
    } catch (error) {
      if (isDatabaseUnavailable(error)) return postponeWhileDatabaseAway(job, token, error);
      if (error instanceof UnrecoverableError || isTransientFault(error)) throw error;
      throw new UnrecoverableError(
        `rollup ${payload.provinceCode} ${payload.period}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  };
}
