import type { Db } from '../../db/connect.ts';
import { issue } from '../../schema/issue.ts';
import { persistOutcome, type Persisted } from './persist.ts';

/**
 * Decides a submission that can never be processed (a reader or a rule crashes on it, or it has
 * killed its worker run after run) as rejected with PROCESSING_FAILED, so its sender sees an end
 * instead of `processing` forever and can send it again once the operator has fixed the cause.
 * A submission already decided is left as it is.
 */
export async function recordProcessingFailure(db: Db, submissionId: number, now: Date): Promise<Persisted> {
  return persistOutcome(db, submissionId, { kind: 'rejected', issues: [issue('PROCESSING_FAILED')], meta: {} }, now);
}
