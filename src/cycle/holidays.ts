import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import type { Db } from '../db/connect.ts';
import { holidayCalendar, type HolidayCalendar } from '../figures/working-days.ts';
import { audit, releaseActor, type Actor } from './audit.ts';

/** The holiday calendar shipped with tonghop (data/holidays/SOURCES.md says where it comes from). */
export const shippedHolidays = new URL('../../data/holidays/vn-holidays.csv', import.meta.url);

const holidayRow = z.object({
  date: z.iso.date(),
  kind: z.enum(['holiday', 'workday']),
  name: z.string().trim().min(1).max(200),
});
export type HolidayFileRow = z.infer<typeof holidayRow>;

/** Reads `date,kind,name` rows; throws listing every bad line, so nothing is imported from a half-good file. */
export function holidaysFromCsv(text: string): HolidayFileRow[] {
  const records = parse(text.replace(/^\uFEFF/u, ''), {
    columns: (h: string[]) => h.map((c) => c.trim().toLowerCase()),
    skip_empty_lines: true,
    trim: true,
  }) as Record<string, string>[];
  const problems: string[] = [];
  const rows: HolidayFileRow[] = [];
  records.forEach((r, i) => {
    const parsed = holidayRow.safeParse(r);
    if (!parsed.success)
      problems.push(`line ${i + 2}: ${parsed.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; ')}`);
    else {
      const weekday = new Date(`${parsed.data.date}T00:00:00Z`).getUTCDay();
      const weekend = weekday === 0 || weekday === 6;
      if (parsed.data.kind === 'workday' && !weekend)
        problems.push(`line ${i + 2}: ${parsed.data.date} is a weekday; a make-up workday is a Saturday or Sunday`);
      else rows.push(parsed.data);
    }
  });
  if (problems.length > 0) throw new Error(`the holiday file has problems:\n${problems.join('\n')}`);
  return rows;
}

/** Adds or replaces days of the holiday calendar, and records the import. Deadlines use them from the next report on. */
export async function importHolidays(
  db: Db,
  rows: readonly HolidayFileRow[],
  actor: Actor,
  now: Date,
): Promise<number> {
  if (rows.length === 0) return 0;
  return db.transaction().execute(async (tx) => {
    await tx
      .insertInto('holiday')
      .values(rows.map((r) => ({ date: r.date, kind: r.kind, name: r.name, imported_at: now })))
      .onConflict((oc) =>
        oc.column('date').doUpdateSet((eb) => ({
          kind: eb.ref('excluded.kind'),
          name: eb.ref('excluded.name'),
          imported_at: eb.ref('excluded.imported_at'),
        })),
      )
      .execute();
    const years = [...new Set(rows.map((r) => r.date.slice(0, 4)))].sort();
    await audit(tx, actor, [{ action: 'holidays.import', subject: { days: rows.length, years }, at: now }]);
    return rows.length;
  });
}

/** Seeds the shipped calendar: days already in the table (an operator's import) are left as they are; days added are audited. */
export async function seedShippedHolidays(db: Db, now: Date = new Date()): Promise<void> {
  const rows = holidaysFromCsv(await readFile(shippedHolidays, 'utf8'));
  await db.transaction().execute(async (tx) => {
    const added = await tx
      .insertInto('holiday')
      .values(rows.map((r) => ({ date: r.date, kind: r.kind, name: r.name })))
      .onConflict((oc) => oc.column('date').doNothing())
      .returning('date')
      .execute();
    if (added.length === 0) return;
    const years = [...new Set(added.map((r) => r.date.slice(0, 4)))].sort();
    await audit(tx, releaseActor, [
      { action: 'holidays.import', subject: { days: added.length, years, shipped: true }, at: now },
    ]);
  });
}

/** The working-day calendar as the table holds it now: a few dozen rows a year, read whole. */
export async function loadHolidayCalendar(db: Db): Promise<HolidayCalendar> {
  return holidayCalendar(await db.selectFrom('holiday').select(['date', 'kind']).execute());
}
