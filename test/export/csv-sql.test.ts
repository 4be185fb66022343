import fc from 'fast-check';
import { sql } from 'kysely';
import {
  bytes,
  doubleText,
  instant,
  numeric,
  pieces,
  powerDouble,
  row,
  type Row,
  seed,
} from '../support/hostile-figures.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDb, type Db } from '../../src/db/connect.ts';
import { csvChunks, csvLineChunks } from '../../src/export/csv.ts';
import { recastColumnKinds, recastColumns, streamRecast, streamRecastCsvLines } from '../../src/read/recast.ts';
import {
  snapshotColumnKinds,
  snapshotColumns,
  streamSnapshotCsvLines,
  streamSnapshots,
} from '../../src/read/snapshots.ts';
import { useServices } from '../support/services.ts';

// The CSV export's lines are written by Postgres (src/export/csv-sql.ts); they must be the bytes
// csv.ts writes from the rows node-postgres reads, for every value the columns can hold. Hostile
// rows go into the real tables; both paths read them through the real views and queries.
const services = useServices();
const admin = { level: 'admin' as const, code: null, id: 'test' };
const today = '2026-01-01';
/** A second connection whose session writes instants in Vietnam time (and LMT +07:06:40 before 1906), read by node-postgres as such. */
let vietnam: Db;

beforeAll(() => {
  const url = new URL(services.env.DATABASE_URL!);
  url.searchParams.set('options', '-c TimeZone=Asia/Ho_Chi_Minh');
  vietnam = connectDb(url.toString(), { max: 2 });
});
afterAll(() => vietnam.destroy());

/** Both exports of the snapshot and recast views, old (node-postgres rows, csv.ts) and new (lines from Postgres), on one connection. */
async function expectSameCsv(db: Db, rows: readonly Row[]) {
  let read = 0;
  const counted = async function* <T>(source: AsyncIterable<T>) {
    for await (const r of source) {
      read += 1;
      yield r;
    }
  };
  const snapshots = await bytes(csvChunks(snapshotColumns, counted(streamSnapshots(db, admin, {}, today))));
  const recast = await bytes(csvChunks(recastColumns, counted(streamRecast(db, admin, {}))));
  expect(read).toBe(2 * rows.length);
  const snapshotLines = await bytes(csvLineChunks(snapshotColumns, streamSnapshotCsvLines(db, admin, {}, today)));
  const recastLines = await bytes(csvLineChunks(recastColumns, streamRecastCsvLines(db, admin, {})));
  // Compared as text first for a readable difference, then byte for byte.
  expect(snapshotLines.toString()).toBe(snapshots.toString());
  expect(snapshotLines.equals(snapshots)).toBe(true);
  expect(recastLines.toString()).toBe(recast.toString());
  expect(recastLines.equals(recast)).toBe(true);
}

describe('a CSV line written by Postgres', () => {
  it('names each column by its type in the views', async () => {
    const types = await sql<{ table_name: string; column_name: string; data_type: string }>`
      select table_name, column_name, data_type from information_schema.columns where table_schema = 'analytics'
        and table_name in ('indicator_snapshot', 'indicator_snapshot_history', 'indicator_snapshot_recast', 'indicator_snapshot_recast_history')`.execute(
      services.db,
    );
    const kindOf: Record<string, string> = {
      text: 'text',
      integer: 'integer',
      numeric: 'numeric',
      'double precision': 'float8',
      boolean: 'boolean',
      'timestamp with time zone': 'timestamptz',
    };
    for (const t of types.rows) {
      const kinds: Record<string, string> = t.table_name.includes('recast') ? recastColumnKinds : snapshotColumnKinds;
      if (t.column_name in kinds)
        expect([t.table_name, t.column_name, kinds[t.column_name]]).toEqual([
          t.table_name,
          t.column_name,
          kindOf[t.data_type],
        ]);
    }
  });

  it('cuts microseconds to the millisecond as node-postgres does, for every one of the 10^6', () => {
    // postgres-date gives Date.UTC 1000 × parseFloat('.dddddd'), which Date cuts to an integer.
    for (let us = 0; us < 1_000_000; us += 1) {
      const digits = String(us).padStart(6, '0').replace(/0+$/u, '');
      const ms = new Date(
        Date.UTC(2025, 0, 1, 0, 0, 0, digits ? 1000 * Number.parseFloat(`.${digits}`) : 0),
      ).getUTCMilliseconds();
      if (ms !== Math.floor(us / 1000)) expect({ us, ms }).toEqual({ us, ms: Math.floor(us / 1000) });
    }
  });

  it('is what csv.ts writes for the edge values of every column type', async () => {
    const edges = fc.sample(row, { numRuns: 1, seed: 1 })[0]!;
    const values = [
      ...new Set([0, -0, Number.NaN, Infinity, -Infinity, 5e-324, Number.MAX_VALUE, ...fc.sample(powerDouble, 200)]),
    ];
    const numerics = fc.sample(numeric, 200);
    const instants = fc.sample(instant, 100);
    const rows = Array.from({ length: 200 }, (_, i) => ({
      ...edges,
      unitName: pieces[i % pieces.length]!.repeat(1 + (i % 2)),
      value: doubleText(values[i % values.length]!),
      numerator: numerics[i]!,
      denominator: i % 7 === 0 ? null : numerics[(i * 13) % 200]!,
      computedAt: instants[i % 100]!,
    }));
    await seed(services.db, rows);
    await expectSameCsv(services.db, rows);
    await expectSameCsv(vietnam, rows);
  });

  it('is what csv.ts writes, byte for byte, for generated hostile rows', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(row, { minLength: 1, maxLength: 20 }), async (rows) => {
        await seed(services.db, rows);
        await expectSameCsv(services.db, rows);
        await expectSameCsv(vietnam, rows);
      }),
      { numRuns: 60 },
    );
  });
});
