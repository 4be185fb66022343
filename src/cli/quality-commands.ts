import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { WithDb } from './with-db.ts';
import { cliActor } from '../cycle/audit.ts';
import { isRefusal } from '../cycle/refusal.ts';
import { storedFormCatalog } from '../forms/form-catalog.ts';
import {
  boundInput,
  boundTarget,
  boundsFromCsv,
  listBounds,
  removeBound,
  setBounds,
  type BoundInput,
} from '../quality/bounds.ts';
import { listWarnings } from '../quality/list-warnings.ts';
import { parsePeriod } from '../schema/period.ts';
import { vietnamDay } from '../schema/vietnam-day.ts';
import { formatTable } from './table.ts';

type Where = { form: string; measure: string; commune?: string; province?: string };

/** `quality bounds set|remove|list` and `quality warnings` (SPEC §8), acting as the operator at the terminal. */
export function registerQualityCommands(program: Command, withDb: WithDb): void {
  const quality = program.command('quality').description('data quality: warnings and min–max bounds (SPEC §8)');
  const bounds = quality
    .command('bounds')
    .description("analysts' min–max bounds on a form's measure, for a commune or a province");
  const where = (c: Command) =>
    c
      .option('--form <code>', 'the form code')
      .option('--measure <name>', "the form's measure (GET /v1/forms)")
      .option('--commune <code>', 'the commune')
      .option('--province <code>', 'the whole province');

  where(bounds.command('set'))
    .description(
      'set a bound (replacing one set before), or import a CSV file of them: form,measure,commune,province,min,max',
    )
    .option('--min <n>', 'lowest plausible value')
    .option('--max <n>', 'highest plausible value')
    .option('--file <csv>', 'set every bound of the file, all or none')
    .action(async (opts: Where & { min?: string; max?: string; file?: string }) => {
      let inputs: BoundInput[];
      if (opts.file) {
        const read = boundsFromCsv(await readFile(opts.file, 'utf8'));
        if ('problems' in read) throw new Error(`${opts.file}:\n${read.problems.join('\n')}`);
        inputs = read.bounds;
      } else {
        const parsed = boundInput.safeParse({
          form: opts.form,
          measure: opts.measure,
          commune: opts.commune,
          province: opts.province,
          min: opts.min ?? null,
          max: opts.max ?? null,
        });
        if (!parsed.success)
          throw new Error(parsed.error.issues.map((i) => `${i.path.join('.') || 'bound'}: ${i.message}`).join('; '));
        inputs = [parsed.data];
      }
      const now = new Date();
      const result = await withDb(async (db) =>
        setBounds(db, await storedFormCatalog(db), cliActor(), inputs, now, vietnamDay(now)),
      );
      if (isRefusal(result)) throw new Error(`not set (${result.refused}): ${JSON.stringify(result.details)}`);
      process.stdout.write(`${result.bounds.length} bound(s) set\n`);
    });

  where(bounds.command('remove'))
    .description('remove a bound: reports judged from now on no longer carry its warning')
    .action(async (opts: Where) => {
      const parsed = boundTarget.safeParse(opts);
      if (!parsed.success)
        throw new Error(parsed.error.issues.map((i) => `${i.path.join('.') || 'bound'}: ${i.message}`).join('; '));
      const now = new Date();
      const result = await withDb(async (db) =>
        removeBound(db, await storedFormCatalog(db), cliActor(), parsed.data, now, vietnamDay(now)),
      );
      if (isRefusal(result)) throw new Error(`not removed (${result.refused}): ${JSON.stringify(result.details)}`);
      process.stdout.write(`removed\n`);
    });

  bounds
    .command('list')
    .description('the bounds set')
    .option('--form <code>', 'one form')
    .option('--province <code>', 'one province')
    .action(async (opts: { form?: string; province?: string }) => {
      const rows = await withDb((db) => listBounds(db, cliActor(), opts));
      process.stdout.write(
        `${formatTable(
          ['form', 'measure', 'level', 'unit', 'province', 'min', 'max', 'set_by', 'set_at'],
          rows.map((b) => [
            b.form,
            b.measure,
            b.level,
            b.unit_code,
            b.province_code,
            b.min,
            b.max,
            b.set_by,
            b.set_at.toISOString(),
          ]),
        )}\n`,
      );
    });

  quality
    .command('warnings')
    .description('the warnings of the current reports')
    .option('--form <code>', 'one form')
    .option('--period <period>', 'one period, e.g. 2023-Q2')
    .option('--province <code>', 'one province')
    .action(async (opts: { form?: string; period?: string; province?: string }) => {
      const period = opts.period === undefined ? undefined : parsePeriod(opts.period)?.canonical;
      if (opts.period !== undefined && !period) throw new Error(`not a period: ${opts.period} (for example 2023-Q2)`);
      const { warnings } = await withDb((db) =>
        listWarnings(db, { form: opts.form?.toUpperCase(), period, province: opts.province }),
      );
      process.stdout.write(
        `${formatTable(
          ['commune', 'name', 'form', 'period', 'code', 'measure', 'value', 'history'],
          warnings.map((w) => [
            w.commune,
            w.commune_name,
            w.form,
            w.period,
            w.code,
            w.measure,
            w.value,
            w.history.map((h) => h.value).join(' '),
          ]),
        )}\n`,
      );
    });
}
