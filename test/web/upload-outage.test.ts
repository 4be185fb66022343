import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { namPo } from '../support/builders.ts';
import { launchChromium, logIn, ready } from '../support/browser.ts';
import { useOwnServices } from '../support/own-services.ts';
import { testPassword, userFor } from '../support/sessions.ts';

const own = useOwnServices();
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  await userFor(own.db, 'xa.namtin', 'commune', '03156');
  browser = await launchChromium();
});

afterAll(async () => {
  for (const c of contexts) await c.close();
  await browser?.close();
});

async function officerOn(path: string): Promise<{ page: Page; context: BrowserContext }> {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    locale: 'vi-VN',
    timezoneId: 'Asia/Ho_Chi_Minh',
  });
  contexts.push(context);
  const page = await context.newPage();
  await logIn(page, own.running.url!, 'xa.namtin', testPassword, `/login?next=${encodeURIComponent(path)}`);
  return { page, context };
}

/** Nậm Tin's village report for another quarter, made from its 2023-Q2 file. */
async function namTin(quarter: 'III' | 'IV'): Promise<{ name: string; mimeType: string; buffer: Buffer }> {
  const q2 = await readFile(join(namPo, '03156-hts-ban-2023-Q2.csv'), 'utf8');
  return {
    name: `nam-tin-quy-${quarter}.csv`,
    mimeType: 'text/csv',
    buffer: Buffer.from(q2.replaceAll('Quý II/2023', `Quý ${quarter}/2023`)),
  };
}

const card = (page: Page, file: string) => page.locator(`li.file-card[data-file="${file}"]`);
const storedAs = async (filename: string) =>
  own.db.selectFrom('submission').select('status').where('filename', '=', filename).execute();

describe('the web pages through an outage', () => {
  it('an upload sent while offline says so in Vietnamese, goes by itself once the link is back, and is stored once', {
    timeout: 120_000,
  }, async () => {
    const { page, context } = await officerOn('/upload');
    const file = await namTin('III');
    await page.setInputFiles('#files', [file]);
    await context.setOffline(true);
    await page.getByRole('button', { name: 'Gửi báo cáo' }).click();
    await expect
      .poll(() => card(page, file.name).locator('.state').innerText())
      .toContain('Mất kết nối mạng, tệp chưa được nhận, sẽ tự gửi lại ngay khi có mạng');
    expect(await card(page, file.name).getAttribute('data-state')).toBe('waiting');
    expect(await page.locator('body').innerText()).not.toMatch(/network error|Failed to fetch/iu);
    await context.setOffline(false);
    await expect.poll(() => card(page, file.name).getAttribute('data-state'), { timeout: 60_000 }).toBe('accepted');
    expect(await storedAs(file.name)).toEqual([{ status: 'accepted' }]);
  });

  it('an upload sent during a Postgres crash hears 503, says when it goes again, and is accepted once Postgres is back, stored once', {
    timeout: 180_000,
  }, async () => {
    const { page } = await officerOn('/upload');
    const file = await namTin('IV');
    await page.setInputFiles('#files', [file]);
    await own.cluster.crash();
    await page.getByRole('button', { name: 'Gửi báo cáo' }).click();
    await expect
      .poll(() => card(page, file.name).locator('.state').innerText(), { timeout: 30_000 })
      .toMatch(
        /Hệ thống đang gián đoạn, tệp chưa được nhận, sẽ tự gửi lại sau \d+ giây \(lúc \d{2}:\d{2}:\d{2}, lần thử \d+\)/u,
      );
    await expect
      .poll(async () => (await card(page, file.name).locator('.state').innerText()).match(/lần thử (\d+)/u)?.[1], {
        timeout: 30_000,
      })
      .toBe('3');
    await own.cluster.start();
    await expect.poll(() => card(page, file.name).getAttribute('data-state'), { timeout: 90_000 }).toBe('accepted');
    // Every try carried the same Idempotency-Key: one submission, however many tries.
    expect(await storedAs(file.name)).toEqual([{ status: 'accepted' }]);
  });

  it('a list whose request drops says so in Vietnamese and loads by itself, with no raw browser error', {
    timeout: 120_000,
  }, async () => {
    const { page } = await officerOn('/upload');
    let dropped = 0;
    await page.route(
      (url) => url.pathname === '/v1/submissions',
      async (route) => {
        if (dropped < 2) {
          dropped += 1;
          return route.abort('connectionreset');
        }
        return route.continue();
      },
    );
    await page.goto(new URL('/submissions?commune=03156', own.running.url!).toString());
    await expect
      .poll(
        () =>
          page
            .locator('#connection-notice')
            .innerText()
            .catch(() => ''),
        { timeout: 15_000 },
      )
      .toMatch(/Không kết nối được tới máy chủ\. Sẽ tự thử lại sau \d+ giây/u);
    await ready(page);
    expect(dropped).toBe(2);
    await expect.poll(() => page.locator('#connection-notice').count()).toBe(0);
    const text = await page.locator('body').innerText();
    expect(text).toContain('nam-tin-quy-III.csv');
    expect(text).not.toMatch(/Failed to fetch|network error/iu);
  });
});
