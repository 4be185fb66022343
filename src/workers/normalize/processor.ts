import type { Job } from 'bullmq';
import type { Deps } from '../../deps.ts';
import { normalizeJob, type NormalizeJob } from '../../schema/jobs.ts';
import { normalizeSubmission } from './normalize.ts';

/** The BullMQ adapter: validates the payload and hands it to the job body. */
export function createNormalizeProcessor(deps: Deps) {
  return async (job: Job<NormalizeJob>) => {
    const persisted = await normalizeSubmission(deps, normalizeJob.parse(job.data));
    return { status: persisted.status, version: persisted.version };
  };
}
