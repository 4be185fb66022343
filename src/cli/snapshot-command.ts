import { Option, type Command } from 'commander';
import type { Db } from '../db/connect.ts';
import { queryRecast } from '../read/recast.ts';
import { querySnapshots } from '../read/snapshots.ts';
import { parsePeriod } from '../schema/period.ts';
import { vietnamDay } from '../schema/vietnam-day.ts';
import { eraHint } from '../units/unit-eras.ts';
import { figureCells, figureColumns, formatTable } from './table.ts';
import type { WithDb } from './with-db.ts';

/** `tonghop snapshot`: a period's figures printed as a table, on the period's units or recast onto today's. */
export function registerSnapshotCommand(program: Command, withDb: WithDb): void {
  program
    .command('snapshot')
    .description(
      "print the current indicator figures of a period (the snapshots), on its own units or recast onto today's",
    )
    .addOption(new Option('--level <level>', 'only units of this level').choices(['commune', 'district', 'province']))
    .option('--unit <code>', "only this unit (a code of the chosen boundaries' era; another era's code is explained)")
    .requiredOption('--period <period>', 'the period, e.g. 2023-Q2')
    .addOption(
      new Option('--boundaries <which>', "period: on the hierarchy of the period; current: recast onto today's units")
        .choices(['period', 'current'])
        .default('period'),
    )
    .action(
      async (opts: {
        level?: 'commune' | 'district' | 'province';
        unit?: string;
        period: string;
        boundaries: 'period' | 'current';
      }) => {
        const period = parsePeriod(opts.period);
        if (!period) throw new Error(`not a period: ${opts.period}`);
        const admin = { level: 'admin' as const, code: null, id: 'cli' };
        if (opts.boundaries === 'current') {
          if (opts.level === 'district')
            throw new Error(
              "today's units have no districts: use --level commune or --level province with --boundaries current",
            );
          const level = opts.level;
          const rows = await withDb(async (db) => {
            const found = await queryRecast(db, admin, { level, unit: opts.unit, period: period.canonical });
            if (found.length === 0) await explainEmpty(db, opts.level ?? 'commune', opts.unit, vietnamDay(new Date()));
            return found;
          });
          process.stdout.write(
            `${formatTable(
              [...figureColumns, 'predecessors reporting', 'exact', 'version'],
              rows.map((r) => [
                ...figureCells(r),
                `${r.predecessors_reporting}/${r.predecessors_expected}`,
                r.exact ? 'exact' : `approximate (${r.approximate_for})`,
                r.recast_version,
              ]),
            )}\n`,
          );
          return;
        }
        const rows = await withDb(async (db) => {
          const found = await querySnapshots(db, admin, {
            level: opts.level,
            unit: opts.unit,
            period: period.canonical,
          });
          if (found.length === 0) await explainEmpty(db, opts.level ?? 'commune', opts.unit, period.lastDay);
          return found;
        });
        process.stdout.write(
          `${formatTable(
            [...figureColumns, 'reporting', 'version'],
            rows.map((r) => [...figureCells(r), `${r.communes_reporting}/${r.communes_expected}`, r.snapshot_version]),
          )}\n`,
        );
      },
    );
}

/** A unit code of another era finds no figures: say where it went (or came from) rather than print an empty table. */
async function explainEmpty(
  db: Db,
  level: 'commune' | 'district' | 'province',
  unit: string | undefined,
  day: string,
): Promise<void> {
  if (unit === undefined) return;
  const hint = await eraHint(db, level, unit, day);
  if (hint !== null) throw new Error(hint);
}
