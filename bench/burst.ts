// A burst of 200 files for one province-period, uploaded at once: how many rollups run?
// SPEC §4.5: rollups are deduplicated per (province, period), so the answer is a handful, not 200.
// Run: node bench/burst.ts
import { pino } from 'pino';
import { createToken } from '../src/accounts/tokens.ts';
import { shippedFormCatalog } from '../src/forms/shipped-forms.ts';
import { start } from '../src/start.ts';
import { importUnits, unitsFromCsv } from '../src/units/import.ts';
import { benchEnvironment } from './support.ts';

// The village form's headers, from its shipped definition.
const banHeader = shippedFormCatalog()
  .find('HTS-BAN')!
  .fields.map((f) => f.header)
  .join(',');

const files = Number(process.env.BURST_FILES ?? 200);
const { config, drop } = await benchEnvironment('burst');
const running = await start(config, 'all', { log: pino({ level: 'warn' }) });
try {
  const lines = ['province_code,province_name,district_code,district_name,commune_code,commune_name'];
  for (let i = 0; i < files; i += 1)
    lines.push(
      `99,Tỉnh Thử,${i < files / 2 ? '991' : '992'},Huyện ${i < files / 2 ? 'Một' : 'Hai'},${String(90000 + i)},Xã ${i}`,
    );
  await importUnits(running.deps.db, unitsFromCsv(lines.join('\n')));
  const { token } = await createToken(running.deps.db, { level: 'province', code: '99', roles: ['submit', 'read'] });

  const started = performance.now();
  await Promise.all(
    Array.from({ length: files }, async (_, i) => {
      const csv = `${banHeader}\nBản A,10,40,có,có,có,20,10\nBản B,12,50,không,có,không,20,10\n`;
      const form = new FormData();
      form.append('commune', String(90000 + i));
      form.append('period', '2023-Q2');
      form.append('file', new Blob([csv]), `x${i}.csv`);
      const r = await fetch(new URL('/v1/submissions', running.url!), {
        method: 'POST',
        body: form,
        headers: { authorization: `Bearer ${token}` },
      });
      if (r.status !== 202) throw new Error(`upload ${i}: ${r.status}`);
    }),
  );
  const uploaded = performance.now() - started;
  for (;;) {
    const pending = await running.deps.db
      .selectFrom('submission')
      .select('id')
      .where('status', 'in', ['queued', 'processing'])
      .limit(1)
      .execute();
    const due = await running.deps.db.selectFrom('rollup_due').select('period').limit(1).execute();
    const counts = await running.deps.queues.rollup.getJobCounts('waiting', 'active', 'delayed');
    if (pending.length === 0 && due.length === 0 && Object.values(counts).every((n) => n === 0)) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  const total = performance.now() - started;
  const runs = await running.deps.db
    .selectFrom('rollup_run')
    .select(['snapshot_version'])
    .where('province_code', '=', '99')
    .execute();
  const accepted = await running.deps.db
    .selectFrom('submission')
    .select('id')
    .where('status', '=', 'accepted')
    .execute();
  const head = await running.deps.db
    .selectFrom('analytics.indicator_snapshot')
    .select(['numerator'])
    .where('level', '=', 'province')
    .where('unit_code', '=', '99')
    .where('indicator', '=', 'villages_total')
    .executeTakeFirstOrThrow();
  console.log(`burst: ${files} files for province 99, 2023-Q2 (ROLLUP_DEBOUNCE_MS=${config.ROLLUP_DEBOUNCE_MS})`);
  console.log(`  accepted:            ${accepted.length}`);
  console.log(`  uploads took:        ${(uploaded / 1000).toFixed(2)} s; settled after ${(total / 1000).toFixed(2)} s`);
  console.log(
    `  rollups run:         ${runs.length} (snapshot versions written: ${runs.filter((r) => r.snapshot_version !== null).length})`,
  );
  console.log(`  without dedup:       ${files} rollups would have run`);
  console.log(`  final villages_total ${head.numerator} (expected ${files * 2})`);
  if (head.numerator !== files * 2 || accepted.length !== files) process.exitCode = 1;
} finally {
  await running.stop();
  await drop();
}
