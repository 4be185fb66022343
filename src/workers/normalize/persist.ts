import { sql } from 'kysely';
import { lockKeys } from '../../db/advisory-lock.ts';
import type { Db } from '../../db/connect.ts';
import { insertRows, type JsonRow } from '../../db/insert-rows.ts';
import type { SubmissionStatus } from '../../schema/database.ts';
import type { Issue } from '../../schema/issue.ts';
import { decideVersions, slotKey, type Decision, type Slot } from '../../report/acceptance.ts';
import type { Outcome } from '../../report/outcome.ts';
import { audit } from '../../cycle/audit.ts';
import { loadHolidayCalendar } from '../../cycle/holidays.ts';
import { periodRulesOf } from '../../cycle/period-rules.ts';
import type { QualityWarning } from '../../quality/quality-warning.ts';
import { storeWarnings } from '../../quality/store-warnings.ts';

export type Persisted = {
  status: SubmissionStatus;
  version: number | null;
  /** The report's commune and period as far as they were read, for the job's log line. */
  commune: string | null;
  period: string | null;
  /** Set when this commit changed what the current versions of a province-period are; `dueSince` is its first change not yet rolled up. */
  rollup: { provinceCode: string; period: string; dueSince: Date } | null;
  /** A valid report its period refused (acceptance.ts), for the audit row; not part of the job's result. */
  refusal?: Issue;
};

const terminal: readonly SubmissionStatus[] = ['accepted', 'rejected', 'duplicate', 'superseded'];

/** A submission and what its worker made of it; a valid one with its data-quality warnings (SPEC §8), kept if it is accepted. */
export type Decided = {
  readonly submissionId: number;
  readonly outcome: Outcome;
  readonly warnings?: readonly QualityWarning[];
};

type ValidOutcome = Extract<Outcome, { kind: 'valid' }>;
type DecidedValid = {
  readonly submissionId: number;
  readonly outcome: ValidOutcome;
  readonly warnings?: readonly QualityWarning[];
};
type DecidedRejected = { readonly submissionId: number; readonly outcome: Extract<Outcome, { kind: 'rejected' }> };

/** Rows go in chunks, so that a 100,000-row report is not one 20 MB statement. */
const rowChunk = 5000;

/** Where a report belongs, as far as its outcome says. */
const whereOf = (o: Outcome) =>
  o.kind === 'valid'
    ? { commune: o.communeCode, period: o.period }
    : { commune: o.meta.communeCode ?? null, period: o.meta.period ?? null };

const json = (value: unknown) => sql`${JSON.stringify(value)}::jsonb`;

/** `= any(array)`: a batch's ids as one parameter, not one each (Postgres plans `in (…)` as this anyway). */
export const anyId = (ids: readonly number[]) => sql<number>`any(${ids}::bigint[])`;

/**
 * Writes the outcomes of a batch of submissions in one transaction of set-based statements: their
 * statuses, and for those accepted their rows, the new current version of their slot and a due
 * rollup. A submission already decided (a job run again) is left as it is. Within the batch,
 * reports of one slot are decided in order of receipt, each against the slot as the one before
 * left it — the same versions as one transaction each (SPEC §4.4).
 */
export async function persistOutcomes(db: Db, decided: readonly Decided[], now: Date): Promise<Persisted[]> {
  if (decided.length === 0) return [];
  return db.transaction().execute(async (tx) => {
    const valid = decided.filter((d): d is DecidedValid => d.outcome.kind === 'valid');
    // Serializes the versions of one (commune, form, period): two reports of a slot finishing at once
    // must not both become version N. Every batch takes its slots' locks in one order (by hash), so two
    // batches touching the same slots queue up rather than deadlock.
    await lockKeys(
      tx,
      valid.map((d) => slotKey(d.outcome)),
    );
    const found = await tx
      .selectFrom('submission')
      .select(['id', 'status', 'version', 'received_at'])
      .where('id', '=', anyId(decided.map((d) => d.submissionId)))
      .orderBy('id')
      .forUpdate()
      .execute();
    const current = new Map(found.map((s) => [s.id, s]));
    const results = new Map<number, Persisted>();
    const open = decided.filter((d) => {
      const sub = current.get(d.submissionId);
      if (!sub) throw new Error(`submission ${d.submissionId} does not exist`);
      if (!terminal.includes(sub.status)) return true;
      results.set(d.submissionId, { status: sub.status, version: sub.version, rollup: null, ...whereOf(d.outcome) });
      return false;
    });

    const rejected = open.filter((d): d is DecidedRejected => d.outcome.kind === 'rejected');
    if (rejected.length > 0) {
      await sql`
        update submission s
           set status = 'rejected', errors = v.errors, form = v.form, commune_code = v.commune_code, period = v.period,
               finished_at = ${now}, updated_at = ${now}
          from jsonb_to_recordset(${json(
            rejected.map((d) => ({
              id: d.submissionId,
              errors: d.outcome.issues,
              form: d.outcome.meta.form ?? null,
              commune_code: d.outcome.meta.communeCode ?? null,
              period: d.outcome.meta.period ?? null,
            })),
          )})
            as v(id bigint, errors jsonb, form text, commune_code text, period text)
         where s.id = v.id`.execute(tx);
      for (const d of rejected)
        results.set(d.submissionId, { status: 'rejected', version: null, rollup: null, ...whereOf(d.outcome) });
    }

    const toDecide = open
      .filter((d): d is DecidedValid => d.outcome.kind === 'valid')
      .sort((a, b) => a.submissionId - b.submissionId);
    if (toDecide.length > 0)
      await writeVersions(tx, toDecide, now, results, new Map(found.map((s) => [s.id, s.received_at])));
    // Each decision is a state change the audit log keeps (SPEC §7), in the transaction that makes it.
    await audit(
      tx,
      { id: 'worker', level: 'admin', code: null, name: 'worker' },
      open.map((d) => {
        const r = results.get(d.submissionId)!;
        const where = whereOf(d.outcome);
        const issues = d.outcome.kind === 'rejected' ? d.outcome.issues : r.refusal ? [r.refusal] : [];
        return {
          action: `submission.${r.status}`,
          provinceCode: d.outcome.kind === 'valid' ? d.outcome.provinceCode : null,
          subject: {
            submission: d.submissionId,
            form: d.outcome.kind === 'valid' ? d.outcome.form : (d.outcome.meta.form ?? null),
            ...where,
            version: r.version,
            codes: [...new Set(issues.map((i) => i.code))],
          },
          at: now,
        };
      }),
    );
    return decided.map((d) => {
      const { refusal: _, ...r } = results.get(d.submissionId)!;
      return r;
    });
  });
}

/** One submission's outcome: a batch of one. */
export async function persistOutcome(db: Db, submissionId: number, outcome: Outcome, now: Date): Promise<Persisted> {
  const [persisted] = await persistOutcomes(db, [{ submissionId, outcome }], now);
  return persisted!;
}

/** The submission's new status, as the version decision makes it: the row of the status update, and the job's result. */
function statusOf(
  d: DecidedValid,
  decision: Decision,
  deadline: string | null,
): { row: Record<string, unknown>; persisted: Persisted } {
  const o = d.outcome;
  const common = {
    id: d.submissionId,
    form: o.form,
    commune_code: o.communeCode,
    period: o.period,
    period_end: o.periodEnd,
    province_code: o.provinceCode,
    district_code: o.districtCode,
    fingerprint: o.fingerprint,
    deadline,
    errors: null as unknown,
    on_time: null as boolean | null,
    days_late: null as number | null,
    version: null as number | null,
    duplicate_of: null as number | null,
  };
  const unversioned = { version: null, rollup: null, ...whereOf(o) };
  switch (decision.kind) {
    case 'duplicate':
      return {
        row: { ...common, status: 'duplicate', duplicate_of: decision.of },
        persisted: { status: 'duplicate', ...unversioned },
      };
    case 'superseded':
      return { row: { ...common, status: 'superseded' }, persisted: { status: 'superseded', ...unversioned } };
    case 'refused':
      return {
        row: { ...common, status: 'rejected', errors: [decision.issue] },
        persisted: { status: 'rejected', ...unversioned, refusal: decision.issue },
      };
    case 'accept': {
      const t = decision.timeliness;
      return {
        row: {
          ...common,
          status: 'accepted',
          version: decision.version,
          on_time: t?.onTime ?? null,
          days_late: t?.daysLate ?? null,
        },
        persisted: { status: 'accepted', version: decision.version, rollup: null, ...whereOf(o) },
      };
    }
  }
}

/** The stored slots of the batch's communes and periods, by slotKey. */
async function storedSlots(tx: Db, toDecide: readonly DecidedValid[]): Promise<Map<string, NonNullable<Slot>>> {
  const rows = await tx
    .selectFrom('report_slot as s')
    .innerJoin('submission as c', 'c.id', 's.current_submission_id')
    .select([
      's.commune_code',
      's.form',
      's.period',
      's.current_submission_id',
      's.last_version',
      'c.fingerprint',
      's.on_time',
      's.days_late',
    ])
    // By commune and period, not by (commune, form, period) tuples: Postgres plans a list of 64
    // tuples as 64 index conditions, which took longer than running them. Slots of the batch's
    // communes in other forms come along and are never looked up.
    .where('s.commune_code', 'in', [...new Set(toDecide.map(({ outcome: o }) => o.communeCode))])
    .where('s.period', 'in', [...new Set(toDecide.map(({ outcome: o }) => o.period))])
    .execute();
  const slots = new Map<string, NonNullable<Slot>>();
  for (const r of rows) {
    const timeliness = r.on_time === null ? null : { onTime: r.on_time, daysLate: r.days_late ?? 0 };
    slots.set(slotKey({ communeCode: r.commune_code, form: r.form, period: r.period }), {
      currentSubmissionId: r.current_submission_id,
      currentFingerprint: r.fingerprint ?? '',
      lastVersion: r.last_version,
      timeliness,
    });
  }
  return slots;
}

/** The rows of the accepted reports, in chunks each built as it is sent: a 100,000-row report is never copied whole. */
async function insertReportRows(tx: Db, accepted: readonly DecidedValid[]): Promise<void> {
  let chunk: JsonRow<'report_row'>[] = [];
  const flush = async () => {
    await insertRows(tx, 'report_row', chunk);
    chunk = [];
  };
  for (const d of accepted) {
    for (const r of d.outcome.rows) {
      chunk.push({ submission_id: d.submissionId, row_no: r.row, row_key: r.key, data: r.data });
      if (chunk.length === rowChunk) await flush();
    }
  }
  await flush();
}

/**
 * Decides the versions of a batch's valid reports (decideVersions, src/report/acceptance.ts) and
 * writes them: statuses, rows, superseded versions, slots, and the province-periods due a rollup.
 */
async function writeVersions(
  tx: Db,
  toDecide: readonly DecidedValid[],
  now: Date,
  results: Map<number, Persisted>,
  receivedAt: ReadonlyMap<number, Date>,
): Promise<void> {
  const subjects = toDecide.map(({ submissionId, outcome: o }) => ({
    submissionId,
    form: o.form,
    calendar: o.calendar,
    communeCode: o.communeCode,
    districtCode: o.districtCode,
    provinceCode: o.provinceCode,
    period: o.period,
    receivedAt: receivedAt.get(submissionId)!,
  }));
  const rules = await periodRulesOf(tx, await loadHolidayCalendar(tx), subjects);
  const candidates = toDecide.map(({ submissionId: id, outcome: o }) => ({
    id,
    communeCode: o.communeCode,
    form: o.form,
    period: o.period,
    fingerprint: o.fingerprint,
    receivedAt: receivedAt.get(id)!,
    rules: rules.get(id) ?? null,
  }));
  const batch = decideVersions(candidates, await storedSlots(tx, toDecide));

  const updates = toDecide.map((d) => {
    const { row, persisted } = statusOf(
      d,
      batch.decisions.get(d.submissionId)!,
      rules.get(d.submissionId)?.dates.deadline ?? null,
    );
    results.set(d.submissionId, persisted);
    return row;
  });
  const accepted = toDecide.filter((d) => batch.decisions.get(d.submissionId)!.kind === 'accept');
  await insertReportRows(tx, accepted);
  await storeWarnings(
    tx,
    accepted.map((d) => ({
      submissionId: d.submissionId,
      form: d.outcome.form,
      communeCode: d.outcome.communeCode,
      period: d.outcome.period,
      provinceCode: d.outcome.provinceCode,
      warnings: d.warnings ?? [],
    })),
    now,
  );
  await sql`
    update submission s
       set status = v.status, version = v.version, duplicate_of = v.duplicate_of, form = v.form, commune_code = v.commune_code,
           period = v.period, period_end = v.period_end, province_code = v.province_code, district_code = v.district_code,
           fingerprint = v.fingerprint, errors = v.errors, deadline = v.deadline, on_time = v.on_time, days_late = v.days_late,
           finished_at = ${now}, updated_at = ${now}
      from jsonb_to_recordset(${json(updates)})
        as v(id bigint, status text, version integer, duplicate_of bigint, form text, commune_code text, period text, period_end date,
             province_code text, district_code text, fingerprint text, errors jsonb, deadline date, on_time boolean, days_late integer)
     where s.id = v.id`.execute(tx);
  if (accepted.length === 0) return;
  // After the statuses above: a version accepted earlier in this batch may be superseded by a later one.
  if (batch.superseded.length > 0) {
    await tx
      .updateTable('submission')
      .set({ status: 'superseded', updated_at: now })
      .where('id', 'in', [...batch.superseded])
      .execute();
  }
  // Each changed slot once, as the last report accepted into it left it (one upsert may not touch a row twice).
  const lastAccepted = new Map(accepted.map((d) => [slotKey(d.outcome), d.outcome]));
  const slotValues = [...lastAccepted].map(([key, o]) => {
    const { slot, first } = batch.changed.get(key)!;
    return {
      commune_code: o.communeCode,
      form: o.form,
      period: o.period,
      current_submission_id: slot.currentSubmissionId,
      last_version: slot.lastVersion,
      first_received_at: first.receivedAt,
      deadline: first.deadline,
      on_time: first.timeliness?.onTime ?? null,
      days_late: first.timeliness?.daysLate ?? null,
    };
  });
  // As one JSON parameter, like the statuses above: 64 slots as VALUES were 576 parameters to build and send.
  await sql`
    insert into report_slot (commune_code, form, period, current_submission_id, last_version, first_received_at, deadline, on_time, days_late)
    select commune_code, form, period, current_submission_id, last_version, first_received_at, deadline, on_time, days_late
      from json_populate_recordset(null::report_slot, ${JSON.stringify(slotValues)}::json)
        on conflict (commune_code, form, period)
        do update set current_submission_id = excluded.current_submission_id, last_version = excluded.last_version`.execute(
    tx,
  );
  const dueKey = (d: { provinceCode: string; period: string }) => `${d.provinceCode}:${d.period}`;
  const due = new Map(
    accepted.map((d) => [
      dueKey(d.outcome),
      { province_code: d.outcome.provinceCode, period: d.outcome.period, due_since: now },
    ]),
  );
  const dueRows = await tx
    .insertInto('rollup_due')
    .values([...due.values()])
    .onConflict((oc) => oc.columns(['province_code', 'period']).doUpdateSet({ due_seq: sql`rollup_due.due_seq + 1` }))
    .returning(['province_code', 'period', 'due_since'])
    .execute();
  const dueSince = new Map(
    dueRows.map((r) => [dueKey({ provinceCode: r.province_code, period: r.period }), r.due_since]),
  );
  for (const d of accepted) {
    const o = d.outcome;
    results.get(d.submissionId)!.rollup = {
      provinceCode: o.provinceCode,
      period: o.period,
      dueSince: dueSince.get(dueKey(o))!,
    };
  }
}
