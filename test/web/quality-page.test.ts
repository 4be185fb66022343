import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Running } from '../../src/start.ts';
import { importUnitFile, namPo, settled, tokenFor, upload } from '../support/builders.ts';
import { launchChromium, logIn, screenshots } from '../support/browser.ts';
import { useServices } from '../support/services.ts';
import { testPassword, userFor } from '../support/sessions.ts';

// The analyst's data-quality page (SPEC §8): warnings by commune, each beside its history chart.
const services = useServices();
let running: Running;
let browser: Browser;

const office = (commune: string, period: string, computers: number) => ({
  name: `${commune}-${period}.json`,
  bytes: JSON.stringify({
    form: 'HTS-XA',
    commune,
    period,
    rows: [
      {
        'Số máy tính': computers,
        'Số máy tính kết nối internet băng rộng': Math.min(4, computers),
        'Số cán bộ, công chức': 20,
        'Số cán bộ, công chức được trang bị máy tính': 15,
        'Kết nối mạng truyền số liệu chuyên dùng': 'Có',
        'Có điểm cầu hội nghị truyền hình trực tuyến': 'Có',
      },
    ],
  }),
});

beforeAll(async () => {
  running = await services.start('all');
  await importUnitFile(services.db, join(namPo, 'units.csv'));
  const token = await tokenFor(services.db, 'province', '11');
  const history = ['2022-Q1', '2022-Q2', '2022-Q3', '2022-Q4', '2023-Q1'];
  for (const [commune, base] of [
    ['03156', 10],
    ['03165', 14],
    ['03166', 8],
  ] as const) {
    for (const [i, period] of history.entries())
      expect((await upload(running.url!, token, [office(commune, period, base + (i % 2))])).status).toBe(202);
  }
  await settled(services.db, running.deps.queues);
  // Two planted errors, one ordinary figure.
  for (const [commune, computers] of [
    ['03156', 100],
    ['03165', 0],
    ['03166', 9],
  ] as const)
    expect((await upload(running.url!, token, [office(commune, '2023-Q2', computers)])).status).toBe(202);
  await settled(services.db, running.deps.queues);
  await userFor(services.db, 'tinh.dienbien', 'province', '11');
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

describe('the data-quality page', () => {
  it('lists the warnings of a form and period by commune, each with the commune’s history chart', {
    timeout: 120_000,
  }, async () => {
    const context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      locale: 'vi-VN',
      timezoneId: 'Asia/Ho_Chi_Minh',
    });
    const page = await context.newPage();
    await logIn(
      page,
      running.url!,
      'tinh.dienbien',
      testPassword,
      '/login?next=%2Fquality%3Fform%3DHTS-XA%26period%3D2023-Q2',
    );
    expect(new URL(page.url()).pathname).toBe('/quality');
    expect(await page.locator('#quality-count').innerText()).toBe('3 cảnh báo ở 2 xã');
    const namTin = page.locator('section[data-commune="03156"]');
    expect(await namTin.locator('h2').innerText()).toContain('Xã Nậm Tin (03156)');
    expect(await namTin.innerText()).toContain(
      '(computers) là 100, khác thường so với 5 kỳ trước của xã: lịch sử cho thấy khoảng 8,2–11,8',
    );
    expect(await namTin.locator('svg[role="img"] circle').count()).toBe(6);
    expect(await page.locator('section[data-commune="03165"]').innerText()).toContain('là 0');
    expect(await page.locator('section[data-commune="03166"]').count()).toBe(0);
    await screenshots(page, 'quality');
    await context.close();
  });
});
