import { UnrecoverableError } from 'bullmq';
import { readLimits, type Deps } from '../../deps.ts';
import { vietnamDay } from '../../schema/vietnam-day.ts';
import { enqueueRollup, rollupDelay } from '../../queue/queues.ts';
import { batchedCommuneCheck } from '../../units/commune-check.ts';
import { isTransientFault } from '../transient-fault.ts';
import { evaluateReport } from '../../report/evaluate.ts';
import { judgeReports } from '../../quality/judge-reports.ts';
import { anyId, persistOutcomes, type Decided, type Persisted } from './persist.ts';

/**
 * Files up to this size are read with their submission, the whole batch in one statement; a larger
 * one (a province's bulk file) is read, decided and written on its own, so that a batch never holds
 * more than one large file in memory.
 */
const inlineBytes = 256 * 1024;

/** A submission as taken: its request fields and scope, and its bytes unless it is a large file. */
type Taken = Awaited<ReturnType<typeof takeSubmissions>>[number];

type Settled = PromiseSettledResult<Persisted>;

/**
 * Rollups a group's job asks for once, when all its submissions are decided, rather than after
 * each batch: a province's ZIP is one rollup, not one per batch of it. Keyed by province-period;
 * `dueSince` is the first change not rolled up (rollup_due), which caps the wait.
 */
export type DeferredRollups = Map<string, { provinceCode: string; period: string; dueSince: Date | null }>;

function deferRollup(deferred: DeferredRollups, provinceCode: string, period: string, dueSince: Date | null): void {
  const key = `${provinceCode}:${period}`;
  const known = deferred.get(key);
  if (!known || (dueSince && (!known.dueSince || dueSince < known.dueSince)))
    deferred.set(key, { provinceCode, period, dueSince });
}

/** Asks for the deferred rollups, each once, with the usual debounce and cap. */
export async function askDeferredRollups(deps: Deps, deferred: DeferredRollups): Promise<void> {
  await Promise.all(
    [...deferred.values()].map(({ provinceCode, period, dueSince }) =>
      enqueueRollup(deps.queues, { provinceCode, period }, rollupDelay(dueSince, deps.now(), deps.config)),
    ),
  );
}
const failed = (reason: unknown): Settled => ({ status: 'rejected', reason });

/**
 * The normalize job of a batch of submissions: takes those still to decide in one statement,
 * evaluates them side by side (one commune lookup for all), writes every outcome in one
 * transaction, then asks once for the rollup of each province-period touched. Each submission
 * settles on its own: one that fails does not fail the others. Safe to run any number of times.
 */
export async function normalizeSubmissions(
  deps: Deps,
  submissionIds: readonly number[],
  deferred?: DeferredRollups,
): Promise<Settled[]> {
  const now = deps.now();
  let taken: Taken[];
  try {
    // A report of a form imported a moment ago must find it, whether or not this process has polled yet.
    await deps.forms.refresh();
    taken = await takeSubmissions(deps, submissionIds, now);
  } catch (error) {
    return submissionIds.map(() => failed(error));
  }
  const results = new Map<number, Settled>();
  const byId = new Map(taken.map((t) => [t.id, t]));
  await Promise.all(
    submissionIds
      .filter((id) => !byId.has(id))
      .map(async (id) =>
        results.set(
          id,
          await alreadyDecided(deps, id, deferred).then((value): Settled => ({ status: 'fulfilled', value }), failed),
        ),
      ),
  );
  await decide(
    deps,
    taken.filter((t) => t.bytes !== null),
    now,
    results,
    deferred,
  );
  for (const large of taken.filter((t) => t.bytes === null)) {
    // Its own failure only: reading one large file must not fail the batch's other jobs.
    const file = await deps.db
      .selectFrom('submission_file')
      .select('bytes')
      .where('submission_id', '=', large.id)
      .executeTakeFirst()
      .catch((error: unknown) => {
        results.set(large.id, failed(error));
        return null;
      });
    if (file) await decide(deps, [{ ...large, bytes: file.bytes }], now, results, deferred);
    else if (!results.has(large.id))
      results.set(large.id, failed(new UnrecoverableError(`submission ${large.id} has no stored file`)));
  }
  return submissionIds.map((id) => results.get(id)!);
}

/** One submission: a batch of one. */
export async function normalizeSubmission(deps: Deps, job: { submissionId: number }): Promise<Persisted> {
  const [settled] = await normalizeSubmissions(deps, [job.submissionId]);
  if (settled!.status === 'rejected') throw settled!.reason;
  return settled!.value;
}

/** Taking the submissions and marking them processing is one statement: most jobs find theirs queued. */
async function takeSubmissions(deps: Deps, ids: readonly number[], now: Date) {
  if (ids.length === 0) return [];
  return deps.db
    .updateTable('submission as s')
    .set((eb) => ({ status: 'processing', started_at: now, updated_at: now, attempts: eb('s.attempts', '+', 1) }))
    .where('s.id', '=', anyId(ids))
    .where('s.status', 'in', ['queued', 'processing'])
    .returning([
      's.id',
      's.filename',
      's.given_form',
      's.given_commune',
      's.given_period',
      's.scope_level',
      's.scope_code',
    ])
    .returning((eb) =>
      eb
        .selectFrom('submission_file as f')
        .select('f.bytes')
        .whereRef('f.submission_id', '=', 's.id')
        .where('s.byte_size', '<=', inlineBytes)
        .as('bytes'),
    )
    .execute();
}

/**
 * Already decided: a rerun after a crash between commit and acknowledgment. The rollup request is
 * repeated, since the crash may have come before it was sent; it is deduplicated.
 */
async function alreadyDecided(deps: Deps, id: number, deferred?: DeferredRollups): Promise<Persisted> {
  const sub = await deps.db
    .selectFrom('submission')
    .select(['status', 'version', 'province_code', 'period', 'commune_code'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!sub) throw new UnrecoverableError(`submission ${id} does not exist`);
  if (sub.status === 'accepted' && sub.province_code && sub.period) {
    // Capped like any request: reruns coming one after another must not keep pushing a waiting rollup back.
    const due = await deps.db
      .selectFrom('rollup_due')
      .select('due_since')
      .where('province_code', '=', sub.province_code)
      .where('period', '=', sub.period)
      .executeTakeFirst();
    if (deferred) deferRollup(deferred, sub.province_code, sub.period, due?.due_since ?? null);
    else
      await enqueueRollup(
        deps.queues,
        { provinceCode: sub.province_code, period: sub.period },
        rollupDelay(due?.due_since ?? null, deps.now(), deps.config),
      );
  }
  return { status: sub.status, version: sub.version, rollup: null, commune: sub.commune_code, period: sub.period };
}

async function decide(
  deps: Deps,
  subs: readonly Taken[],
  now: Date,
  results: Map<number, Settled>,
  deferred?: DeferredRollups,
): Promise<void> {
  if (subs.length === 0) return;
  const today = vietnamDay(now);
  const check = batchedCommuneCheck(deps.db, today);
  const limits = readLimits(deps.config);
  const evaluated = await Promise.allSettled(
    subs.map((s) =>
      evaluateReport(
        deps,
        {
          bytes: s.bytes!,
          filename: s.filename,
          given: {
            form: s.given_form ?? undefined,
            commune: s.given_commune ?? undefined,
            period: s.given_period ?? undefined,
          },
          principal: { level: s.scope_level, code: s.scope_code },
        },
        limits,
        today,
        check,
      ),
    ),
  );
  const decided: Decided[] = [];
  evaluated.forEach((e, i) => {
    if (e.status === 'fulfilled') decided.push({ submissionId: subs[i]!.id, outcome: e.value });
    else results.set(subs[i]!.id, e);
  });
  // Data-quality warnings (SPEC §8) of the valid reports, judged against history in one read for the batch.
  if (deps.config.QUALITY_WARNINGS) {
    const valid = decided.flatMap((d, i) => (d.outcome.kind === 'valid' ? [{ i, outcome: d.outcome }] : []));
    try {
      const warnings = await judgeReports(
        deps.db,
        deps.forms,
        valid.map((v) => v.outcome),
      );
      valid.forEach((v, j) => (decided[v.i] = { ...decided[v.i]!, warnings: warnings[j]! }));
    } catch (error) {
      for (const d of decided) results.set(d.submissionId, failed(error));
      return;
    }
  }

  let persisted: Settled[];
  try {
    persisted = (await persistOutcomes(deps.db, decided, now)).map((value) => ({ status: 'fulfilled', value }));
  } catch (error) {
    // A fault of the infrastructure fails the batch, for every job to retry. Anything else is one
    // submission's doing: written one by one, only that one fails.
    if (isTransientFault(error)) persisted = decided.map(() => failed(error));
    else
      persisted = await Promise.all(
        decided.map((d) =>
          persistOutcomes(deps.db, [d], now).then(
            ([value]): Settled => ({ status: 'fulfilled', value: value! }),
            failed,
          ),
        ),
      );
  }

  const rollups = new Map<string, NonNullable<Persisted['rollup']>>();
  for (const p of persisted)
    if (p.status === 'fulfilled' && p.value.rollup)
      rollups.set(`${p.value.rollup.provinceCode}:${p.value.rollup.period}`, p.value.rollup);
  const enqueued = new Map<string, Promise<unknown>>();
  for (const [key, { provinceCode, period, dueSince }] of rollups) {
    if (deferred) {
      deferRollup(deferred, provinceCode, period, dueSince);
      continue;
    }
    const delay = rollupDelay(dueSince, deps.now(), deps.config);
    enqueued.set(
      key,
      enqueueRollup(deps.queues, { provinceCode, period }, delay).then(
        () => null,
        (error: unknown) => error,
      ),
    );
  }
  // A rollup request that could not be sent fails its jobs: their rerun finds them decided and asks again.
  for (const [i, p] of persisted.entries()) {
    const id = decided[i]!.submissionId;
    const rollup = p.status === 'fulfilled' ? p.value.rollup : null;
    const error = rollup ? await enqueued.get(`${rollup.provinceCode}:${rollup.period}`) : null;
    results.set(id, error ? failed(error) : p);
  }
}
