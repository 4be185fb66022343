import type { Db } from '../db/connect.ts';
import { periodDates, periodicityOfKind } from '../figures/period-deadlines.ts';
import type { HolidayCalendar } from '../figures/working-days.ts';
import { periodRefusal, type PeriodRules } from '../report/acceptance.ts';
import type { Issue } from '../schema/issue.ts';
import type { FormCalendar } from '../schema/form-calendar.ts';
import { parsePeriod } from '../schema/period.ts';
import { vietnamDay, vietnamTime } from '../schema/vietnam-day.ts';
import { loadHolidayCalendar } from './holidays.ts';

/** A report about to become a version: where it belongs and when its file was received. */
/** `calendar`: the reporting calendar of the form version serving the period. */
export type RuleSubject = {
  readonly submissionId: number;
  readonly form: string;
  readonly calendar: FormCalendar;
  readonly communeCode: string;
  /** Its district in the units valid on the period's last day; null for a period after the reform, which has none. */
  readonly districtCode: string | null;
  readonly provinceCode: string;
  readonly period: string;
  readonly receivedAt: Date;
};

/** Was a record with this start and end standing at instant t? */
const standing = (from: Date, to: Date | null, t: Date) =>
  from.getTime() <= t.getTime() && (to === null || to.getTime() > t.getTime());

/**
 * The period rules of a batch of reports, each as things stood when its file was received
 * (acceptance.ts judges them). Locks, exceptions and approvals keep their history, so a record
 * lifted since still counts for a file received while it stood. Four small queries per batch.
 */
export async function periodRulesOf(
  db: Db,
  holidays: HolidayCalendar,
  subjects: readonly RuleSubject[],
): Promise<Map<number, PeriodRules>> {
  const out = new Map<number, PeriodRules>();
  if (subjects.length === 0) return out;
  const forms = [...new Set(subjects.map((s) => s.form))];
  const periods = [...new Set(subjects.map((s) => s.period))];
  const communes = [...new Set(subjects.map((s) => s.communeCode))];
  const districts = [...new Set(subjects.flatMap((s) => (s.districtCode === null ? [] : [s.districtCode])))];
  const provinces = [...new Set(subjects.map((s) => s.provinceCode))];
  const [locks, exceptions, approvals] = await Promise.all([
    db
      .selectFrom('period_lock')
      .select(['form', 'period', 'province_code', 'locked_by_name', 'locked_at', 'unlocked_at'])
      .where('form', 'in', forms)
      .where('period', 'in', periods)
      .execute(),
    db
      .selectFrom('lock_exception')
      .select(['form', 'period', 'commune_code', 'until', 'granted_at', 'revoked_at'])
      .where('commune_code', 'in', communes)
      .where('period', 'in', periods)
      .execute(),
    db
      .selectFrom('approval')
      .select(['form', 'period', 'level', 'unit_code', 'approved_by_name', 'approved_at', 'unapproved_at'])
      .where('kind', '=', 'approved')
      // The commune's own approval, or its district's or province's: a commune marked missing cannot
      // slip a report into figures approved above it, which stay pinned until unapproved from the top.
      .where((eb) =>
        eb.or([
          eb.and([eb('level', '=', 'commune'), eb('unit_code', 'in', communes)]),
          ...(districts.length > 0 ? [eb.and([eb('level', '=', 'district'), eb('unit_code', 'in', districts)])] : []),
          eb.and([eb('level', '=', 'province'), eb('unit_code', 'in', provinces)]),
        ]),
      )
      .where('period', 'in', periods)
      .execute(),
  ]);
  for (const s of subjects) {
    const period = parsePeriod(s.period);
    if (!period) continue;
    const t = s.receivedAt;
    const receivedDay = vietnamDay(t);
    const lock = locks.find(
      (l) =>
        l.form === s.form &&
        l.period === s.period &&
        l.province_code === s.provinceCode &&
        standing(l.locked_at, l.unlocked_at, t),
    );
    const exception = exceptions.some(
      (e) =>
        e.form === s.form &&
        e.period === s.period &&
        e.commune_code === s.communeCode &&
        standing(e.granted_at, e.revoked_at, t) &&
        receivedDay <= e.until,
    );
    const approval = approvals.find(
      (a) =>
        a.form === s.form &&
        a.period === s.period &&
        a.unit_code ===
          (a.level === 'commune' ? s.communeCode : a.level === 'district' ? s.districtCode : s.provinceCode) &&
        standing(a.approved_at, a.unapproved_at, t),
    );
    out.set(s.submissionId, {
      form: s.form,
      period: s.period,
      holidays,
      dates: periodDates(holidays, s.calendar, period, periodicityOfKind(period.kind)),
      receivedDay,
      lock: lock ? { by: lock.locked_by_name, at: vietnamTime(lock.locked_at) } : null,
      exception,
      approval: approval ? { by: approval.approved_by_name, at: vietnamTime(approval.approved_at) } : null,
    });
  }
  return out;
}

/**
 * "Check before sending" (POST /v1/validate): the period rules as they stand at `at`, judged as if
 * the file were received then, so an officer learns of a lock, an expiry or an approval before
 * sending rather than after. Null when the period would take the report now.
 */
export async function periodRefusalAt(
  db: Db,
  subject: Omit<RuleSubject, 'submissionId' | 'receivedAt'>,
  at: Date,
): Promise<Issue | null> {
  const rules = await periodRulesOf(db, await loadHolidayCalendar(db), [
    { ...subject, submissionId: 0, receivedAt: at },
  ]);
  const judged = rules.get(0);
  return judged ? periodRefusal(judged) : null;
}
