/**
 * Working days in Vietnam (SPEC §7): Monday to Friday, less public holidays, plus the Saturdays
 * (or Sundays) the government makes working days when it moves a holiday next to a weekend.
 * Days are ISO dates (`2025-04-30`) of the Asia/Ho_Chi_Minh calendar (schema/vietnam-day.ts);
 * the arithmetic is on calendar dates, so no time zone enters it.
 *
 * Hand-written rather than taken from a library: date-fns' addBusinessDays/differenceInBusinessDays
 * know only Saturday and Sunday, with no holidays and no make-up days, and date-holidays knows the
 * fixed and lunar holidays but not the days each year's government decision moves; the calendar
 * here is data (data/holidays, `tonghop holidays import`), and what is left is a few lines.
 */
export type HolidayCalendar = {
  /** Days off that would otherwise be working days. */
  readonly holidays: ReadonlySet<string>;
  /** Make-up working days that would otherwise be a weekend. */
  readonly workdays: ReadonlySet<string>;
};

export type HolidayRow = { readonly date: string; readonly kind: 'holiday' | 'workday' };

export function holidayCalendar(rows: Iterable<HolidayRow>): HolidayCalendar {
  const holidays = new Set<string>();
  const workdays = new Set<string>();
  for (const r of rows) (r.kind === 'holiday' ? holidays : workdays).add(r.date);
  return { holidays, workdays };
}

const dayMs = 86_400_000;
const toUtc = (day: string) => Date.parse(`${day}T00:00:00Z`);
const fromUtc = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The date `n` calendar days after `day` (before it for a negative n). */
export function addDays(day: string, n: number): string {
  return fromUtc(toUtc(day) + n * dayMs);
}

export function isWorkingDay(calendar: HolidayCalendar, day: string): boolean {
  if (calendar.workdays.has(day)) return true;
  if (calendar.holidays.has(day)) return false;
  const weekday = new Date(toUtc(day)).getUTCDay();
  return weekday !== 0 && weekday !== 6;
}

/** The n-th working day after `day` (`day` itself for n = 0, working or not). */
export function addWorkingDays(calendar: HolidayCalendar, day: string, n: number): string {
  let d = day;
  for (let left = n; left > 0; ) {
    d = addDays(d, 1);
    if (isWorkingDay(calendar, d)) left -= 1;
  }
  return d;
}

const exceptions = new WeakMap<HolidayCalendar, readonly string[]>();
/** The days whose verdict the calendar sets, each once. */
function exceptionsOf(calendar: HolidayCalendar): readonly string[] {
  let days = exceptions.get(calendar);
  if (!days) exceptions.set(calendar, (days = [...new Set([...calendar.holidays, ...calendar.workdays])]));
  return days;
}

/**
 * How many working days fall after `from` and on or before `to`; 0 when `to` is not after `from`.
 * Counted by weeks, then corrected by the calendar's exceptions in the range: a report years late
 * (a back-filled history) costs as much as one a day late, not a loop over every day between.
 */
export function workingDaysBetween(calendar: HolidayCalendar, from: string, to: string): number {
  const start = toUtc(from);
  const days = Math.round((toUtc(to) - start) / dayMs);
  if (days <= 0) return 0;
  const weeks = Math.floor(days / 7);
  let count = weeks * 5;
  const firstWeekday = new Date(start).getUTCDay();
  for (let i = days - weeks * 7; i > 0; i -= 1) {
    const weekday = (firstWeekday + weeks * 7 + i) % 7;
    if (weekday !== 0 && weekday !== 6) count += 1;
  }
  for (const day of exceptionsOf(calendar)) {
    if (day <= from || day > to) continue;
    const weekday = new Date(toUtc(day)).getUTCDay();
    count += Number(isWorkingDay(calendar, day)) - Number(weekday !== 0 && weekday !== 6);
  }
  return count;
}
