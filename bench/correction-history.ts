// One commune's correction with 1 quarter of history loaded versus 40 (issue 6): the rollup of a
// province-period must not slow down as history grows.
//   node bench/correction-history.ts [--communes N] [--repeats N]
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { storeSubmissions } from '../src/ingest/submissions/store.ts';
import { parsePeriod } from '../src/schema/period.ts';
import { start } from '../src/start.ts';
import { importUnits, unitsFromCsv } from '../src/units/import.ts';
import { normalizeSubmission } from '../src/workers/normalize/normalize.ts';
import { rollupProvincePeriod } from '../src/workers/rollup/persist.ts';
import { communeFiles, seededRandom, syntheticUnits, unitsCsv } from './quarter-generator.ts';
import { benchEnvironment, percentile } from './support.ts';

const { values: args } = parseArgs({ options: { communes: { type: 'string', default: '130' }, repeats: { type: 'string', default: '9' } } });
const units = syntheticUnits(1, 10, Number(args.communes));
const { config, drop } = await benchEnvironment('history');
// Only the database and queues of a pipeline are needed: jobs are run here, one after another.
const running = await start({ ...config, RECONCILE_INTERVAL_S: 3600 }, 'ingest', { log: pino({ level: 'warn' }) });
const { deps } = running;
const principal = { level: 'admin' as const, code: null, id: 'bench' };
await importUnits(deps.db, unitsFromCsv(unitsCsv(units)));

const quarters = Array.from({ length: 40 }, (_, i) => `${2016 + Math.floor(i / 4)}-Q${(i % 4) + 1}`);
const latest = quarters.at(-1)!;

async function loadQuarter(period: string, seed: number) {
  const random = seededRandom(seed);
  const files = units.flatMap((u) => communeFiles(u, period, random));
  const stored = await storeSubmissions(deps.db, principal, {}, files.map((f) => ({ filename: f.name, contentType: null, bytes: Buffer.from(f.text) })), null, new Date());
  for (const s of stored) await normalizeSubmission(deps, { submissionId: s.id });
  await rollupProvincePeriod(deps.db, { provinceCode: '01', period }, new Date());
}

/** Median time of the correction's rollup: a commune's report changes, then its province-period is rolled up. */
async function correctionRollup(seedBase: number): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < Number(args.repeats); i += 1) {
    const [ban] = communeFiles(units[0]!, latest, seededRandom(seedBase + i));
    const [s] = await storeSubmissions(deps.db, principal, {}, [{ filename: ban!.name, contentType: null, bytes: Buffer.from(ban!.text) }], null, new Date());
    await normalizeSubmission(deps, { submissionId: s!.id });
    const t = performance.now();
    const result = await rollupProvincePeriod(deps.db, { provinceCode: '01', period: latest }, new Date());
    times.push(performance.now() - t);
    if (!result.changed) throw new Error('the correction did not change the snapshot');
  }
  return percentile(times, 50);
}

await loadQuarter(latest, 1);
const one = await correctionRollup(1000);
const rows1 = await deps.db.selectFrom('snapshot_row').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
for (const [i, q] of quarters.slice(0, -1).entries()) await loadQuarter(q, 10 + i);
const forty = await correctionRollup(2000);
const rows40 = await deps.db.selectFrom('snapshot_row').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();

console.log(`correction of one commune's report, province of ${units.length} communes, period ${parsePeriod(latest)!.canonical}`);
console.log(`  with  1 quarter of history:  rollup median ${one.toFixed(1)} ms (${rows1.n} snapshot rows stored)`);
console.log(`  with 40 quarters of history: rollup median ${forty.toFixed(1)} ms (${rows40.n} snapshot rows stored)`);
console.log(`  ratio 40 / 1:                ${(forty / one).toFixed(2)}× (target ≤ 1.5×)`);

await running.stop();
await drop();
