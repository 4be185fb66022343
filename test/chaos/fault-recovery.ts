import type { Db } from '../../src/db/connect.ts';
import type { Queues } from '../../src/queue/queues.ts';

export type FaultKind = 'kill' | 'flush' | 'drop' | 'no-enqueue';

/** One fault the chaos run caused, the work it hit, and how long until that work was done. */
export type Fault = {
  readonly kind: FaultKind;
  /** What was hit: `worker-1`, `rollup`, `redis`, `postgres`, `ingest`. */
  readonly target: string;
  readonly at: Date;
  /** Submissions whose job the fault took away (in flight on a killed worker, on the queue at a flush, mid-transaction at a drop). */
  readonly submissions: readonly number[];
  /** Province-periods whose rollup was in flight or due. */
  readonly rollups: readonly { provinceCode: string; period: string }[];
  /** Jobs a killed process held: recovered once BullMQ has taken them over and finished them (after their lock expires). */
  readonly jobs: readonly { queue: 'normalize' | 'rollup'; id: string }[];
  note: string;
  /** For work Redis lost (a flush, a missed enqueue): when every submission hit had a job again, or was decided (the reconciler's part). */
  requeuedMs: number | null;
  recoveredMs: number | null;
};

const unfinished = new Set(['active', 'waiting', 'delayed', 'prioritized', 'waiting-children']);

/**
 * A fault is recovered when every submission it hit is decided, every province-period it hit is
 * either no longer due or has been rolled up by a run that started after the fault, and every job
 * a killed process held has been finished by another.
 */
export async function isRecovered(db: Db, queues: Queues, fault: Fault): Promise<boolean> {
  for (const j of fault.jobs) {
    if (unfinished.has(await queues[j.queue].getJobState(j.id))) return false;
  }
  if (fault.submissions.length > 0) {
    const pending = await db
      .selectFrom('submission')
      .select('id')
      .where('id', 'in', fault.submissions)
      .where('status', 'in', ['queued', 'processing'])
      .limit(1)
      .execute();
    if (pending.length > 0) return false;
  }
  for (const r of fault.rollups) {
    const due = await db
      .selectFrom('rollup_due')
      .select('due_seq')
      .where('province_code', '=', r.provinceCode)
      .where('period', '=', r.period)
      .executeTakeFirst();
    if (!due) continue;
    const ran = await db
      .selectFrom('rollup_run')
      .select('id')
      .where('province_code', '=', r.provinceCode)
      .where('period', '=', r.period)
      .where('started_at', '>', fault.at)
      .limit(1)
      .executeTakeFirst();
    if (!ran) return false;
  }
  return true;
}

/** True when every submission the fault hit has a job on the queue again, or is decided. */
async function isRequeued(db: Db, queues: Queues, fault: Fault): Promise<boolean> {
  if (fault.submissions.length === 0) return true;
  const pending = await db
    .selectFrom('submission')
    .select('id')
    .where('id', 'in', fault.submissions)
    .where('status', 'in', ['queued', 'processing'])
    .execute();
  for (const { id } of pending) if (!(await queues.normalize.getJob(`sub-${id}`))) return false;
  return true;
}

/** Marks each open fault requeued and recovered the first time it is; returns how many are still not recovered. */
export async function checkRecoveries(db: Db, queues: Queues, faults: readonly Fault[]): Promise<number> {
  let open = 0;
  for (const f of faults) {
    if ((f.kind === 'flush' || f.kind === 'no-enqueue') && f.requeuedMs === null && (await isRequeued(db, queues, f)))
      f.requeuedMs = Math.max(0, Date.now() - f.at.getTime());
    if (f.recoveredMs !== null) continue;
    if (await isRecovered(db, queues, f)) f.recoveredMs = Math.max(0, Date.now() - f.at.getTime());
    else open += 1;
  }
  return open;
}
