import { periodDates } from '../figures/period-deadlines.ts';
import type { HolidayCalendar } from '../figures/working-days.ts';
import { formsOfPeriod, type FormCatalog } from '../forms/form-catalog.ts';
import { calendarOf } from '../schema/form-calendar.ts';
import { parsePeriod } from '../schema/period.ts';
import { recentQuarters } from '../schema/recent-quarters.ts';
import { vietnamDay } from '../schema/vietnam-day.ts';

/** Quarters ended that are still listed as due: an officer's due table, an analyst's period picker. */
export const dueLookBack = 4;

/**
 * The quarters communes are asked for now, newest first: the one under way once a form's calendar
 * has opened it (Decree 09: from the 15th of its last month), and the `lookBack` quarters ended
 * before. What an officer's due table lists, and what an analyst may open before any figure exists.
 */
export function duePeriods(
  forms: FormCatalog,
  holidays: HolidayCalendar,
  now: Date,
  lookBack: number = dueLookBack,
): string[] {
  const today = vietnamDay(now);
  const current = parsePeriod(recentQuarters(today, 1, 'current')[0]!)!;
  const opened = formsOfPeriod(forms, current).some(
    (f) => periodDates(holidays, calendarOf(f), current, 'quarter').opens <= today,
  );
  return [...new Set([...(opened ? [current.canonical] : []), ...recentQuarters(today, lookBack, 'ended')])];
}
