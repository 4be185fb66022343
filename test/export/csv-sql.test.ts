import fc from 'fast-check';
import { sql } from 'kysely';
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

/** Pieces of text that csv.ts treats specially, or that are many bytes, or no character at all (half a surrogate pair). */
const pieces = [
  '=',
  '+',
  '-',
  '@',
  '\t',
  '\r',
  '\n',
  '"',
  ',',
  ';',
  "'",
  ' ',
  'a',
  '0',
  'Xã',
  'Ậ',
  '🙂',
  '\uD800',
  '\uDFFF',
  '_x0041_',
];
const text = fc.oneof(
  fc.string({ unit: fc.constantFrom(...pieces), maxLength: 6 }),
  fc.string({ unit: 'binary', maxLength: 6 }).map((s) => s.replaceAll('\u0000', '')),
  fc.constantFrom('', '=HYPERLINK("http://evil","Xã")', '-0.5', '@SUM(A1)', '\t1', 'Xã Nậm Pồ, "huyện"; 1'),
);

/** A double as Postgres reads it back exactly (String(-0) would lose the sign). */
const doubleText = (x: number) => (Object.is(x, -0) ? '-0' : String(x));
/** A double near each power of ten where either writer changes between plain and exponent notation. */
const powerDouble = fc
  .tuple(fc.integer({ min: -9, max: 23 }), fc.constantFrom('1', '1.5', '9.999999999999999', '1.2345678901234567', '7'))
  .chain(([e, m]) => fc.constantFrom(`${m}e${e}`, `-${m}e${e}`))
  .map(Number);
const float8 = fc.oneof(
  fc.double(),
  powerDouble,
  fc.constantFrom(0, -0, Number.NaN, Infinity, -Infinity, 5e-324, Number.MAX_VALUE, 1e-4, 1e15, 1e21, 0.1, 2 ** 53 + 2),
);

const overflow = (2n ** 1024n - 2n ** 970n).toString();
const underflow = `0.${(5n ** 1075n).toString().padStart(1075, '0')}`;
/** Numeric text: integers past 2^53, trailing zeros, exponents in and out of a double's range, and the halfway points to ±Infinity and 0. */
const numeric = fc.oneof(
  fc.bigInt({ min: -(10n ** 40n), max: 10n ** 40n }).map(String),
  fc.integer({ min: -1e6, max: 1e6 }).map(String),
  fc
    .tuple(fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }), fc.nat({ max: 10 ** 9 }), fc.nat({ max: 4 }))
    .map(([i, f, zeros]) => `${i}.${String(f).padStart(9, '0')}${'0'.repeat(zeros)}`),
  // Decimals past 15 digits below 1e9, where the digits Postgres keeps are not the double's.
  fc
    .tuple(fc.integer({ min: -999_999_999, max: 999_999_999 }), fc.nat({ max: 99_999_999 }))
    .map(([i, f]) => `${i}.${String(f).padStart(8, '0')}`),
  fc.tuple(fc.integer({ min: 1, max: 99999 }), fc.integer({ min: -400, max: 400 })).map(([m, e]) => `${m}e${e}`),
  powerDouble.map(String).filter((s) => !s.includes('Infinity')),
  fc.constantFrom(
    '0',
    '0.00',
    '12.50',
    '-0.000001',
    '0.0000009999',
    '999999999.999999',
    '999999999999999',
    '1000000000000000',
    '123456789012345678901234567890.5',
    'NaN',
    'Infinity',
    '-Infinity',
    overflow,
    `-${overflow}`,
    `${overflow.slice(0, -1)}${Number(overflow.at(-1)) - 1}`,
    underflow,
    `${underflow}1`,
    `-${underflow}1`,
  ),
);
/** Microseconds since 1970: from Postgres' first instant (4714 BC) to the last one a JavaScript Date holds (275760). */
const instant = fc.oneof(
  fc.bigInt({ min: -210_866_803_200_000_000n, max: 8_639_900_000_000_000_000n }).map((us) => `${us}`),
  fc.bigInt({ min: 1_700_000_000_000_000n, max: 1_800_000_000_000_000n }).map((us) => `${us}`),
  fc.constantFrom(
    'infinity',
    '-infinity',
    '-62135596800000000',
    '-62135596800000001',
    '253402300800000000',
    '-2208988800123456',
  ),
);
const integer = fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 });

const row = fc.record({
  period: fc.constantFrom('2025-Q2', '=1+1', '2025-Q3'),
  unitCode: text,
  unitName: text,
  parentCode: fc.option(text),
  indicator: text,
  numerator: fc.option(numeric),
  denominator: fc.option(numeric),
  value: fc.option(float8.map(doubleText)),
  counts: fc.tuple(integer, integer, integer, fc.nat()),
  computedAt: instant,
});
type Row = typeof row extends fc.Arbitrary<infer T> ? T : never;

/** An instant column's value from microseconds since 1970 (or ±infinity), exactly. */
const instantSql = (at: string) =>
  at.endsWith('infinity')
    ? sql`${at}::timestamptz`
    : sql`'1970-01-01 00:00:00+00'::timestamptz + (${at} || ' microseconds')::interval`;

async function seed(db: Db, rows: readonly Row[]) {
  await sql`truncate snapshot_row, snapshot_head, recast_row, recast_head, recast_version, recast_alias`.execute(db);
  for (const period of new Set(rows.map((r) => r.period))) {
    await sql`insert into snapshot_head values ('P', ${period}, '2025-06-30', 1, 'h', now())`.execute(db);
    await sql`insert into recast_head values ('P', ${period}, 1, 'h', now())`.execute(db);
  }
  for (const [i, r] of rows.entries()) {
    const level = ['commune', 'district', 'province'][i % 3]!;
    const common = sql`'P', ${r.period}, 1, ${level === 'district' ? 'commune' : level}, ${`${r.unitCode}#${i}`}, ${r.unitName},
      ${r.parentCode}, ${r.indicator}, ${r.numerator}::numeric, ${r.denominator}::numeric, ${r.value}::float8,
      ${r.counts[0]}, ${r.counts[1]}`;
    await sql`insert into snapshot_row (province_code, period, snapshot_version, level, unit_code, unit_name, parent_code,
        indicator, numerator, denominator, value, communes_reporting, communes_expected, computed_at, communes_covered)
      values ('P', ${r.period}, 1, ${level}, ${`${r.unitCode}#${i}`}, ${r.unitName}, ${r.parentCode}, ${r.indicator},
        ${r.numerator}::numeric, ${r.denominator}::numeric, ${r.value}::float8, ${r.counts[0]}, ${r.counts[1]},
        ${instantSql(r.computedAt)}, ${r.counts[2]})`.execute(db);
    await sql`insert into recast_row (province_code, period, recast_version, level, unit_code, unit_name, parent_code,
        indicator, numerator, denominator, value, predecessors_reporting, predecessors_expected, approximate_for,
        computed_at, communes_covered)
      values (${common}, ${i % 2 === 0 ? 0 : r.counts[3]}, ${instantSql(r.computedAt)}, ${r.counts[2]})`.execute(db);
  }
}

async function bytes(chunks: AsyncIterable<Buffer>): Promise<Buffer> {
  const all: Buffer[] = [];
  for await (const chunk of chunks) all.push(chunk);
  return Buffer.concat(all);
}

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
