import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { csvChunks } from '../../src/export/csv.ts';
import { xlsxStream } from '../../src/export/xlsx.ts';
import { recastColumns, streamRecast } from '../../src/read/recast.ts';
import { snapshotColumns, streamSnapshots } from '../../src/read/snapshots.ts';
import { vietnamDay } from '../../src/schema/vietnam-day.ts';
import { importUnitFile, namPo, namPoFiles, settled, tokenFor, upload } from '../support/builders.ts';
import { useServices } from '../support/services.ts';

const services = useServices();

async function* numbered(n: number) {
  for (let i = 1; i <= n; i += 1) yield { n: i, name: `Xã ${i}` };
}

describe('exports are whole or refuse', () => {
  it('an XLSX export past a sheet’s rows goes on in another sheet, every row once', async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of xlsxStream(['n', 'name'], numbered(7), 'rows', 3)) chunks.push(chunk as Buffer);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.concat(chunks) as any);
    expect(book.worksheets.map((s) => s.name)).toEqual(['rows', 'rows (2)', 'rows (3)']);
    const values = book.worksheets.flatMap((s) =>
      s
        .getSheetValues()
        .slice(2)
        .map((r: any) => r[1]),
    );
    expect(values).toEqual([1, 2, 3, 4, 5, 6, 7]);
    for (const s of book.worksheets) expect(s.getRow(1).values).toEqual([undefined, 'n', 'name']);
  });

  it('past the JSON bound the API refuses and says to export; the CSV and XLSX exports carry every row the view holds', async () => {
    const running = await services.start('all', { JSON_ROW_LIMIT: 100 });
    const { db } = services;
    await importUnitFile(db, join(namPo, 'units.csv'));
    const token = await tokenFor(db, 'province', '11');
    for (const file of await namPoFiles()) expect((await upload(running.url!, token, [file])).status).toBe(202);
    await settled(db, running.deps.queues);
    const expected = (
      await sql<{
        n: number;
      }>`select count(*)::int as n from analytics.indicator_snapshot where level = 'commune' and period = '2023-Q2'`.execute(
        db,
      )
    ).rows[0]!.n;
    expect(expected).toBeGreaterThan(100);

    const path = '/v1/snapshots?level=commune&period=2023-Q2';
    const get = (format: string) =>
      fetch(new URL(`${path}&format=${format}`, running.url!), { headers: { authorization: `Bearer ${token}` } });
    const json = await get('json');
    expect(json.status).toBe(413);
    expect(await json.json()).toMatchObject({ error: { code: 'TONGHOP_ERR_TOO_MANY_ROWS' } });

    const csv = await get('csv');
    expect(csv.status).toBe(200);
    const body = Buffer.from(await csv.arrayBuffer());
    const lines = body.toString().trim().split('\r\n');
    expect(lines).toHaveLength(expected + 1);
    // Postgres writes the lines (export/csv-sql.ts): the bytes csv.ts writes from the rows node-postgres reads.
    const principal = { level: 'province' as const, code: '11', id: 'test' };
    const filter = { level: 'commune' as const, period: '2023-Q2' };
    expect(
      body.equals(
        await bytes(csvChunks(snapshotColumns, streamSnapshots(db, principal, filter, vietnamDay(new Date())))),
      ),
    ).toBe(true);
    const current = await fetch(new URL(`${path}&format=csv&boundaries=current`, running.url!), {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(current.status).toBe(200);
    const recast = Buffer.from(await current.arrayBuffer());
    expect(recast.toString().trim().split('\r\n').length).toBeGreaterThan(100);
    expect(recast.equals(await bytes(csvChunks(recastColumns, streamRecast(db, principal, filter))))).toBe(true);

    const xlsx = await get('xlsx');
    expect(xlsx.status).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(await xlsx.arrayBuffer()) as any);
    expect(book.worksheets[0]!.actualRowCount).toBe(expected + 1);

    const narrow = await getJsonRows(running.url!, token, `${path}&unit=03156`);
    expect(narrow).toBe(10);
  });
});

async function getJsonRows(base: string, token: string, path: string): Promise<number> {
  const r = await fetch(new URL(path, base), { headers: { authorization: `Bearer ${token}` } });
  expect(r.status).toBe(200);
  return ((await r.json()) as { snapshots: unknown[] }).snapshots.length;
}

async function bytes(chunks: AsyncIterable<Buffer>): Promise<Buffer> {
  const all: Buffer[] = [];
  for await (const chunk of chunks) all.push(chunk);
  return Buffer.concat(all);
}
