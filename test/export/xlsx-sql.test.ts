import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDb, type Db } from '../../src/db/connect.ts';
import { xlsxRowsStream, xlsxStream } from '../../src/export/xlsx.ts';
import { recastColumns, streamRecast, streamRecastXlsxRows } from '../../src/read/recast.ts';
import { snapshotColumns, streamSnapshots, streamSnapshotXlsxRows } from '../../src/read/snapshots.ts';
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
import { useServices } from '../support/services.ts';
import { zipEntries as entries } from '../support/zip-entries.ts';

// The XLSX data export's rows are written by Postgres (src/export/xlsx-sql.ts); every part of the
// workbook must be what xlsx.ts writes from the rows node-postgres reads. Sheets of 7 rows, so
// that the row numbers start again in each sheet.
const services = useServices();
const admin = { level: 'admin' as const, code: null, id: 'test' };
const today = '2026-01-01';
const perSheet = 7;
let vietnam: Db;

beforeAll(() => {
  const url = new URL(services.env.DATABASE_URL!);
  url.searchParams.set('options', '-c TimeZone=Asia/Ho_Chi_Minh');
  vietnam = connectDb(url.toString(), { max: 2 });
});
afterAll(() => vietnam.destroy());

async function expectSameXlsx(db: Db, rows: readonly Row[]) {
  const sheets = Math.ceil(rows.length / perSheet);
  for (const [columns, old, fresh] of [
    [
      snapshotColumns,
      () => streamSnapshots(db, admin, {}, today),
      () => streamSnapshotXlsxRows(db, admin, {}, today, perSheet),
    ],
    [recastColumns, () => streamRecast(db, admin, {}), () => streamRecastXlsxRows(db, admin, {}, perSheet)],
  ] as const) {
    const before = entries(await bytes(xlsxStream(columns, old(), 'snapshots', perSheet)));
    const after = await bytes(xlsxRowsStream(columns, fresh(), 'snapshots', perSheet));
    expect([...entries(after).keys()]).toEqual([...before.keys()]);
    for (const [name, xml] of entries(after)) expect(xml).toBe(before.get(name));
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(after as any);
    expect(book.worksheets).toHaveLength(sheets);
    expect(book.worksheets.reduce((n, s) => n + s.actualRowCount - 1, 0)).toBe(rows.length);
  }
}

describe('an XLSX row written by Postgres', () => {
  it('is what xlsx.ts writes for the edge values of every column type', async () => {
    const edges = fc.sample(row, { numRuns: 1, seed: 1 })[0]!;
    const values = [...new Set([0, -0, Number.NaN, Infinity, -Infinity, 5e-324, ...fc.sample(powerDouble, 100)])];
    const numerics = fc.sample(numeric, 100);
    const instants = fc.sample(instant, 100);
    const names = [
      ...pieces,
      ' a',
      'a ',
      '\u00a0x',
      'x\u3000',
      '\ufeff',
      '\u2028',
      '\u000b',
      'a\u000c',
      '\u0085',
      '_x0041_x0042_',
      '&<>',
    ];
    const rows = Array.from({ length: 100 }, (_, i) => ({
      ...edges,
      unitName: names[i % names.length]!,
      value: doubleText(values[i % values.length]!),
      numerator: numerics[i]!,
      denominator: i % 7 === 0 ? null : numerics[(i * 13) % 100]!,
      computedAt: instants[i]!,
    }));
    await seed(services.db, rows);
    await expectSameXlsx(services.db, rows);
    await expectSameXlsx(vietnam, rows);
  });

  it('is what xlsx.ts writes, part for part, for generated hostile rows', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(row, { minLength: 1, maxLength: 20 }), async (rows) => {
        await seed(services.db, rows);
        await expectSameXlsx(services.db, rows);
        await expectSameXlsx(vietnam, rows);
      }),
      { numRuns: 40 },
    );
  });
});
