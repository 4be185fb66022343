import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Running } from '../../src/start.ts';
import { getJson, importUnitFile, namPo, settled, tokenFor, upload } from '../support/builders.ts';
import { launchChromium, logIn, ready, screenshots } from '../support/browser.ts';
import { xaJson } from '../support/reports.ts';
import { useServices } from '../support/services.ts';
import { testPassword, userFor } from '../support/sessions.ts';

// The approver sees the period's data-quality warnings before approving (SPEC §8, issue 20): per
// commune on the approver page, and summed up above the approvals.
const services = useServices();
let running: Running;
let browser: Browser;
let page: Page;
let token: string;

/** A commune office's report (HTS-XA) whose measure `computers` is the one judged against history. */
const office = (commune: string, period: string, computers: number) => ({
  name: `${commune}-${period}.json`,
  bytes: xaJson(commune, period, {
    computers,
    broadband: Math.min(4, computers),
    staff: 20,
    staffWithComputer: 15,
    network: true,
    video: true,
  }),
});
const rowOf = (code: string) => page.locator('#communes tbody tr', { hasText: `(${code})` });

beforeAll(async () => {
  // Reports sent on 15 June 2023, before the 2023-Q2 deadline: the screenshot shows an ordinary quarter.
  running = await services.start('all', {}, { now: () => new Date('2023-06-15T03:00:00Z') });
  await importUnitFile(services.db, join(namPo, 'units.csv'));
  token = await tokenFor(services.db, 'province', '11');
  // 03156 has five earlier quarters of 10–11 computers, then reports 100: a planted jump. 03166 has
  // the same history and an ordinary figure; 03175 reports for the first time (no history, no verdict).
  const history = ['2022-Q1', '2022-Q2', '2022-Q3', '2022-Q4', '2023-Q1'];
  for (const commune of ['03156', '03166']) {
    for (const [i, period] of history.entries())
      expect((await upload(running.url!, token, [office(commune, period, 10 + (i % 2))])).status).toBe(202);
  }
  await settled(services.db, running.deps.queues);
  for (const [commune, computers] of [
    ['03156', 100],
    ['03166', 11],
    ['03175', 90],
  ] as const)
    expect((await upload(running.url!, token, [office(commune, '2023-Q2', computers)])).status).toBe(202);
  await settled(services.db, running.deps.queues);
  await userFor(services.db, 'pho.giamdoc', 'province', '11', ['read', 'approve']);
  browser = await launchChromium();
  const context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    locale: 'vi-VN',
    timezoneId: 'Asia/Ho_Chi_Minh',
  });
  page = await context.newPage();
  await logIn(page, running.url!, 'pho.giamdoc', testPassword);
});

afterAll(async () => {
  await browser?.close();
});

describe('the approver page shows data-quality warnings before approving (SPEC §8)', { timeout: 180_000 }, () => {
  it('counts a commune’s warnings, opens to their messages, and sums them up above the approvals', async () => {
    const api = await getJson(running.url!, token, '/v1/quality?form=HTS-XA&period=2023-Q2&province=11');
    expect(api.body.warnings).toEqual([expect.objectContaining({ commune: '03156', code: 'OUTLIER', value: 100 })]);

    await page.goto(new URL('/approver?form=HTS-XA&period=2023-Q2', running.url!).toString());
    await ready(page);
    // The summary stands in the card of the upper approvals, before the province's approve button.
    const upper = page.locator('section[aria-labelledby="upper-h"]');
    expect(await upper.locator('#quality-summary').innerText()).toContain(
      '1 cảnh báo chất lượng số liệu ở 1 xã — xem trước khi phê duyệt.',
    );
    const summaryFirst = await page.evaluate(() => {
      const doc = (globalThis as any).document;
      return Boolean(doc.getElementById('quality-summary').compareDocumentPosition(doc.getElementById('upper')) & 4);
    });
    expect(summaryFirst).toBe(true);
    expect(await upper.locator('#quality-summary a').getAttribute('href')).toBe('/quality?form=HTS-XA&period=2023-Q2');

    const flagged = rowOf('03156').locator('details.quality-details');
    expect(await flagged.getAttribute('data-warnings')).toBe('1');
    expect(await flagged.locator('summary').innerText()).toContain('1 cảnh báo');
    await flagged.locator('summary').click();
    expect(await flagged.locator('li').innerText()).toBe(api.body.warnings[0].message.vi);
    expect(await flagged.getByRole('link').getAttribute('href')).toBe('/quality?form=HTS-XA&period=2023-Q2#c-03156');
    // Without warnings: an ordinary figure, and a first report that has no history to judge against.
    for (const code of ['03166', '03175']) {
      expect(await rowOf(code).locator('details').count()).toBe(0);
      expect(await rowOf(code).innerText()).not.toContain('cảnh báo');
    }
    // axe on the page with the warnings open (test/web/audits.test.ts audits /approver for a period without any).
    await page.evaluate(readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8'));
    const axe = (await page.evaluate(() => (globalThis as any).axe.run({ resultTypes: ['violations'] }))) as {
      violations: { id: string; impact: string }[];
    };
    expect(axe.violations.filter((v) => v.impact === 'critical' || v.impact === 'serious').map((v) => v.id)).toEqual(
      [],
    );
    await screenshots(page, 'approver-quality');

    // The link leads to the analyst's page, at that commune's warnings beside their history.
    await flagged.getByRole('link').click();
    await page.waitForURL(/\/quality\?/u);
    await ready(page);
    expect(await page.locator('#quality-count').innerText()).toBe('1 cảnh báo ở 1 xã');
    expect(await page.locator('section[data-commune="03156"]').isVisible()).toBe(true);
  });

  it('says so when a period has no warnings', async () => {
    await page.goto(new URL('/approver?form=HTS-XA&period=2023-Q1', running.url!).toString());
    await ready(page);
    expect(await page.locator('#quality-summary').innerText()).toBe(
      'Không có cảnh báo chất lượng số liệu nào cho kỳ này.',
    );
    expect(await page.locator('#communes details').count()).toBe(0);
  });
});
