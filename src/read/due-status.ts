import type { Db } from '../db/connect.ts';
import { periodDates, periodicityOfKind } from '../figures/period-deadlines.ts';
import { addDays, workingDaysBetween, type HolidayCalendar } from '../figures/working-days.ts';
import { calendarOf } from '../schema/form-calendar.ts';
import type { FormCatalog } from '../forms/form-catalog.ts';
import type { Period } from '../schema/period.ts';
import { vietnamTime } from '../schema/vietnam-day.ts';

/** What an officer sees of one form and period beside its current version: the deadline and where the period stands. */
export type DueStatus = {
  deadline: string;
  /** Working days from today through the deadline (today counts when it is one); negative: working days overdue. */
  working_days_left: number;
  locked: { by: string; at: string } | null;
  approved: { by: string; at: string } | null;
  /** The last day a version is taken (the form's expiry_days), unless an exception stands; null: no end. */
  last_accepted: string | null;
};

/**
 * Where one (period, form) stands for the officer, in one word, the first that applies: approved or
 * locked (no new version goes in), sent on time or late (the verdict of the first version; `sent`
 * for a report older than the reporting cycle), else expired, overdue, or due.
 */
export type DueState = 'approved' | 'locked' | 'on_time' | 'late' | 'sent' | 'expired' | 'overdue' | 'due';

export function dueStateOf(
  status: DueStatus,
  report: { version: number | null; on_time: boolean | null },
  today: string,
): DueState {
  if (status.approved) return 'approved';
  if (status.locked) return 'locked';
  if (report.version !== null) return report.on_time === true ? 'on_time' : report.on_time === false ? 'late' : 'sent';
  if (status.last_accepted !== null && today > status.last_accepted) return 'expired';
  return status.working_days_left < 0 ? 'overdue' : 'due';
}

/**
 * The reporting-cycle side of a commune's due table (SPEC §7): each (period, form)'s deadline in
 * working days from `today`, and whether the period is locked for the commune's province (and no
 * exception lets it through) or the commune's report approved.
 */
export async function dueStatusOf(
  db: Db,
  forms: FormCatalog,
  holidays: HolidayCalendar,
  commune: string,
  items: readonly { period: Period; form: string; province: string }[],
  today: string,
): Promise<Map<string, DueStatus>> {
  const out = new Map<string, DueStatus>();
  if (items.length === 0) return out;
  const periods = [...new Set(items.map((i) => i.period.canonical))];
  const [locks, exceptions, approvals] = await Promise.all([
    db
      .selectFrom('period_lock')
      .select(['form', 'period', 'province_code', 'locked_by_name', 'locked_at'])
      .where('period', 'in', periods)
      .where('unlocked_at', 'is', null)
      .execute(),
    db
      .selectFrom('lock_exception')
      .select(['form', 'period'])
      .where('commune_code', '=', commune)
      .where('period', 'in', periods)
      .where('revoked_at', 'is', null)
      .where('until', '>=', today)
      .execute(),
    db
      .selectFrom('approval')
      .select(['form', 'period', 'approved_by_name', 'approved_at'])
      .where('level', '=', 'commune')
      .where('unit_code', '=', commune)
      .where('kind', '=', 'approved')
      .where('period', 'in', periods)
      .where('unapproved_at', 'is', null)
      .execute(),
  ]);
  for (const item of items) {
    const form = forms.find(item.form, item.period.lastDay);
    if (!form) continue;
    const { deadline, lastAccepted } = periodDates(
      holidays,
      calendarOf(form),
      item.period,
      periodicityOfKind(item.period.kind),
    );
    const p = item.period.canonical;
    const lock = locks.find((l) => l.form === item.form && l.period === p && l.province_code === item.province);
    const excepted = exceptions.some((e) => e.form === item.form && e.period === p);
    const approval = approvals.find((a) => a.form === item.form && a.period === p);
    out.set(`${p}:${item.form}`, {
      deadline,
      working_days_left:
        today <= deadline
          ? workingDaysBetween(holidays, addDays(today, -1), deadline)
          : -workingDaysBetween(holidays, deadline, today),
      locked: lock && !excepted ? { by: lock.locked_by_name, at: vietnamTime(lock.locked_at) } : null,
      approved: approval ? { by: approval.approved_by_name, at: vietnamTime(approval.approved_at) } : null,
      last_accepted: excepted ? null : lastAccepted,
    });
  }
  return out;
}
