import { sql } from 'kysely';
import type { Deps } from '../deps.ts';
import { enqueueNormalize, enqueueRollup } from '../queue/queues.ts';

export type Reconciled = { submissions: number; rollups: number };

/**
 * Postgres is the record and Redis may lose everything: submissions still queued or processing
 * after a while, and rollups still due, are put on the queues again. Adding is idempotent (job ids,
 * deduplication ids), so a sweep that finds their jobs still there changes nothing.
 */
export async function reconcile(deps: Deps): Promise<Reconciled> {
  const staleBefore = new Date(deps.now().getTime() - deps.config.RECONCILE_STALE_S * 1000);
  const pending = await deps.db
    .selectFrom('submission')
    .select('id')
    .where('status', 'in', ['queued', 'processing'])
    .where('updated_at', '<', staleBefore)
    .orderBy('id')
    .limit(10_000)
    .execute();
  let submissions = 0;
  for (const { id } of pending) {
    const existing = await deps.queues.normalize.getJob(`sub-${id}`);
    if (existing) continue;
    await enqueueNormalize(deps.queues, id);
    submissions += 1;
  }
  const due = await deps.db
    .selectFrom('rollup_due')
    .select(['province_code', 'period'])
    .where('due_since', '<', sql<Date>`${staleBefore}`)
    .execute();
  for (const d of due) await enqueueRollup(deps.queues, { provinceCode: d.province_code, period: d.period }, 0);
  if (submissions > 0 || due.length > 0) deps.log.warn({ submissions, rollups: due.length }, 'reconciler re-enqueued lost work');
  return { submissions, rollups: due.length };
}
