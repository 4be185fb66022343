import fc from 'fast-check';
import { sql } from 'kysely';
import type { Db } from '../../src/db/connect.ts';

// Hostile snapshot and recast rows for the exports' property tests (test/export/csv-sql.test.ts,
// xlsx-sql.test.ts): text that spreadsheets, CSV and XML treat specially, numbers at every edge
// of a double and of node-postgres' reading, instants from 4714 BC to 275760.

/** Pieces of text that csv.ts treats specially, or that are many bytes, or no character at all (half a surrogate pair). */
export const pieces = [
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
export const text = fc.oneof(
  fc.string({ unit: fc.constantFrom(...pieces), maxLength: 6 }),
  fc.string({ unit: 'binary', maxLength: 6 }).map((s) => s.replaceAll('\u0000', '')),
  fc.constantFrom('', '=HYPERLINK("http://evil","Xã")', '-0.5', '@SUM(A1)', '\t1', 'Xã Nậm Pồ, "huyện"; 1'),
);

/** A double as Postgres reads it back exactly (String(-0) would lose the sign). */
export const doubleText = (x: number) => (Object.is(x, -0) ? '-0' : String(x));
/** A double near each power of ten where either writer changes between plain and exponent notation. */
export const powerDouble = fc
  .tuple(fc.integer({ min: -9, max: 23 }), fc.constantFrom('1', '1.5', '9.999999999999999', '1.2345678901234567', '7'))
  .chain(([e, m]) => fc.constantFrom(`${m}e${e}`, `-${m}e${e}`))
  .map(Number);
export const float8 = fc.oneof(
  fc.double(),
  powerDouble,
  fc.constantFrom(0, -0, Number.NaN, Infinity, -Infinity, 5e-324, Number.MAX_VALUE, 1e-4, 1e15, 1e21, 0.1, 2 ** 53 + 2),
);

const overflow = (2n ** 1024n - 2n ** 970n).toString();
const underflow = `0.${(5n ** 1075n).toString().padStart(1075, '0')}`;
/** Numeric text: integers past 2^53, trailing zeros, exponents in and out of a double's range, and the halfway points to ±Infinity and 0. */
export const numeric = fc.oneof(
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
export const instant = fc.oneof(
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
export const integer = fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 });

export const row = fc.record({
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
export type Row = typeof row extends fc.Arbitrary<infer T> ? T : never;

/** An instant column's value from microseconds since 1970 (or ±infinity), exactly. */
const instantSql = (at: string) =>
  at.endsWith('infinity')
    ? sql`${at}::timestamptz`
    : sql`'1970-01-01 00:00:00+00'::timestamptz + (${at} || ' microseconds')::interval`;

export async function seed(db: Db, rows: readonly Row[]) {
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

export async function bytes(chunks: AsyncIterable<Buffer>): Promise<Buffer> {
  const all: Buffer[] = [];
  for await (const chunk of chunks) all.push(chunk);
  return Buffer.concat(all);
}
