// What data-quality warnings cost the pipeline (issue 20): the national benchmark run twice in a
// row on the same machine, QUALITY_WARNINGS=off then on, each with HISTORY (default 4) earlier
// quarters of every commune's reports to judge against; prints both end-to-end times and the
// load average around each. Arguments go to bench/national-quarter.ts (e.g. --communes 2000).
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';

const history = process.env.HISTORY ?? '4';
const results: string[] = [];
for (const quality of ['off', 'on']) {
  const before = loadavg()[0]!.toFixed(2);
  const run = spawnSync(
    process.execPath,
    ['bench/national-quarter.ts', '--quality', quality, '--history', history, ...process.argv.slice(2)],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 * 1024 * 1024 },
  );
  process.stdout.write(run.stdout);
  const line = (prefix: string) => run.stdout.split('\n').find((l) => l.startsWith(prefix)) ?? `${prefix} ?`;
  results.push(
    `QUALITY_WARNINGS=${quality.padEnd(3)}  ${line('pipeline end-to-end:').replace(/\s+/gu, ' ')}; ${line('data-quality warnings stored:')}; ` +
      `load average at start ${before}`,
  );
  if (run.status !== 0) results.push(`  (exit ${run.status})`);
}
console.log('\nquality cost — national quarter, warnings off vs on');
for (const r of results) console.log(r);
