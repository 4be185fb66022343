import type { FormCalendar } from '../schema/form-calendar.ts';
import { addDays, addWorkingDays, workingDaysBetween, type HolidayCalendar } from './working-days.ts';

export const periodicities = ['month', 'quarter', 'half_year', 'nine_months', 'year'] as const;
export type Periodicity = (typeof periodicities)[number];

/** Months from one period of a periodicity to the next: nine-month reports (January–September) come once a year. */
const stepMonths: Record<Periodicity, number> = { month: 1, quarter: 3, half_year: 6, nine_months: 12, year: 12 };

/** The reporting dates of one period of a form, every one an ISO date in Vietnam. */
export type PeriodDates = {
  /** The last day of the data window: the 14th of the period's last month (decree09), or the period's last day. */
  readonly windowCloses: string;
  /** The first day a report is accepted (open_future_periods moves it earlier by whole periods). */
  readonly opens: string;
  /** The commune's deadline: a report received by the end of this day is on time. */
  readonly deadline: string;
  /** The province's approval deadline. */
  readonly provinceDeadline: string;
  /** The last day a new version is accepted (expiry_days after the deadline); null when it never expires. */
  readonly lastAccepted: string | null;
};

function lastDayOfMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** The window's last day for a period whose last month is (year, month), shifted back `periods` periods. */
function windowClose(calendar: FormCalendar, lastDay: string, periodicity: Periodicity, periods: number): string {
  const [y, m] = lastDay.split('-').map(Number) as [number, number];
  const index = y * 12 + (m - 1) - periods * stepMonths[periodicity];
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  const day = calendar.window === 'decree09' ? 14 : lastDayOfMonth(year, month);
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/**
 * A period's dates under a form's calendar. The period is known by its last day (a month, quarter,
 * half year, nine months or year all end on the last day of their last month) and its periodicity.
 */
export function periodDates(
  holidays: HolidayCalendar,
  calendar: FormCalendar,
  period: { readonly lastDay: string },
  periodicity: Periodicity,
): PeriodDates {
  const key =
    `${calendar.window}|${calendar.deadline_days}|${calendar.province_deadline_days}|${calendar.expiry_days}|` +
    `${calendar.open_future_periods}|${period.lastDay}|${periodicity}`;
  return remembered(datesKnown, holidays, key, () => {
    const windowCloses = windowClose(calendar, period.lastDay, periodicity, 0);
    const deadline = addWorkingDays(holidays, windowCloses, calendar.deadline_days);
    return {
      windowCloses,
      opens: addDays(windowClose(calendar, period.lastDay, periodicity, calendar.open_future_periods), 1),
      deadline,
      provinceDeadline: addWorkingDays(holidays, deadline, calendar.province_deadline_days),
      lastAccepted: calendar.expiry_days > 0 ? addDays(deadline, calendar.expiry_days) : null,
    };
  });
}

/**
 * Answers already worked out under a holiday calendar, by their arguments: a batch of reports asks
 * the same few periods and receipt days over and over. Tied to the calendar object (the worker
 * loads one per batch), so an imported holiday is never answered from before it; a few hundred
 * answers are kept per calendar, then it starts over.
 */
const datesKnown = new WeakMap<HolidayCalendar, Map<string, PeriodDates>>();
const timelinessKnown = new WeakMap<HolidayCalendar, Map<string, Timeliness>>();
const maxKnown = 500;

function remembered<T>(
  known: WeakMap<HolidayCalendar, Map<string, T>>,
  holidays: HolidayCalendar,
  key: string,
  work: () => T,
): T {
  let answers = known.get(holidays);
  if (!answers) known.set(holidays, (answers = new Map()));
  let answer = answers.get(key);
  if (answer === undefined) {
    if (answers.size >= maxKnown) answers.clear();
    answer = work();
    answers.set(key, answer);
  }
  return answer;
}

export type Timeliness = { readonly onTime: boolean; readonly daysLate: number };

/**
 * On time when received by the end of the deadline day (SPEC §7). A late report counts the working
 * days after the deadline up to the day it came, at least one: one sent on the Saturday after a
 * Friday deadline is late by a day, not by none.
 */
export function timelinessOf(holidays: HolidayCalendar, deadline: string, receivedDay: string): Timeliness {
  if (receivedDay <= deadline) return { onTime: true, daysLate: 0 };
  return remembered(timelinessKnown, holidays, `${deadline}|${receivedDay}`, () => ({
    onTime: false,
    daysLate: Math.max(1, workingDaysBetween(holidays, deadline, receivedDay)),
  }));
}

/** The periodicity of a canonical period's kind (`2023-Q2` is a quarter); forms-as-data may name others. */
export function periodicityOfKind(kind: string): Periodicity {
  return (periodicities as readonly string[]).includes(kind) ? (kind as Periodicity) : 'quarter';
}
