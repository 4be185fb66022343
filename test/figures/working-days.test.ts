import { readFile } from 'node:fs/promises';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { holidaysFromCsv, shippedHolidays } from '../../src/cycle/holidays.ts';
import { addDays, holidayCalendar, isWorkingDay, workingDaysBetween } from '../../src/figures/working-days.ts';

const shipped = holidayCalendar(holidaysFromCsv(await readFile(shippedHolidays, 'utf8')));

/** The definition, a day at a time. */
function countByDay(calendar: Parameters<typeof isWorkingDay>[0], from: string, to: string): number {
  let n = 0;
  for (let d = addDays(from, 1); d <= to; d = addDays(d, 1)) if (isWorkingDay(calendar, d)) n += 1;
  return n;
}

const day = fc.integer({ min: 0, max: 6000 }).map((n) => addDays('2015-01-01', n));

describe('working days between two dates, counted by weeks', () => {
  it('equals the day-by-day count over the shipped calendar and over made-up calendars with holidays on weekends and make-up weekdays', () => {
    const calendars = fc.record({
      holidays: fc.uniqueArray(day, { maxLength: 40 }),
      workdays: fc.uniqueArray(day, { maxLength: 20 }),
    });
    fc.assert(
      fc.property(day, fc.integer({ min: -10, max: 2000 }), calendars, (from, span, made) => {
        const to = addDays(from, span);
        expect(workingDaysBetween(shipped, from, to)).toBe(countByDay(shipped, from, to));
        const calendar = holidayCalendar([
          ...made.holidays.map((date) => ({ date, kind: 'holiday' as const })),
          ...made.workdays.map((date) => ({ date, kind: 'workday' as const })),
        ]);
        expect(workingDaysBetween(calendar, from, to)).toBe(countByDay(calendar, from, to));
      }),
      { numRuns: 400 },
    );
  });

  it('a report three and a half years late: 2023-07-14 to 2026-12-06', () => {
    expect(workingDaysBetween(shipped, '2023-07-14', '2026-12-06')).toBe(
      countByDay(shipped, '2023-07-14', '2026-12-06'),
    );
    expect(workingDaysBetween(shipped, '2026-12-06', '2023-07-14')).toBe(0);
  });
});
