import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Running } from '../../src/start.ts';
import { importUnitFile, namPo, namPoFiles, settled, tokenFor, upload } from '../support/builders.ts';
import { launchChromium, logIn, ready, screenshots } from '../support/browser.ts';
import { useServices } from '../support/services.ts';
import { testPassword, userFor } from '../support/sessions.ts';
import { wordDocument, zipOf } from '../support/report-files.ts';

const services = useServices();
let running: Running;
let browser: Browser;
const contexts: BrowserContext[] = [];

/** Phìn Hồ and Si Pa Phìn have sent their village reports but not yet their commune office report. */
const notYet = ['03198', '03199'];

beforeAll(async () => {
  running = await services.start('all');
  await importUnitFile(services.db, join(namPo, 'units.csv'));
  const token = await tokenFor(services.db, 'province', '11');
  for (const file of await namPoFiles((n) => !notYet.some((c) => n.startsWith(`${c}-hts-xa`)))) {
    expect((await upload(running.url!, token, [file])).status).toBe(202);
  }
  await settled(services.db, running.deps.queues);
  await userFor(services.db, 'xa.namtin', 'commune', '03156');
  await userFor(services.db, 'tinh.dienbien', 'province', '11');
  await userFor(services.db, 'quantri', 'admin');
  browser = await launchChromium();
});

afterAll(async () => {
  for (const c of contexts) await c.close();
  await browser?.close();
});

async function newPage(): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    locale: 'vi-VN',
    timezoneId: 'Asia/Ho_Chi_Minh',
    acceptDownloads: true,
  });
  contexts.push(context);
  return context.newPage();
}

/** Nậm Tin's village report for 2023-Q3, made from its 2023-Q2 file. */
async function namTinQ3(): Promise<string> {
  const q2 = await readFile(join(namPo, '03156-hts-ban-2023-Q2.csv'), 'utf8');
  return q2.replaceAll('Quý II/2023', 'Quý III/2023');
}

/** The same report with three mistakes: a word for a number, an empty yes/no cell, more smartphone users than people. */
function withMistakes(csv: string): string {
  const lines = csv
    .trim()
    .split('\n')
    .map((l) => l.split(','));
  lines[1]![3] = 'năm mươi';
  lines[3]![5] = '';
  lines[4]![8] = String(Number(lines[4]![4]) + 10);
  return `${lines.map((l) => l.join(',')).join('\n')}\n`;
}

const csvFile = (name: string, text: string) => ({ name, mimeType: 'text/csv', buffer: Buffer.from(text) });

function card(page: Page, file: string) {
  return page.locator(`li.file-card[data-file="${file}"]`);
}

async function decided(page: Page, file: string): Promise<string> {
  const c = card(page, file);
  await expect
    .poll(async () => c.getAttribute('data-state'), { timeout: 30_000 })
    .toMatch(/^(accepted|rejected|duplicate|superseded|valid|invalid|failed)$/u);
  return (await c.getAttribute('data-state'))!;
}

describe('the web pages, in a real browser', () => {
  it('a commune officer logs in, uploads a valid file and a broken one, sees accepted and the full error list, uploads the correction, sees the new version', {
    timeout: 180_000,
  }, async () => {
    const page = await newPage();
    await page.goto(new URL('/upload', running.url!).toString());
    expect(new URL(page.url()).pathname).toBe('/login');
    await ready(page);
    await screenshots(page, 'login');
    await logIn(page, running.url!, 'xa.namtin', testPassword, '/login?next=%2Fupload');
    expect(new URL(page.url()).pathname).toBe('/upload');
    await expect.poll(() => page.locator('header').innerText()).toContain('Xã Nậm Tin (03156)');
    await screenshots(page, 'upload');

    const valid = await namTinQ3();
    const broken = withMistakes(valid);
    await page.setInputFiles('#files', [csvFile('nam-tin-quy-3.csv', valid), csvFile('nam-tin-quy-3-loi.csv', broken)]);
    await page.getByRole('button', { name: 'Gửi báo cáo' }).click();
    expect(await decided(page, 'nam-tin-quy-3.csv')).toBe('accepted');
    await expect
      .poll(() => card(page, 'nam-tin-quy-3.csv').locator('.state').innerText())
      .toContain('Đã tiếp nhận — phiên bản 1');
    expect(await decided(page, 'nam-tin-quy-3-loi.csv')).toBe('rejected');

    // Every error the API gives is on the page: row, column by its header, value, message in Vietnamese.
    const rejected = await services.db
      .selectFrom('submission')
      .select(['errors'])
      .where('filename', '=', 'nam-tin-quy-3-loi.csv')
      .executeTakeFirstOrThrow();
    const errors = rejected.errors as {
      row: number;
      row_label: string;
      column: string;
      value: string | null;
      code: string;
      message: { vi: string };
    }[];
    expect(errors.map((e) => e.code)).toEqual(
      expect.arrayContaining(['VALUE_NOT_INTEGER', 'VALUE_REQUIRED', 'RULE_AT_MOST']),
    );
    const shown = await card(page, 'nam-tin-quy-3-loi.csv')
      .locator('tbody tr')
      .evaluateAll((rows) => rows.map((r) => [...r.children].map((c) => (c as any).innerText.trim())));
    // The row as the spreadsheet numbers it, with its village under it.
    expect(shown).toEqual(
      errors.map((e) => [`${e.row}\n${e.row_label}`, e.column, e.value || '(trống)', e.message.vi]),
    );
    expect(shown.map((r) => r[1])).toEqual(
      expect.arrayContaining(['Số hộ', 'Có internet cáp quang', 'Số người dùng điện thoại thông minh']),
    );
    await expect
      .poll(() => card(page, 'nam-tin-quy-3-loi.csv').locator('.state').innerText())
      .toContain(`Bị từ chối — ${errors.length} lỗi`);
    await screenshots(page, 'upload-results');

    // The correction (one village added since version 1): checked first, which stores no submission, then sent.
    const corrected = `${valid.trim()}\n03156,Quý III/2023,Bản Nậm Tin Mới,30,150,Có,Có,Có,70,30\n`;
    const before = await services.db.selectFrom('submission').select('id').execute();
    await page.setInputFiles('#files', [csvFile('nam-tin-quy-3-da-sua.csv', corrected)]);
    await page.getByRole('button', { name: 'Kiểm tra trước khi gửi' }).click();
    expect(await decided(page, 'nam-tin-quy-3-da-sua.csv')).toBe('valid');
    expect(await card(page, 'nam-tin-quy-3-da-sua.csv').innerText()).toContain('Hợp lệ: 10 dòng');
    expect(await services.db.selectFrom('submission').select('id').execute()).toEqual(before);
    await page.getByRole('button', { name: 'Gửi báo cáo' }).click();
    await expect
      .poll(() => card(page, 'nam-tin-quy-3-da-sua.csv').getAttribute('data-state'), { timeout: 30_000 })
      .toBe('accepted');
    await expect
      .poll(() => card(page, 'nam-tin-quy-3-da-sua.csv').locator('.state').innerText())
      .toContain('Đã tiếp nhận — phiên bản 2');

    // The commune's submissions: version 2 current, version 1 superseded, the rejected upload beside them; its raw file downloads.
    await card(page, 'nam-tin-quy-3-da-sua.csv')
      .getByRole('link', { name: 'Xem các báo cáo đã gửi và những kỳ còn thiếu' })
      .click();
    await ready(page);
    const q3 = page.locator('table', {
      has: page.locator('caption', { hasText: 'Quý III/2023 · Hạ tầng số cấp thôn/bản (HTS-BAN)' }),
    });
    const versions = await q3
      .locator('tbody tr')
      .evaluateAll((rows) => rows.map((r) => [(r.children[0] as any).innerText, (r.children[1] as any).innerText]));
    expect(versions).toEqual([
      ['2', 'Đã tiếp nhận'],
      ['—', 'Bị từ chối'],
      ['1', 'Đã bị thay thế'],
    ]);
    const download = page.waitForEvent('download');
    await q3.getByRole('link', { name: /nam-tin-quy-3-da-sua\.csv/u }).click();
    expect((await readFile(await (await download).path())).toString()).toBe(corrected);
    const due = await page
      .locator('table', { has: page.locator('caption', { hasText: 'Tình trạng nộp theo kỳ' }) })
      .innerText();
    expect(due).toContain('Chưa nộp');
    expect(due).toMatch(/Quý III\/2023\s+✓ Phiên bản 2/u);
    await screenshots(page, 'submissions');

    // In English, the API's messages are shown in English.
    await page.getByRole('button', { name: 'Switch to English' }).click();
    await page.waitForURL(/submissions/u);
    await ready(page);
    await page.getByText(`Show ${errors.length} problems`).click();
    await expect
      .poll(() => page.locator('details[open] tbody').innerText())
      .toContain(errors[0]!.message.vi === '' ? '' : 'Must be a whole number');
    await screenshots(page, 'submissions-en');
  });

  it('a province officer sends a ZIP of two communes’ reports and a .docx: each archived file has its own card and outcome, the .docx is named as not taken', {
    timeout: 120_000,
  }, async () => {
    const page = await newPage();
    await logIn(page, running.url!, 'tinh.dienbien', testPassword, '/login?next=%2Fupload');
    await ready(page);
    const q4 = async (name: string) =>
      (await readFile(join(namPo, name), 'utf8'))
        .replaceAll('Quý II/2023', 'Quý IV/2023')
        .replaceAll('2023-Q2', '2023-Q4');
    const archive = zipOf([
      { name: 'pa-tan/03165-hts-ban.csv', data: Buffer.from(await q4('03165-hts-ban-2023-Q2.csv')) },
      { name: 'pa-tan/03165-hts-xa.json', data: Buffer.from(await q4('03165-hts-xa-2023-Q2.json')) },
      { name: '__MACOSX/pa-tan/._03165-hts-ban.csv', data: Buffer.from([0, 5, 22, 7]) },
    ]);
    await page.setInputFiles('#files', [
      { name: 'huyen-nam-po.zip', mimeType: 'application/zip', buffer: archive },
      {
        name: 'cong-van.docx',
        mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
        buffer: wordDocument(),
      },
    ]);
    await page.getByRole('button', { name: 'Gửi báo cáo' }).click();
    expect(await decided(page, 'pa-tan/03165-hts-ban.csv')).toBe('accepted');
    expect(await decided(page, 'pa-tan/03165-hts-xa.json')).toBe('accepted');
    expect(await card(page, 'huyen-nam-po.zip').locator('.state').first().innerText()).toContain(
      '2 tệp được nhận, 0 tệp không được nhận.',
    );
    expect(await decided(page, 'cong-van.docx')).toBe('failed');
    expect(await card(page, 'cong-van.docx').innerText()).toContain(
      'cong-van.docx: Chỉ nhận tệp Excel (.xlsx, .xls), LibreOffice (.ods), CSV hoặc JSON, hoặc tệp nén .zip chứa các tệp đó.',
    );
    await screenshots(page, 'upload-zip');
  });

  it('an analyst sees Nậm Pồ’s figures (fiber 65/121) and the missing communes, and drills from that figure down to the commune files', {
    timeout: 120_000,
  }, async () => {
    const page = await newPage();
    await logIn(page, running.url!, 'tinh.dienbien', testPassword);
    expect(new URL(page.url()).pathname).toBe('/analyst');
    await page.getByLabel('Kỳ báo cáo').selectOption('2023-Q2');
    await page.getByLabel('Chỉ tiêu').selectOption('fiber_village_rate');
    await page.getByRole('button', { name: 'Xem', exact: true }).click();
    await page.waitForURL(/period=2023-Q2/u);
    await ready(page);

    const namPoRow = page.locator('#districts tbody tr', { hasText: 'Huyện Nậm Pồ' });
    expect(await namPoRow.locator('td, th').allInnerTexts()).toEqual([
      '103',
      'Huyện Nậm Pồ',
      '53,7%',
      '65',
      '121',
      '15/15',
    ]);
    expect(await page.locator('#communes tbody tr').count()).toBe(15);
    const missing = await page.locator('#missing tbody tr').allInnerTexts();
    expect(missing).toHaveLength(2);
    expect(missing[0]).toMatch(
      /Xã Phìn Hồ \(03198\)\s+Huyện Nậm Pồ\s+Hạ tầng công nghệ thông tin tại UBND xã\s+Quý II\/2023, Hạ tầng số cấp thôn\/bản, lúc/u,
    );
    expect(missing[1]).toMatch(/Xã Si Pa Phìn \(03199\)/u);
    expect(await page.getByText('Hạ tầng công nghệ thông tin tại UBND xã (HTS-XA): 13/15 xã đã nộp').count()).toBe(1);
    expect(await page.locator('svg[role="img"]').count()).toBe(2);

    // Sorting by value puts the commune with the most fibre first, then the fewest.
    const header = page.locator('#communes thead button', { hasText: 'Giá trị' });
    await header.click();
    await header.click();
    expect(await page.locator('#communes thead th[aria-sort="descending"]').innerText()).toContain('Giá trị');
    const values = await page.locator('#communes tbody tr td:nth-child(3)').allInnerTexts();
    const numbers = values.map((v) => Number(v.replace(/[^\d,]/gu, '').replace(',', '.')));
    expect(numbers).toEqual([...numbers].sort((a, b) => b - a));

    // The raw data for software is what is on screen (test/web/analyst-exports.test.ts: the table for a spreadsheet).
    const csvHref = await page.getByRole('link', { name: 'dữ liệu gốc cho phần mềm (CSV)' }).getAttribute('href');
    const csv = await (await page.request.get(new URL(csvHref!, running.url!).toString())).text();
    expect(csv).toMatch(/district,103,Huyện Nậm Pồ,11,2023-Q2,fiber_village_rate,65,121,/u);
    expect(csv.trim().split('\n')).toHaveLength(1 + 1 + 1 + 15);
    await screenshots(page, 'analyst');

    await namPoRow.getByRole('link').click();
    await ready(page);
    expect(new URL(page.url()).pathname).toBe('/lineage');
    expect(await page.locator('#figure').innerText()).toMatch(/53,7 ?%\s*= 65 \/ 121/u);
    const sources = page.locator('#sources tbody tr');
    expect(await sources.count()).toBe(15);
    expect(await sources.first().innerText()).toMatch(/Xã Chà Cang \(03166\)/u);
    const namTin = sources.filter({ hasText: 'Xã Nậm Tin (03156)' });
    expect(await namTin.innerText()).toContain('03156-hts-ban-2023-Q2.csv');
    const download = page.waitForEvent('download');
    await namTin.getByRole('link', { name: /03156-hts-ban-2023-Q2\.csv/u }).click();
    const [fixture] = await namPoFiles((n) => n.startsWith('03156-hts-ban'));
    expect((await readFile(await (await download).path())).equals(fixture!.bytes as Buffer)).toBe(true);
    await screenshots(page, 'lineage');
  });

  it('a commune user gets 403 for another commune’s page or file, even by editing the URL', {
    timeout: 60_000,
  }, async () => {
    const page = await newPage();
    await logIn(page, running.url!, 'xa.namtin', testPassword);
    const paTan = await services.db
      .selectFrom('submission')
      .select('id')
      .where('commune_code', '=', '03165')
      .where('form', '=', 'HTS-BAN')
      .executeTakeFirstOrThrow();

    for (const path of [
      '/submissions?commune=03165',
      '/upload?commune=03165',
      '/analyst',
      '/lineage?level=district&unit=103&period=2023-Q2&indicator=fiber_village_rate',
      '/status',
    ]) {
      const response = await page.goto(new URL(path, running.url!).toString());
      expect(response!.status(), path).toBe(403);
      await ready(page);
      expect(await page.locator('h1').innerText()).toBe('Không có quyền truy cập');
    }
    await screenshots(page, 'forbidden');
    for (const path of [
      `/v1/submissions/${paTan.id}/file`,
      '/v1/submissions?commune=03165',
      '/v1/due?commune=03165',
      '/v1/lineage?level=commune&unit=03165&period=2023-Q2&indicator=fiber_village_rate',
    ]) {
      const response = await page.request.get(new URL(path, running.url!).toString());
      expect(response.status(), path).toBe(403);
      expect(((await response.json()) as any).error.message.vi).toMatch(/quyền/u);
    }
    const own = await page.goto(new URL('/submissions?commune=03156', running.url!).toString());
    expect(own!.status()).toBe(200);
  });

  it('a write without the CSRF token is refused', { timeout: 60_000 }, async () => {
    const page = await newPage();
    await logIn(page, running.url!, 'xa.namtin', testPassword);
    const before = await services.db.selectFrom('submission').select('id').execute();
    const valid = await namTinQ3();
    const sent = await page.evaluate(async (text) => {
      const post = async (headers: Record<string, string>) => {
        const form = new FormData();
        form.append('file', new Blob([text], { type: 'text/csv' }), 'x.csv');
        const r = await fetch('/v1/submissions', { method: 'POST', body: form, headers });
        return { status: r.status, body: await r.json() };
      };
      const csrf = JSON.parse((globalThis as any).document.getElementById('boot').textContent).csrf as string;
      return {
        without: await post({}),
        forged: await post({ 'x-csrf-token': 'forged' }),
        logout: (await fetch('/v1/session', { method: 'DELETE' })).status,
        withToken: await post({ 'x-csrf-token': csrf }),
      };
    }, valid);
    expect(sent.without).toMatchObject({ status: 403, body: { error: { code: 'TONGHOP_ERR_CSRF' } } });
    expect(sent.forged.status).toBe(403);
    expect(sent.logout).toBe(403);
    expect(sent.withToken.status).toBe(202);
    const after = await services.db.selectFrom('submission').select('id').execute();
    expect(after.length).toBe(before.length + 1);
  });

  it('the operator’s status page shows queue counts, snapshot lag, the last rollups and failed jobs, and links to /admin/queues', {
    timeout: 60_000,
  }, async () => {
    await settled(services.db, running.deps.queues);
    const page = await newPage();
    await logIn(page, running.url!, 'quantri', testPassword);
    expect(new URL(page.url()).pathname).toBe('/status');
    const queues = await page.locator('table', { has: page.locator('caption', { hasText: 'Hàng đợi' }) }).innerText();
    expect(queues).toMatch(/normalize/u);
    expect(queues).toMatch(/rollup/u);
    expect(await page.locator('#lag').innerText()).toBe('0 giây');
    expect(await page.getByText('Không có công việc nào bị lỗi.').count()).toBe(1);
    expect(await page.getByRole('link', { name: /\/admin\/queues/u }).getAttribute('href')).toBe('/admin/queues');
    expect(
      await page
        .locator('table', { has: page.locator('caption', { hasText: 'Các lần tổng hợp gần nhất' }) })
        .locator('tbody tr')
        .count(),
    ).toBeGreaterThan(0);
    await screenshots(page, 'status');
  });
});
