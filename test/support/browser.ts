import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { chromium, type Browser, type Page } from 'playwright-core';
import { expect } from 'vitest';

/** Debian's chromium (`apt-get install chromium`, as .ci/run does); CHROMIUM_PATH to use another. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(chromiumPath))
    throw new Error(`no Chromium at ${chromiumPath}: install it (apt-get install chromium) or set CHROMIUM_PATH`);
  return chromium.launch({
    executablePath: chromiumPath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
}

/** Where the tests leave their screenshots (git-ignored); the README shows copies from docs/screenshots. */
export const screenshotDir = new URL('../../test-results/screenshots/', import.meta.url).pathname;

/** Waits until the page script says the page can be used (chrome.ts markReady). */
export async function ready(page: Page): Promise<void> {
  await page.waitForSelector('body[data-ready="true"]', { timeout: 20_000 });
}

/**
 * Full-page screenshots at 1280 px and at 360 px (a phone), checking at 360 px that nothing but a
 * table's own scrolling region is wider than the screen.
 */
export async function screenshots(page: Page, name: string): Promise<void> {
  await mkdir(screenshotDir, { recursive: true });
  for (const width of [1280, 360]) {
    await page.setViewportSize({ width, height: width === 360 ? 740 : 900 });
    await page.waitForTimeout(150); // the charts redraw at the new width
    if (width === 360) {
      // The callback runs in the page; this program has no DOM types, hence `globalThis`.
      const wide = await page.evaluate(() => {
        const doc = (globalThis as any).document;
        const limit = doc.documentElement.clientWidth;
        if (doc.documentElement.scrollWidth <= limit) return [];
        return [...doc.querySelectorAll('body *')]
          .filter((el: any) => !el.closest('.table-wrap') && el.getBoundingClientRect().right > limit + 0.5)
          .map((el: any) => `${el.tagName.toLowerCase()}.${el.className} "${String(el.textContent).slice(0, 40)}"`);
      });
      expect(wide, `${name} is wider than a 360 px screen`).toEqual([]);
    }
    await page.screenshot({ path: `${screenshotDir}${name}-${width}.png`, fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

/** Logs in through the login page as a person does: type, Tab, type, Enter. */
export async function logIn(
  page: Page,
  baseUrl: string,
  username: string,
  password: string,
  path = '/',
): Promise<void> {
  await page.goto(new URL(path, baseUrl).toString());
  await ready(page);
  await page.keyboard.type(username);
  await page.keyboard.press('Tab');
  await page.keyboard.type(password);
  await page.keyboard.press('Enter');
  await page.waitForURL((url) => url.pathname !== '/login');
  await ready(page);
}
