import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Running } from '../../src/start.ts';
import { importUnitFile, namPo, namPoFiles, settled, tokenFor, upload } from '../support/builders.ts';
import { launchChromium, logIn, ready, screenshotDir, screenshots } from '../support/browser.ts';
import { useServices } from '../support/services.ts';
import { testPassword, userFor } from '../support/sessions.ts';

const services = useServices();
let running: Running;
let token: string;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  running = await services.start('all');
  await importUnitFile(services.db, join(namPo, 'units.csv'));
  token = await tokenFor(services.db, 'province', '11');
  for (const file of await namPoFiles()) expect((await upload(running.url!, token, [file])).status).toBe(202);
  await settled(services.db, running.deps.queues);
  await userFor(services.db, 'tinh.dienbien', 'province', '11');
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  for (const c of contexts) await c.close();
  await browser?.close();
});

const table = '/v1/snapshots?province=11&period=2023-Q2&indicator=fiber_village_rate&view=table';
const get = (path: string) => fetch(new URL(path, running.url!), { headers: { authorization: `Bearer ${token}` } });

/**
 * A cell as a Vietnamese-locale spreadsheet takes it: `="03156"` is the text 03156, `53,7` the
 * number 53.7 (decimal comma), anything else text.
 */
function vietnameseCell(text: string): string | number {
  const formula = /^="(.*)"$/u.exec(text);
  if (formula) return formula[1]!;
  return /^-?\d+(,\d+)?$/u.test(text) ? Number(text.replace(',', '.')) : text;
}

describe('the analyst’s downloads are the table the page shows', () => {
  it('the CSV for a spreadsheet: Vietnamese headers, names, Quý II/2023, rounded % by 65/121, Vietnam time, `;`, leading zeros, a clear name', async () => {
    const r = await get(`${table}&format=csv&lang=vi`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-disposition')).toBe(
      `attachment; filename="tonghop-Dien-Bien-Quy-II-2023-Ty-le-thon-co-cap-quang.csv"; ` +
        `filename*=UTF-8''${encodeURIComponent('tonghop-Điện-Biên-Quý-II-2023-Tỷ-lệ-thôn-có-cáp-quang.csv')}`,
    );
    const bytes = Buffer.from(await r.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows: string[][] = parse(bytes, { delimiter: ';', bom: true, relax_column_count: false });
    expect(rows[0]).toEqual([
      'Cấp',
      'Mã đơn vị',
      'Tên đơn vị',
      'Kỳ báo cáo',
      'Chỉ tiêu',
      'Giá trị',
      'Đơn vị tính',
      'Tử số',
      'Mẫu số',
      'Số xã đã nộp',
      'Số xã phải nộp',
      'Tính lúc (giờ Việt Nam)',
    ]);
    const cells = rows.slice(1).map((row) => row.map(vietnameseCell));
    const namPoRow = cells.find((c) => c[2] === 'Huyện Nậm Pồ')!;
    expect(namPoRow.slice(0, 11)).toEqual([
      'Huyện',
      '103',
      'Huyện Nậm Pồ',
      'Quý II/2023',
      'Tỷ lệ thôn có cáp quang',
      53.7,
      '%',
      65,
      121,
      15,
      15,
    ]);
    const namTin = cells.find((c) => c[2] === 'Xã Nậm Tin')!;
    expect(namTin[1]).toBe('03156');
    // Vietnam time, day first: the stored instant plus seven hours.
    const stored = await services.db
      .selectFrom('analytics.indicator_snapshot')
      .select('computed_at')
      .where('unit_code', '=', '103')
      .where('period', '=', '2023-Q2')
      .where('indicator', '=', 'fiber_village_rate')
      .executeTakeFirstOrThrow();
    const vn = new Date(new Date(stored.computed_at as unknown as string).getTime() + 7 * 3_600_000).toISOString();
    expect(namPoRow[11]).toBe(`${vn.slice(8, 10)}/${vn.slice(5, 7)}/${vn.slice(0, 4)} ${vn.slice(11, 16)}`);
    expect(cells).toHaveLength(1 + 1 + 15);
  });

  it('LibreOffice opening that CSV with Vietnamese settings reads 03156 as text and 53,7 as a number', {
    timeout: 120_000,
  }, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tonghop-csv-'));
    try {
      const csv = Buffer.from(await (await get(`${table}&format=csv&lang=vi`)).arrayBuffer());
      await writeFile(join(dir, 'export.csv'), csv);
      // Kept beside the screenshots, for a look at the file itself (docs/screenshots/export-csv.png is it opened in LibreOffice).
      await mkdir(screenshotDir, { recursive: true });
      await writeFile(join(screenshotDir, 'export.csv'), csv);
      // `;` as separator, `"` as quote, UTF-8, from line 1, language vi-VN (1066): what a Vietnamese-locale office does.
      await promisify(execFile)(
        'soffice',
        [
          '--headless',
          `-env:UserInstallation=file://${dir}/profile`,
          '--infilter=CSV:59,34,76,1,,1066',
          '--convert-to',
          'xlsx',
          '--outdir',
          dir,
          join(dir, 'export.csv'),
        ],
        { timeout: 100_000 },
      );
      const book = new ExcelJS.Workbook();
      await book.xlsx.load((await readFile(join(dir, 'export.xlsx'))) as any);
      const sheet = book.worksheets[0]!;
      const row = sheet.getRows(2, sheet.rowCount - 1)!.find((r) => r.getCell(3).value === 'Xã Nậm Tin')!;
      const code = row.getCell(2).value as { result?: unknown } | string;
      expect(typeof code === 'string' ? code : code.result).toBe('03156');
      expect(row.getCell(6).value).toBeTypeOf('number');
      expect(sheet.getRow(1).getCell(1).value).toBe('Cấp');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('in English: English headers and names, Q2 2023, `,` and a decimal point; the raw data for software is unchanged', async () => {
    const rows: string[][] = parse(Buffer.from(await (await get(`${table}&format=csv&lang=en`)).arrayBuffer()), {
      delimiter: ',',
      bom: true,
    });
    expect(rows[0]!.slice(0, 6)).toEqual(['Level', 'Unit code', 'Unit', 'Period', 'Indicator', 'Value']);
    expect(rows.find((r) => r[2] === 'Huyện Nậm Pồ')!.slice(0, 9)).toEqual([
      'District',
      '="103"',
      'Huyện Nậm Pồ',
      'Q2 2023',
      'Villages with fibre',
      '53.7',
      '%',
      '65',
      '121',
    ]);

    const data = await get('/v1/snapshots?province=11&period=2023-Q2&indicator=fiber_village_rate&format=csv');
    expect(data.headers.get('content-disposition')).toBe('attachment; filename="tonghop-snapshots.csv"');
    expect(await data.text()).toMatch(
      /^level,unit_code,unit_name,parent_code,period,indicator,numerator,denominator,value,/u,
    );
  });

  it('the XLSX for a spreadsheet: codes as text, the percentage a number, the time a date in Vietnam', async () => {
    const r = await get(`${table}&format=xlsx&lang=vi`);
    expect(r.headers.get('content-disposition')).toContain(
      `filename*=UTF-8''${encodeURIComponent('tonghop-Điện-Biên-Quý-II-2023-Tỷ-lệ-thôn-có-cáp-quang.xlsx')}`,
    );
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(await r.arrayBuffer()) as any);
    const sheet = book.worksheets[0]!;
    expect(sheet.name).toBe('Số liệu');
    expect(sheet.getRow(1).getCell(6).value).toBe('Giá trị');
    const namTin = sheet.getRows(2, sheet.rowCount - 1)!.find((row) => row.getCell(3).value === 'Xã Nậm Tin')!;
    expect(namTin.getCell(2).value).toBe('03156');
    expect(namTin.getCell(4).value).toBe('Quý II/2023');
    expect(namTin.getCell(6).value).toBeTypeOf('number');
    expect(namTin.getCell(12).value).toBeInstanceOf(Date);
    expect(namTin.getCell(12).numFmt).toBe('dd/mm/yyyy hh:mm');
  });
});

describe('the analyst page on a phone and in another locale', () => {
  it('at 360 px the figure is on screen next to the unit’s name, and the page’s CSV link downloads the named table', {
    timeout: 60_000,
  }, async () => {
    const context = await browser.newContext({
      viewport: { width: 360, height: 740 },
      locale: 'vi-VN',
      timezoneId: 'Asia/Ho_Chi_Minh',
      acceptDownloads: true,
      isMobile: true,
      hasTouch: true,
    });
    contexts.push(context);
    const page = await context.newPage();
    await logIn(
      page,
      running.url!,
      'tinh.dienbien',
      testPassword,
      '/login?next=%2Fanalyst%3Fperiod%3D2023-Q2%26indicator%3Dfiber_village_rate',
    );
    for (const id of ['districts', 'communes']) {
      const head = page.locator(`#${id} thead th`).filter({ hasText: 'Giá trị' });
      const figure = page
        .locator(`#${id} tbody tr`)
        .first()
        .locator('td')
        .filter({ has: page.getByRole('link') });
      // Scrolled down to, never sideways: the table's own region stays where a thumb left it.
      await figure.evaluate((el) =>
        (globalThis as any).scrollTo(0, (el as any).getBoundingClientRect().top + (globalThis as any).scrollY - 200),
      );
      expect(await page.locator(`#${id}`).evaluate((el) => (el as any).parentElement.scrollLeft)).toBe(0);
      const box = (await figure.boundingBox())!;
      expect(box.x, id).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width, id).toBeLessThanOrEqual(360);
      expect(box.y, id).toBeGreaterThanOrEqual(0);
      expect(box.y + box.height, id).toBeLessThanOrEqual(740);
      expect(await head.isVisible()).toBe(true);
    }
    expect(await page.locator('#communes tbody tr').first().locator('td a').innerText()).toMatch(/^\d{1,3},\d ?%$/u);

    const download = page.waitForEvent('download');
    await page.getByRole('link', { name: 'CSV', exact: true }).click();
    expect((await download).suggestedFilename()).toBe('tonghop-Điện-Biên-Quý-II-2023-Tỷ-lệ-thôn-có-cáp-quang.csv');
  });

  it('with an American browser the as-of time is still day/month/year and 24-hour Vietnam time, both shown and read', {
    timeout: 60_000,
  }, async () => {
    const context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      locale: 'en-US',
      timezoneId: 'America/New_York',
    });
    contexts.push(context);
    const page = await context.newPage();
    // 6 December 2026, 09:30 in Vietnam.
    await logIn(
      page,
      running.url!,
      'tinh.dienbien',
      testPassword,
      `/login?next=${encodeURIComponent('/analyst?period=2023-Q2&as_of=2026-12-06T02:30:00.000Z')}`,
    );
    const date = page.getByLabel('Ngày (ngày/tháng/năm)');
    const time = page.getByLabel('Giờ (giờ:phút)');
    expect(await date.inputValue()).toBe('06/12/2026');
    expect(await time.inputValue()).toBe('09:30');
    expect(await date.getAttribute('type')).toBe('text');
    expect(await page.locator('input[type="datetime-local"], input[type="date"], input[type="time"]').count()).toBe(0);

    // A month-first date is refused in the page's words, not taken as another day.
    await date.fill('12/31/2026');
    await page.getByRole('button', { name: 'Xem', exact: true }).click();
    expect(await date.evaluate((el) => (el as unknown as { validationMessage: string }).validationMessage)).toBe(
      'Viết ngày theo dạng ngày/tháng/năm, ví dụ 06/12/2026.',
    );
    expect(new URL(page.url()).searchParams.get('as_of')).toBe('2026-12-06T02:30:00.000Z');

    await date.fill('01/07/2025');
    await time.fill('14:05');
    await page.getByRole('button', { name: 'Xem', exact: true }).click();
    await page.waitForURL((url) => url.searchParams.get('as_of') === '2025-07-01T07:05:00.000Z');
    await ready(page);
    expect(await page.getByLabel('Ngày (ngày/tháng/năm)').inputValue()).toBe('01/07/2025');
    await page.goto(new URL('/analyst?period=2023-Q2&indicator=fiber_village_rate', running.url!).toString());
    await ready(page);
    await screenshots(page, 'analyst');
  });
});
