// Times importing the national unit lists and the crosswalk that ship in data/units:
// the 2024 list valid to 2025-06-30, the 2025 list from 2025-07-01, then the crosswalk; then all
// three again, which must update without duplicating. Run: node bench/import-units.ts
import { readFile } from 'node:fs/promises';
import pg from 'pg';
import { loadConfig } from '../src/config.ts';
import { connectDb, ensureDatabase } from '../src/db/connect.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { importCrosswalk, importUnits, unitsFromCsv } from '../src/units/import.ts';
import { builtinUnitsDir } from '../src/units/builtin.ts';

const data = builtinUnitsDir;
const config = loadConfig();
const name = `tonghop_bench_${process.pid}`;
const url = new URL(config.DATABASE_URL);
url.pathname = `/${name}`;

await ensureDatabase(url.toString());
const db = connectDb(url.toString(), { max: 2 });
const seconds = (from: bigint) => Number(process.hrtime.bigint() - from) / 1e9;

try {
  await migrateToLatest(db);
  const [old, current, crosswalk] = await Promise.all(
    ['vn-admin-units-2024.csv', 'vn-admin-units-2025.csv', 'vn-commune-crosswalk-2025.csv'].map((f) =>
      readFile(new URL(f, data), 'utf8'),
    ),
  );
  for (const round of ['first import', 'again (updates)']) {
    const t0 = process.hrtime.bigint();
    const a = await importUnits(db, unitsFromCsv(old!, { validTo: '2025-06-30' }));
    const t1 = process.hrtime.bigint();
    const b = await importUnits(db, unitsFromCsv(current!, { validFrom: '2025-07-01' }));
    const t2 = process.hrtime.bigint();
    const pairs = await importCrosswalk(db, crosswalk!);
    const total = seconds(t0);
    process.stdout.write(
      `${round}: 2024 list ${a.provinces}/${a.districts}/${a.communes} in ${(Number(t1 - t0) / 1e9).toFixed(2)} s, ` +
        `2025 list ${b.provinces}/${b.districts}/${b.communes} in ${(Number(t2 - t1) / 1e9).toFixed(2)} s, ` +
        `crosswalk ${pairs} pairs in ${seconds(t2).toFixed(2)} s; total ${total.toFixed(2)} s\n`,
    );
  }
  const units = await db
    .selectFrom('admin_unit')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  const pairs = await db
    .selectFrom('unit_crosswalk')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  process.stdout.write(`stored: ${units.n} unit versions, ${pairs.n} crosswalk pairs\n`);
} finally {
  await db.destroy();
  const admin = new pg.Client({ connectionString: config.DATABASE_URL.replace(/\/[^/]*$/u, '/postgres') });
  await admin.connect();
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.end();
}
