import { UnrecoverableError } from 'bullmq';
import { readLimits, type Deps } from '../../deps.ts';
import type { NormalizeJob } from '../../schema/jobs.ts';
import { vietnamDay } from '../../schema/vietnam-day.ts';
import { enqueueRollup } from '../../queue/queues.ts';
import { evaluateReport } from './evaluate.ts';
import { persistOutcome, type Persisted } from './persist.ts';

/**
 * The normalize job: reads one stored submission, decides it, writes the outcome in one
 * transaction, then asks for the rollup of its province-period. Safe to run any number of times.
 */
export async function normalizeSubmission(deps: Deps, job: NormalizeJob): Promise<Persisted> {
  const { db } = deps;
  const log = deps.log.child({ submissionId: job.submissionId });
  const now = deps.now();
  // Taking the submission and marking it processing is one statement: most jobs find it queued.
  const taken = await db
    .updateTable('submission as s')
    .set((eb) => ({ status: 'processing', started_at: now, updated_at: now, attempts: eb('s.attempts', '+', 1) }))
    .where('s.id', '=', job.submissionId)
    .where('s.status', 'in', ['queued', 'processing'])
    .returning(['s.id', 's.filename', 's.given_form', 's.given_commune', 's.given_period', 's.scope_level', 's.scope_code'])
    .returning((eb) => eb.selectFrom('submission_file as f').select('f.bytes').whereRef('f.submission_id', '=', 's.id').as('bytes'))
    .executeTakeFirst();
  if (!taken) {
    const sub = await db.selectFrom('submission').select(['status', 'version', 'province_code', 'period']).where('id', '=', job.submissionId).executeTakeFirst();
    if (!sub) throw new UnrecoverableError(`submission ${job.submissionId} does not exist`);
    // Already decided: a rerun after a crash between commit and acknowledgment. The rollup request
    // is repeated, since the crash may have come before it was sent; it is deduplicated.
    if (sub.status === 'accepted' && sub.province_code && sub.period) {
      await enqueueRollup(deps.queues, { provinceCode: sub.province_code, period: sub.period }, deps.config.ROLLUP_DEBOUNCE_MS);
    }
    return { status: sub.status, version: sub.version, rollup: null };
  }
  if (!taken.bytes) throw new UnrecoverableError(`submission ${job.submissionId} has no stored file`);
  const sub = { ...taken, bytes: taken.bytes };

  const outcome = await evaluateReport(
    db,
    {
      bytes: sub.bytes,
      filename: sub.filename,
      given: { form: sub.given_form ?? undefined, commune: sub.given_commune ?? undefined, period: sub.given_period ?? undefined },
      principal: { level: sub.scope_level, code: sub.scope_code },
    },
    readLimits(deps.config),
    vietnamDay(now),
  );
  const persisted = await persistOutcome(db, sub.id, outcome, deps.now());
  if (persisted.rollup) await enqueueRollup(deps.queues, persisted.rollup, deps.config.ROLLUP_DEBOUNCE_MS);
  const where = outcome.kind === 'valid' ? { commune: outcome.communeCode, period: outcome.period } : { commune: outcome.meta.communeCode, period: outcome.meta.period };
  log.info({ status: persisted.status, version: persisted.version, ...where }, 'submission decided');
  return persisted;
}
