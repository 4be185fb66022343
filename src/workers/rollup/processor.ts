import type { Job } from 'bullmq';
import type { Deps } from '../../deps.ts';
import { enqueueRollup } from '../../queue/queues.ts';
import { rollupJob, type RollupJob } from '../../schema/jobs.ts';
import { rollupProvincePeriod } from './persist.ts';

/** The BullMQ adapter of the rollup job. */
export function createRollupProcessor(deps: Deps) {
  return async (job: Job<RollupJob>) => {
    const payload = rollupJob.parse(job.data);
    const log = deps.log.child({ queue: job.queueName, jobId: job.id, province: payload.provinceCode, period: payload.period });
    const result = await rollupProvincePeriod(deps.db, payload, deps.now());
    if (result.stillDue) await enqueueRollup(deps.queues, payload, deps.config.ROLLUP_DEBOUNCE_MS);
    log.info(result, 'rollup done');
    return result;
  };
}
