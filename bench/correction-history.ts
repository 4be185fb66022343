// One commune's correction with 1 quarter of national history loaded versus 40 (issue 6): the
// rollup of a province-period must not slow down as history grows.
//   node bench/correction-history.ts [--provinces N] [--communes N] [--repeats N]
// The latest quarter is loaded through the pipeline's own functions (stored, normalized in batches,
// rolled up); the 39 before it are copies of it (history-clone.ts says what is copied).
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { pino } from 'pino';
import { storeSubmissions } from '../src/ingest/submissions/store.ts';
import { parsePeriod } from '../src/schema/period.ts';
import { start } from '../src/start.ts';
import { importUnits, unitsFromCsv } from '../src/units/import.ts';
import { normalizeSubmission } from '../src/workers/normalize/normalize.ts';
import { rollupProvincePeriod } from '../src/workers/rollup/persist.ts';
import { cloneQuarter } from './history-clone.ts';
import { communeFiles, scaledUnits, seededRandom, unitsCsv } from './quarter-generator.ts';
import { benchEnvironment, percentile, storeAndNormalize } from './support.ts';

const { values: args } = parseArgs({
  options: {
    provinces: { type: 'string', default: '63' },
    communes: { type: 'string', default: '10600' },
    repeats: { type: 'string', default: '9' },
  },
});
const units = scaledUnits(Number(args.provinces), Number(args.communes));
const provinces = [...new Set(units.map((u) => u.province))];
const corrected = units[0]!;
const { config, drop } = await benchEnvironment('history');
// Only the database and queues of a pipeline are needed: jobs are run here, one after another.
const running = await start({ ...config, RECONCILE_INTERVAL_S: 3600 }, 'ingest', { log: pino({ level: 'warn' }) });
const { deps } = running;
const principal = { level: 'admin' as const, code: null, id: 'bench' };
await importUnits(deps.db, unitsFromCsv(unitsCsv(units)));

const quarters = Array.from({ length: 40 }, (_, i) => `${2016 + Math.floor(i / 4)}-Q${(i % 4) + 1}`);
const latest = quarters.at(-1)!;
const progress = (what: string) => process.stderr.write(`[${new Date().toISOString()}] ${what}\n`);

async function loadQuarter(period: string, seed: number) {
  const random = seededRandom(seed);
  await storeAndNormalize(
    deps,
    units.flatMap((u) => communeFiles(u, period, random)),
  );
  for (const p of provinces) await rollupProvincePeriod(deps.db, deps.forms, { provinceCode: p, period }, new Date());
}

/** Median time of the correction's rollup: a commune's report changes, then its province-period is rolled up. */
async function correctionRollup(seedBase: number): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < Number(args.repeats); i += 1) {
    const [ban] = communeFiles(corrected, latest, seededRandom(seedBase + i));
    const [s] = await storeSubmissions(
      deps.db,
      principal,
      {},
      [{ filename: ban!.name, contentType: null, bytes: Buffer.from(ban!.text) }],
      null,
      new Date(),
    );
    await normalizeSubmission(deps, { submissionId: s!.id });
    const t = performance.now();
    const result = await rollupProvincePeriod(
      deps.db,
      deps.forms,
      { provinceCode: corrected.province, period: latest },
      new Date(),
    );
    times.push(performance.now() - t);
    if (!result.changed) throw new Error('the correction did not change the snapshot');
  }
  return percentile(times, 50);
}

await loadQuarter(latest, 1);
progress(`loaded ${latest}: ${units.length} communes in ${provinces.length} provinces`);
await sql`analyze`.execute(deps.db);
const one = await correctionRollup(1000);
const count = async () => {
  const [snapshotRows, slots] = await Promise.all([
    deps.db
      .selectFrom('snapshot_row')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow(),
    deps.db
      .selectFrom('report_slot')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return `${Number(snapshotRows.n).toLocaleString('en')} snapshot rows, ${Number(slots.n).toLocaleString('en')} report slots`;
};
const rows1 = await count();
for (const q of quarters.slice(0, -1)) await cloneQuarter(deps.db, latest, q);
// As autovacuum would have done by then on a database that grew over ten years.
await sql`analyze`.execute(deps.db);
progress('39 earlier quarters copied');
const forty = await correctionRollup(2000);
const rows40 = await count();

console.log(
  `correction of one commune's report: commune ${corrected.commune}, province ${corrected.province} ` +
    `(${units.filter((u) => u.province === corrected.province).length} communes), period ${parsePeriod(latest)!.canonical}`,
);
console.log(
  `national history: ${provinces.length} provinces, ${units.length} communes; rollup median of ${args.repeats} corrections`,
);
console.log(`  with  1 quarter of history:  ${one.toFixed(1)} ms (${rows1})`);
console.log(`  with 40 quarters of history: ${forty.toFixed(1)} ms (${rows40})`);
console.log(`  ratio 40 / 1:                ${(forty / one).toFixed(2)}× (target ≤ 1.5×)`);

await running.stop();
await drop();
