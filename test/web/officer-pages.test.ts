import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { connect, createServer, type AddressInfo, type Server } from 'node:net';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Running } from '../../src/start.ts';
import { importUnitFile, namPo, namPoFiles, settled, tokenFor, upload } from '../support/builders.ts';
import { launchChromium, logIn, ready } from '../support/browser.ts';
import { useServices } from '../support/services.ts';
import { testPassword, userFor } from '../support/sessions.ts';

/** Issue 21, points 1–5 and 9, as a commune officer and a province analyst meet them in Chromium. */
const services = useServices();
let running: Running;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  running = await services.start('all');
  await importUnitFile(services.db, join(namPo, 'units.csv'));
  const token = await tokenFor(services.db, 'province', '11');
  // Every Nậm Pồ 2023-Q2 report but Nậm Tin's commune office report (HTS-XA): due, and long overdue.
  for (const file of await namPoFiles((n) => n !== '03156-hts-xa-2023-Q2.json'))
    expect((await upload(running.url!, token, [file])).status).toBe(202);
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

/**
 * A TCP relay in front of the service that counts the bytes the browser sends through it: what goes
 * over the officer's link, whatever the browser reports (it reports no body size for a multipart
 * file upload).
 */
async function countingRelay(target: string): Promise<{ url: string; sent: () => number; server: Server }> {
  const { hostname, port } = new URL(target);
  let sent = 0;
  const server = createServer((client) => {
    const upstream = connect(Number(port), hostname);
    client.on('data', (chunk: Buffer) => {
      sent += chunk.length;
    });
    client.pipe(upstream).pipe(client);
    const close = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', close).on('close', close);
    upstream.on('error', close).on('close', close);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, sent: () => sent, server };
}

async function as(username: string, path: string, base = running.url!): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    locale: 'vi-VN',
    timezoneId: 'Asia/Ho_Chi_Minh',
  });
  contexts.push(context);
  const page = await context.newPage();
  await logIn(page, base, username, testPassword, `/login?next=${encodeURIComponent(path)}`);
  return page;
}

const card = (page: Page, file: string) => page.locator(`li.file-card[data-file="${file}"]`);
async function decided(page: Page, file: string): Promise<string> {
  await expect
    .poll(() => card(page, file).getAttribute('data-state'), { timeout: 30_000 })
    .toMatch(/^(accepted|rejected|duplicate|superseded|valid|invalid|failed)$/u);
  return (await card(page, file).getAttribute('data-state'))!;
}

async function namTin(quarter: string, edit: (lines: string[][]) => void = () => {}): Promise<string> {
  const lines = (await readFile(join(namPo, '03156-hts-ban-2023-Q2.csv'), 'utf8'))
    .replaceAll('Quý II/2023', quarter)
    .trim()
    .split('\n')
    .map((l) => l.split(','));
  edit(lines);
  return `${lines.map((l) => l.join(',')).join('\n')}\n`;
}
const csv = (name: string, text: string) => ({ name, mimeType: 'text/csv', buffer: Buffer.from(text) });

describe('the officer pages, second round (issue 21)', () => {
  it('3. a checked file is sent by "Gửi tệp này" without its bytes going over the link again, as the same submission an upload makes', {
    timeout: 120_000,
  }, async () => {
    const relay = await countingRelay(running.url!);
    try {
      const page = await as('xa.namtin', '/upload', relay.url);
      // A bigger file than the seed's, so that the bytes counted say something: a thousand villages.
      const text = await namTin('Quý IV/2023', (lines) => {
        const row = lines[1]!;
        lines.splice(1);
        for (let i = 0; i < 1000; i += 1) lines.push(row.map((cell, k) => (k === 2 ? `Bản Thử ${i}` : cell)));
      });
      const file = csv('nam-tin-quy-4.csv', text);
      await page.setInputFiles('#files', [file]);
      const beforeCheck = relay.sent();
      await page.getByRole('button', { name: 'Kiểm tra trước khi gửi' }).click();
      expect(await decided(page, file.name)).toBe('valid');
      const checkBytes = relay.sent() - beforeCheck;
      expect(await card(page, file.name).innerText()).toContain(
        'Hợp lệ: 1000 dòng (Hạ tầng số cấp thôn/bản (HTS-BAN), Xã Nậm Tin (03156), Quý IV/2023)',
      );
      const beforeSend = relay.sent();
      await card(page, file.name).getByRole('button', { name: 'Gửi tệp này' }).click();
      await expect.poll(() => card(page, file.name).getAttribute('data-state'), { timeout: 30_000 }).toBe('accepted');
      const sendBytes = relay.sent() - beforeSend;
      // The check carried the file; the send (its request and the status polls after it) a tenth of it at most.
      expect(file.buffer.length).toBeGreaterThan(60_000);
      expect(checkBytes).toBeGreaterThan(file.buffer.length);
      expect(sendBytes).toBeLessThan(file.buffer.length / 10);

      const stored = await services.db
        .selectFrom('submission as s')
        .innerJoin('submission_file as f', 'f.submission_id', 's.id')
        .select(['s.filename', 's.sha256', 's.status', 's.byte_size', 'f.bytes'])
        .where('s.filename', '=', file.name)
        .execute();
      expect(stored).toHaveLength(1);
      expect(stored[0]).toMatchObject({
        filename: file.name,
        status: 'accepted',
        byte_size: file.buffer.length,
        sha256: createHash('sha256').update(file.buffer).digest('hex'),
      });
      expect(Buffer.compare(stored[0]!.bytes, file.buffer)).toBe(0);
    } finally {
      relay.server.close();
    }
  });

  it('3. a checked file the server no longer keeps (expired, restarted without it) is sent by its bytes after all, once', {
    timeout: 120_000,
  }, async () => {
    const page = await as('xa.namtin', '/upload');
    const file = csv('nam-tin-quy-1-2025.csv', await namTin('Quý I/2025'));
    await page.setInputFiles('#files', [file]);
    await page.getByRole('button', { name: 'Kiểm tra trước khi gửi' }).click();
    expect(await decided(page, file.name)).toBe('valid');
    await services.db.deleteFrom('checked_file').execute();
    await card(page, file.name).getByRole('button', { name: 'Gửi tệp này' }).click();
    await expect.poll(() => card(page, file.name).getAttribute('data-state'), { timeout: 30_000 }).toBe('accepted');
    expect(await page.locator('body').innerText()).not.toMatch(/không còn được giữ/u);
    expect(
      await services.db.selectFrom('submission').select('status').where('filename', '=', file.name).execute(),
    ).toEqual([{ status: 'accepted' }]);
  });

  it('4. another commune’s file says it is not theirs, by name; a rejected card says its status once and to fix the file; errors name the village', {
    timeout: 120_000,
  }, async () => {
    const page = await as('xa.namtin', '/upload');
    const other = csv('pa-tan.csv', await readFile(join(namPo, '03165-hts-ban-2023-Q2.csv'), 'utf8'));
    const broken = csv('nam-tin-loi.csv', await namTin('Quý I/2024', (lines) => (lines[2]![3] = 'năm mươi')));
    await page.setInputFiles('#files', [other, broken]);
    await page.getByRole('button', { name: 'Gửi báo cáo' }).click();
    expect(await decided(page, other.name)).toBe('rejected');
    const otherText = await card(page, other.name).innerText();
    expect(otherText).toContain('không phải xã của bạn (03156 – Xã Nậm Tin)');
    expect(otherText).toContain('03165 – Xã Pa Tần');
    expect(otherText).not.toContain('khác với giá trị đã chọn');
    expect(await decided(page, broken.name)).toBe('rejected');
    const state = await card(page, broken.name).locator('.state').innerText();
    expect(state).toBe('Bị từ chối — 1 lỗi. Hãy sửa những chỗ này trong tệp của bạn rồi gửi lại tệp.');
    expect(state.match(/Bị từ chối/gu)).toHaveLength(1);
    expect(await page.locator('body').innerText()).not.toMatch(/các ô dưới đây/u);
    const village = (await readFile(join(namPo, '03156-hts-ban-2023-Q2.csv'), 'utf8')).split('\n')[2]!.split(',')[2]!;
    expect(await card(page, broken.name).locator('tbody tr').first().innerText()).toMatch(
      new RegExp(`^3\\s+${village}`, 'u'),
    );
  });

  it('4, 5, 9. the submissions page: forms by title, unread files under words, overdue marked, each due cell linking to a prefilled upload', {
    timeout: 120_000,
  }, async () => {
    const token = await tokenFor(services.db, 'commune', '03156');
    // As the upload page sends it: naming the officer's commune, under which the unread file is listed.
    expect(
      (await upload(running.url!, token, [{ name: 'khong-ro.csv', bytes: 'a,b\n1,2\n' }], { commune: '03156' })).status,
    ).toBe(202);
    await settled(services.db, running.deps.queues);
    const page = await as('xa.namtin', '/submissions');
    const text = await page.locator('main').innerText();
    expect(text).toContain('Tệp không đọc được biểu mẫu hay kỳ báo cáo');
    expect(text).not.toContain('— · ?');
    const due = page.locator('table', {
      has: page.locator('caption', { hasText: 'Tình trạng nộp theo kỳ và biểu mẫu' }),
    });
    expect(await due.locator('thead').innerText()).toContain('Hạ tầng số cấp thôn/bản (HTS-BAN)');
    const q2 = due.locator('tbody tr', { hasText: 'Quý II/2023' });
    expect(await q2.innerText()).toMatch(/Chưa nộp · hạn \d{2}\/\d{2}\/2023 · quá hạn \d+ ngày làm việc/u);
    expect(await q2.locator('.overdue').count()).toBe(1);
    expect(await q2.getByRole('link', { name: 'Gửi lại Hạ tầng số cấp thôn/bản, Quý II/2023' }).count()).toBe(1);
    await q2.getByRole('link', { name: 'Gửi Hạ tầng công nghệ thông tin tại UBND xã, Quý II/2023' }).click();
    await ready(page);
    expect(new URL(page.url()).pathname).toBe('/upload');
    expect(await page.locator('#form').inputValue()).toBe('HTS-XA');
    expect(await page.locator('#period').inputValue()).toBe('2023-Q2');
  });

  it('1. "Xem N lỗi" after a request that dropped: the problems load by themselves, no raw browser error', {
    timeout: 120_000,
  }, async () => {
    const page = await as('xa.namtin', '/submissions');
    let dropped = 0;
    await page.route(
      (url) => /^\/v1\/submissions\/\d+$/u.test(url.pathname),
      async (route) => {
        if (dropped < 1) {
          dropped += 1;
          return route.abort('connectionreset');
        }
        return route.continue();
      },
    );
    await page
      .getByText(/^Xem \d+ lỗi$/u)
      .first()
      .click();
    await expect
      .poll(
        () =>
          page
            .locator('details[open] tbody')
            .innerText()
            .catch(() => ''),
        { timeout: 20_000 },
      )
      .not.toBe('');
    expect(dropped).toBe(1);
    expect(await page.locator('body').innerText()).not.toMatch(/Failed to fetch|network error/iu);
  });

  it('1. the status page whose request drops says so in Vietnamese and loads by itself', {
    timeout: 120_000,
  }, async () => {
    const context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      locale: 'vi-VN',
      timezoneId: 'Asia/Ho_Chi_Minh',
    });
    contexts.push(context);
    const page = await context.newPage();
    let dropped = 0;
    await page.route(
      (url) => url.pathname === '/v1/status',
      async (route) => {
        if (dropped < 2) {
          dropped += 1;
          return route.abort('internetdisconnected');
        }
        return route.continue();
      },
    );
    await logIn(page, running.url!, 'quantri', testPassword, `/login?next=${encodeURIComponent('/status')}`);
    expect(dropped).toBe(2);
    expect(await page.locator('main').innerText()).toContain('Hàng đợi');
    expect(await page.locator('body').innerText()).not.toMatch(/Failed to fetch|network error|Không tải được/iu);
  });

  it('2, 5. the analyst opens a period being collected from the picker, and "Xem" keeps it; the admin picks provinces by name', {
    timeout: 120_000,
  }, async () => {
    const page = await as('tinh.dienbien', '/analyst');
    const collecting = page.locator('#period option', { hasText: 'chưa có số liệu' });
    expect(await collecting.count()).toBeGreaterThan(0);
    const value = (await collecting.first().getAttribute('value'))!;
    await page.locator('#period').selectOption(value);
    await page.getByRole('button', { name: 'Xem', exact: true }).click();
    await page.waitForURL((url) => url.searchParams.get('period') === value);
    await ready(page);
    expect(await page.locator('#period').inputValue()).toBe(value);
    expect(await page.locator('main').innerText()).toContain('Xã chưa nộp');
    // Again with the period only in the address: the picker shows it, and "Xem" does not switch back.
    await page.getByRole('button', { name: 'Xem', exact: true }).click();
    await ready(page);
    expect(new URL(page.url()).searchParams.get('period')).toBe(value);

    const admin = await as('quantri', '/analyst');
    expect(await admin.locator('#province option[value="11"]').innerText()).toBe('Tỉnh Điện Biên (11)');
  });
});
