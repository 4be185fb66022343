import type { Job } from 'bullmq';
import type { Deps } from '../../deps.ts';
import { normalizeJob, type NormalizeJob } from '../../schema/jobs.ts';
import { normalizeSubmission } from './normalize.ts';

/** The BullMQ adapter: validates the payload and hands it to the job body, whose log lines carry the job and submission ids. */
export function createNormalizeProcessor(deps: Deps) {
  return async (job: Job<NormalizeJob>) => {
    const payload = normalizeJob.parse(job.data);
    const log = deps.log.child({ queue: job.queueName, jobId: job.id, attempt: job.attemptsMade + 1 });
    const persisted = await normalizeSubmission({ ...deps, log }, payload);
    return { status: persisted.status, version: persisted.version };
  };
}
