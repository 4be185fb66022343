import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { holidaysFromCsv, shippedHolidays } from '../../src/cycle/holidays.ts';
import { periodDates, timelinessOf } from '../../src/figures/period-deadlines.ts';
import { addWorkingDays, holidayCalendar, isWorkingDay, workingDaysBetween } from '../../src/figures/working-days.ts';
import { formCalendarSchema } from '../../src/schema/form-calendar.ts';
import { parsePeriod } from '../../src/schema/period.ts';

const holidays = holidayCalendar(holidaysFromCsv(await readFile(shippedHolidays, 'utf8')));
const decree09 = formCalendarSchema.parse({});
const dates = (period: string, calendar = decree09, periodicity: 'month' | 'quarter' = 'quarter') =>
  periodDates(holidays, calendar, parsePeriod(period)!, periodicity);

describe('working days from the shipped holiday calendar', () => {
  it('Tết, Giỗ Tổ, 30/4–1/5 and 2/9 are days off; the make-up Saturdays of 2024 and 2025 are working days', () => {
    for (const day of [
      '2025-01-27',
      '2025-01-31',
      '2025-04-07',
      '2025-04-30',
      '2025-05-01',
      '2025-05-02',
      '2025-09-01',
      '2025-09-02',
      '2026-02-16',
      '2026-02-20',
      '2026-04-27',
      '2026-04-30',
      '2026-05-01',
    ]) {
      expect(isWorkingDay(holidays, day), day).toBe(false);
    }
    expect(isWorkingDay(holidays, '2025-04-26')).toBe(true); // Saturday worked for Friday 2 May
    expect(isWorkingDay(holidays, '2024-05-04')).toBe(true); // Saturday worked for Monday 29 April
    expect(isWorkingDay(holidays, '2025-04-25')).toBe(true);
    expect(isWorkingDay(holidays, '2025-04-27')).toBe(false); // an ordinary Sunday
  });

  it('counts across Tết 2026: from Friday 13 Feb, the next working day is Monday 23 Feb', () => {
    expect(addWorkingDays(holidays, '2026-02-13', 1)).toBe('2026-02-23');
    expect(workingDaysBetween(holidays, '2026-02-13', '2026-02-23')).toBe(1);
  });
});

describe('quarterly decree09 deadlines (window closes on the 14th of the last month; 2 working days; province 3 more)', () => {
  // Derived by hand from the calendar and data/holidays/vn-holidays.csv (no holiday falls in these weeks):
  // 2025-03-14 is a Friday → Mon 17, Tue 18; province Wed 19, Thu 20, Fri 21.
  // 2025-06-14 Saturday → Mon 16, Tue 17; province 18, 19, 20.   2025-09-14 Sunday → 15, 16; 17, 18, 19.
  // 2025-12-14 Sunday → 15, 16; 17, 18, 19.   2026-03-14 Saturday → 16, 17; 18, 19, 20.
  // 2026-06-14 Sunday → 15, 16; 17, 18, 19.   2026-09-14 Monday → 15, 16; 17, 18, (weekend) 21.
  // 2026-12-14 Monday → 15, 16; 17, 18, 21.
  const table = [
    ['2025-Q1', '2025-03-14', '2025-03-18', '2025-03-21'],
    ['2025-Q2', '2025-06-14', '2025-06-17', '2025-06-20'],
    ['2025-Q3', '2025-09-14', '2025-09-16', '2025-09-19'],
    ['2025-Q4', '2025-12-14', '2025-12-16', '2025-12-19'],
    ['2026-Q1', '2026-03-14', '2026-03-17', '2026-03-20'],
    ['2026-Q2', '2026-06-14', '2026-06-16', '2026-06-19'],
    ['2026-Q3', '2026-09-14', '2026-09-16', '2026-09-21'],
    ['2026-Q4', '2026-12-14', '2026-12-16', '2026-12-21'],
  ] as const;
  it.each(table)(
    '%s: window closes %s, commune deadline %s, province deadline %s',
    (period, windowCloses, deadline, provinceDeadline) => {
      expect(dates(period)).toMatchObject({
        windowCloses,
        deadline,
        provinceDeadline,
        opens: windowCloses.replace(/14$/u, '15'),
        lastAccepted: null,
      });
    },
  );
});

describe('deadlines that cross Tết and 30/4–1/5', () => {
  it('a quarter with a 20-working-day window: 2025-Q1 crosses Giỗ Tổ (7/4) — 28 April; 2026-Q1 crosses Giỗ Tổ (27/4 in lieu) and 30/4–1/5 — 4 May', () => {
    const calendar = formCalendarSchema.parse({ window: 'calendar', deadline_days: 20, province_deadline_days: 3 });
    // 2025: after Mon 31 Mar: Apr 1–4 (4), 8–11 (8; 7 Apr off), 14–18 (13), 21–25 (18), Sat 26 Apr make-up (19), Mon 28 (20).
    // Province: 29 (1), then 30/4, 1/5, 2/5 off and the weekend, Mon 5 May (2), Tue 6 May (3).
    expect(dates('2025-Q1', calendar)).toMatchObject({
      windowCloses: '2025-03-31',
      deadline: '2025-04-28',
      provinceDeadline: '2025-05-06',
    });
    // 2026: after Tue 31 Mar: Apr 1–3 (3), 6–10 (8), 13–17 (13), 20–24 (18), 27 off (Giỗ Tổ in lieu), Tue 28 (19), Wed 29 (20).
    // Province: 30/4 and 1/5 off, weekend, Mon 4 May (1), Tue 5 (2), Wed 6 (3).
    expect(dates('2026-Q1', calendar)).toMatchObject({
      windowCloses: '2026-03-31',
      deadline: '2026-04-29',
      provinceDeadline: '2026-05-06',
    });
  });

  it('months around Tết: January 2025 on the calendar window, and February 2026 under decree09', () => {
    const calendar = formCalendarSchema.parse({ window: 'calendar' });
    // Window closes Fri 31 Jan 2025 (a Tết day); Mon 3 Feb (1), Tue 4 Feb (2); province 5, 6, 7 Feb.
    expect(dates('2025-01', calendar, 'month')).toMatchObject({
      windowCloses: '2025-01-31',
      deadline: '2025-02-04',
      provinceDeadline: '2025-02-07',
    });
    // Window closes Sat 14 Feb 2026; 16–20 Feb are Tết: Mon 23 (1), Tue 24 (2); province 25, 26, 27.
    expect(dates('2026-02', decree09, 'month')).toMatchObject({
      windowCloses: '2026-02-14',
      deadline: '2026-02-24',
      provinceDeadline: '2026-02-27',
    });
  });

  it('a quarter on the calendar window with 35 working days: 2025-Q4 runs past Tết 2026 to 26 February', () => {
    const calendar = formCalendarSchema.parse({ window: 'calendar', deadline_days: 35 });
    // Jan 2026: 1/1 off; Fri 2 (1), 5–9 (6), 12–16 (11), 19–23 (16), 26–30 (21); Feb 2–6 (26), 9–13 (31);
    // 16–20 Tết; Mon 23 (32), 24 (33), 25 (34), Thu 26 (35).
    expect(dates('2025-Q4', calendar).deadline).toBe('2026-02-26');
  });
});

describe('opening, expiry and timeliness', () => {
  it('open_future_periods opens a period one whole period earlier; expiry_days counts calendar days after the deadline', () => {
    const calendar = formCalendarSchema.parse({ open_future_periods: 1, expiry_days: 10 });
    expect(dates('2025-Q2', calendar)).toMatchObject({
      opens: '2025-03-15',
      deadline: '2025-06-17',
      lastAccepted: '2025-06-27',
    });
    const yearly = periodDates(
      holidays,
      formCalendarSchema.parse({ window: 'calendar', open_future_periods: 1 }),
      parsePeriod('2025')!,
      'year',
    );
    expect(yearly).toMatchObject({ windowCloses: '2025-12-31', opens: '2025-01-01' });
    const halfYear = periodDates(holidays, decree09, { lastDay: '2025-06-30' }, 'half_year');
    expect(halfYear.windowCloses).toBe('2025-06-14');
    const nineMonths = periodDates(
      holidays,
      formCalendarSchema.parse({ open_future_periods: 1 }),
      { lastDay: '2025-09-30' },
      'nine_months',
    );
    expect(nineMonths).toMatchObject({ windowCloses: '2025-09-14', opens: '2024-09-15' });
  });

  it('on time through the end of the deadline day; late by working days after it, at least one', () => {
    expect(timelinessOf(holidays, '2025-04-28', '2025-04-28')).toEqual({ onTime: true, daysLate: 0 });
    // After Mon 28 Apr 2025: Tue 29 (1), then 30/4–4/5 off, Mon 5 May (2).
    expect(timelinessOf(holidays, '2025-04-28', '2025-05-05')).toEqual({ onTime: false, daysLate: 2 });
    // Received on Saturday after a Friday deadline: late, by one day.
    expect(timelinessOf(holidays, '2025-03-21', '2025-03-22')).toEqual({ onTime: false, daysLate: 1 });
  });
});
