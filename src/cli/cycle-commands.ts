import { storedFormCatalog } from '../forms/form-catalog.ts';
import { readFile } from 'node:fs/promises';
import { Option, type Command } from 'commander';
import type { WithDb } from './with-db.ts';
import { cliActor } from '../cycle/audit.ts';
import { holidaysFromCsv, importHolidays } from '../cycle/holidays.ts';
import { grantException } from '../cycle/lock-exceptions.ts';
import { isRefusal } from '../cycle/refusal.ts';
import { reportingRatesOf } from '../read/reporting-rates.ts';
import { unitLevels, type UnitLevel } from '../schema/database.ts';
import { parsePeriod, type Period } from '../schema/period.ts';
import { vietnamDay } from '../schema/vietnam-day.ts';
import { formatTable } from './table.ts';

function periodOf(raw: string): Period {
  const period = parsePeriod(raw);
  if (!period) throw new Error(`not a period: ${raw} (for example 2023-Q2)`);
  return period;
}

/** `holidays import`, `lock exception grant` and `reporting-rates` (SPEC §7), acting as the operator at the terminal. */
export function registerCycleCommands(program: Command, withDb: WithDb): void {
  program
    .command('holidays')
    .description('the working-day calendar (SPEC §7)')
    .command('import <file>')
    .description(
      'import holidays and make-up working days (date,kind,name; kind holiday|workday); a listed day replaces the one stored',
    )
    .action(async (file: string) => {
      const rows = holidaysFromCsv(await readFile(file, 'utf8'));
      const n = await withDb((db) => importHolidays(db, rows, cliActor(), new Date()));
      process.stdout.write(`imported ${n} days\n`);
    });

  program
    .command('lock')
    .description('period locks')
    .command('exception')
    .description('lock exceptions')
    .command('grant')
    .description('let one commune report one form and period despite a lock or an expiry, until a date')
    .requiredOption('--form <code>', 'the form code (GET /v1/forms)')
    .requiredOption('--commune <code>', 'the commune code')
    .requiredOption('--period <period>', 'the period, e.g. 2023-Q2')
    .requiredOption('--until <date>', 'last day the exception stands (YYYY-MM-DD)')
    .requiredOption('--reason <text>', 'why the exception is granted (kept in the audit log)')
    .action(async (opts: { form: string; commune: string; period: string; until: string; reason: string }) => {
      if (!/^\d{4}-\d{2}-\d{2}$/u.test(opts.until))
        throw new Error(`--until takes a date (YYYY-MM-DD), not ${opts.until}`);
      const now = new Date();
      const request = {
        form: opts.form,
        commune: opts.commune.padStart(5, '0'),
        period: periodOf(opts.period),
        until: opts.until,
        reason: opts.reason,
      };
      const result = await withDb(async (db) =>
        grantException(
          db,
          await storedFormCatalog(db),
          { ...cliActor(), roles: ['approve'] },
          request,
          now,
          vietnamDay(now),
        ),
      );
      if (isRefusal(result)) throw new Error(`not granted (${result.refused}): ${JSON.stringify(result.details)}`);
      process.stdout.write(
        `exception ${result.exception.id} granted: ${result.exception.form} ${result.exception.commune_code} ${result.exception.period} ` +
          `until ${result.exception.until}\n`,
      );
    });

  program
    .command('reporting-rates')
    .description("DHIS2's reporting rates of a unit and the units below it")
    .requiredOption('--form <code>', 'the form code (GET /v1/forms)')
    .requiredOption('--period <period>', 'the period, e.g. 2023-Q2')
    .addOption(new Option('--level <level>', 'the level of the unit').choices(unitLevels).makeOptionMandatory())
    .requiredOption('--unit <code>', 'the unit code at that level')
    .action(async (opts: { form: string; period: string; level: UnitLevel; unit: string }) => {
      const rates = await withDb((db) =>
        reportingRatesOf(db, {
          form: opts.form.toUpperCase(),
          period: periodOf(opts.period),
          level: opts.level,
          unit: opts.unit,
        }),
      );
      if (!rates) throw new Error(`no ${opts.level} ${opts.unit} in ${opts.period}`);
      process.stdout.write(
        `${formatTable(
          [
            'level',
            'unit',
            'name',
            'expected_reports',
            'actual_reports',
            'actual_reports_on_time',
            'reporting_rate',
            'reporting_rate_on_time',
          ],
          [rates, ...rates.below].map((r) => [
            r.level,
            r.unit_code,
            r.unit_name,
            r.expected_reports,
            r.actual_reports,
            r.actual_reports_on_time,
            r.reporting_rate,
            r.reporting_rate_on_time,
          ]),
        )}\n`,
      );
    });
}
