import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Running } from '../../src/start.ts';
import { importUnitFile, namPo, namPoFiles, settled, tokenFor, upload } from '../support/builders.ts';
import { launchChromium, logIn, screenshots } from '../support/browser.ts';
import { contrast } from '../support/contrast.ts';
import { useServices } from '../support/services.ts';
import { testPassword, userFor } from '../support/sessions.ts';

const services = useServices();
let running: Running;
let browser: Browser;
const contexts: BrowserContext[] = [];
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

beforeAll(async () => {
  running = await services.start('all');
  await importUnitFile(services.db, join(namPo, 'units.csv'));
  const token = await tokenFor(services.db, 'province', '11');
  for (const file of await namPoFiles()) expect((await upload(running.url!, token, [file])).status).toBe(202);
  // Nậm Tin's village report sent a second time: two submissions of one period and form.
  const [again] = await namPoFiles((n) => n.startsWith('03156-hts-ban'));
  expect((await upload(running.url!, token, [again!])).status).toBe(202);
  await settled(services.db, running.deps.queues);
  await userFor(services.db, 'xa.namtin', 'commune', '03156');
  await userFor(services.db, 'tinh.dienbien', 'province', '11');
  await userFor(services.db, 'quantri', 'admin');
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  for (const c of contexts) await c.close();
  await browser?.close();
});

async function newPage(width = 1280, extra: Parameters<Browser['newContext']>[0] = {}): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width, height: 800 },
    locale: 'vi-VN',
    timezoneId: 'Asia/Ho_Chi_Minh',
    ...extra,
  });
  contexts.push(context);
  return context.newPage();
}

/** The focused element's ring and what it is drawn on: the first ancestor with a background of its own. */
function focusRing(page: Page) {
  return page.evaluate(() => {
    const doc = (globalThis as any).document;
    const getComputedStyle = (globalThis as any).getComputedStyle;
    const el = doc.activeElement;
    const style = getComputedStyle(el);
    let under = el.parentElement;
    while (under && /rgba\(0, 0, 0, 0\)|transparent/u.test(getComputedStyle(under).backgroundColor))
      under = under.parentElement;
    return {
      what: `${el.tagName.toLowerCase()} "${String(el.textContent).trim().slice(0, 30)}"`,
      ring: style.outlineStyle === 'none' ? null : style.outlineColor,
      on: under ? getComputedStyle(under).backgroundColor : 'rgb(255, 255, 255)',
      body: el === doc.body,
    };
  });
}

describe('focus, landmarks and small things a keyboard and a screen reader meet', () => {
  it('every focus ring on the analyst, upload and status pages stands out 3:1 from what it is drawn on', {
    timeout: 60_000,
  }, async () => {
    for (const [user, path] of [
      ['tinh.dienbien', '/analyst?period=2023-Q2'],
      ['xa.namtin', '/upload'],
      ['quantri', '/status'],
    ] as const) {
      const page = await newPage();
      await logIn(page, running.url!, user, testPassword, `/login?next=${encodeURIComponent(path)}`);
      const seen: string[] = [];
      for (let i = 0; i < 14; i += 1) {
        await page.keyboard.press('Tab');
        const f = await focusRing(page);
        if (f.body) break;
        expect(f.ring, `${path}: ${f.what} has no focus ring`).not.toBeNull();
        const ratio = contrast(f.ring!, f.on);
        expect(ratio, `${path}: ${f.what} ring ${f.ring} on ${f.on}`).toBeGreaterThanOrEqual(3);
        seen.push(f.what);
      }
      expect(seen.length, path).toBeGreaterThan(4);
    }
  });

  it('after “Kiểm tra trước khi gửi” and after “Gửi báo cáo” the focus is on the results, not on <body>', {
    timeout: 60_000,
  }, async () => {
    const page = await newPage();
    await logIn(page, running.url!, 'xa.namtin', testPassword, '/login?next=%2Fupload');
    const [file] = await namPoFiles((n) => n.startsWith('03156-hts-ban'));
    await page.setInputFiles('#files', [{ name: 'nam-tin.csv', mimeType: 'text/csv', buffer: file!.bytes as Buffer }]);
    await page.locator('#check').focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('li.file-card').getAttribute('data-state'), { timeout: 30_000 }).toBe('valid');
    expect(await page.evaluate(() => (globalThis as any).document.activeElement.id)).toBe('results-h');

    await page.locator('#send').focus();
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.locator('li.file-card').first().getAttribute('data-state'), { timeout: 30_000 })
      .toMatch(/^(accepted|duplicate)$/u);
    expect(await page.evaluate(() => (globalThis as any).document.activeElement.id)).toBe('results-h');
  });

  it('the status page keeps the focus through its 10-second refresh, and can be paused', {
    timeout: 60_000,
  }, async () => {
    const page = await newPage();
    await page.clock.install();
    await logIn(page, running.url!, 'quantri', testPassword, '/login?next=%2Fstatus');
    let reads = 0;
    page.on('request', (r) => {
      if (new URL(r.url()).pathname === '/v1/status') reads += 1;
    });
    await page.locator('#refresh').focus();
    await page.clock.runFor(10_500);
    await expect.poll(() => reads).toBe(1);
    await expect.poll(() => page.evaluate(() => (globalThis as any).document.activeElement.id)).toBe('refresh');

    await page.getByRole('button', { name: 'Tạm dừng tự làm mới' }).click();
    await expect
      .poll(() => page.getByRole('button', { name: 'Tạm dừng tự làm mới' }).getAttribute('aria-pressed'))
      .toBe('true');
    expect(await page.evaluate(() => (globalThis as any).document.activeElement.id)).toBe('pause');
    const before = reads;
    await page.clock.runFor(30_000);
    expect(reads).toBe(before);
    expect(await page.locator('main').innerText()).toContain('đã tạm dừng tự làm mới');
    await screenshots(page, 'status');
  });

  it('no two landmarks share a name on /status and on /submissions with a file sent twice (axe landmark-unique)', {
    timeout: 60_000,
  }, async () => {
    for (const [user, path] of [
      ['quantri', '/status'],
      ['xa.namtin', '/submissions'],
    ] as const) {
      const page = await newPage();
      await logIn(page, running.url!, user, testPassword, `/login?next=${encodeURIComponent(path)}`);
      await page.evaluate(axeSource);
      const result = await page.evaluate(() =>
        (globalThis as any).axe.run({ runOnly: ['landmark-unique', 'region', 'scrollable-region-focusable'] }),
      );
      expect(
        result.violations.map((v: any) => `${v.id}: ${v.nodes.map((n: any) => n.target).join(' ')}`),
        path,
      ).toEqual([]);
      expect(
        result.passes.map((p: any) => p.id),
        path,
      ).toContain('landmark-unique');
    }
  });

  it('at 360 px the lineage table’s clipped sort buttons take no Tab stop; at 1280 px they do', {
    timeout: 60_000,
  }, async () => {
    const path = '/lineage?level=district&unit=103&period=2023-Q2&indicator=fiber_village_rate';
    const page = await newPage(360);
    await logIn(page, running.url!, 'tinh.dienbien', testPassword, `/login?next=${encodeURIComponent(path)}`);
    const tabbedTo = async () => {
      const names: string[] = [];
      for (let i = 0; i < 40; i += 1) {
        await page.keyboard.press('Tab');
        names.push(
          await page.evaluate(() => {
            const el = (globalThis as any).document.activeElement;
            return el.closest('thead') ? `sort ${String(el.textContent).trim()}` : el.tagName;
          }),
        );
      }
      return names;
    };
    expect((await tabbedTo()).filter((n) => n.startsWith('sort'))).toEqual([]);
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.evaluate(() => (globalThis as any).document.activeElement.blur());
    await page.locator('h1').click();
    expect((await tabbedTo()).filter((n) => n.startsWith('sort')).length).toBeGreaterThan(2);
  });

  it('an unknown address answers a browser with a page in its language and a program with JSON', async () => {
    const url = new URL('/khong-co-trang-nay', running.url!);
    const html = await fetch(url, { headers: { accept: 'text/html,application/xhtml+xml' } });
    expect(html.status).toBe(404);
    expect(html.headers.get('content-type')).toMatch(/^text\/html/u);
    const text = await html.text();
    expect(text).toContain('<html lang="vi">');
    expect(text).toContain('Không tìm thấy trang');
    expect(text).toContain('Địa chỉ này không có trang nào.');
    const english = await fetch(url, { headers: { accept: 'text/html', cookie: 'tonghop_lang=en' } });
    expect(await english.text()).toContain('There is no page at this address.');
    const json = await fetch(url, { headers: { accept: 'application/json' } });
    expect(json.status).toBe(404);
    expect(await json.json()).toMatchObject({
      error: { code: 'TONGHOP_ERR_NOT_FOUND', message: { vi: 'Không tìm thấy.' } },
    });
    expect(
      (await fetch(new URL('/v1/khong-co', running.url!), { headers: { accept: 'text/html' } })).headers.get(
        'content-type',
      ),
    ).toMatch(/json/u);
  });

  it('file sizes are written the Vietnamese way: 1,5 MB', async () => {
    const page = await newPage();
    await logIn(page, running.url!, 'xa.namtin', testPassword, '/login?next=%2Fupload');
    // A string, so the test runner leaves the page's own import() alone.
    const sizes = await page.evaluate(`(async () => {
      const src = document.querySelector('script[type="module"]').src;
      const format = await import(src.replace(/[^/]+$/u, 'format.js'));
      return [format.fmtBytes(1.5 * 1024 * 1024), format.fmtBytes(2048), format.fmtBytes(300)];
    })()`);
    expect(sizes).toEqual(['1,5 MB', '2 KB', '300 B']);
  });
});
