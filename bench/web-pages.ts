// The login, upload and analyst pages loaded in Chromium on an emulated slow link (400 kbit/s,
// 300 ms latency, cache off): bytes transferred and time until each page can be used.
// Run: node bench/web-pages.ts   (Postgres and Redis on their default ports; Chromium at CHROMIUM_PATH or /usr/bin/chromium)
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pino } from 'pino';
import { chromium } from 'playwright-core';
import { createUser } from '../src/accounts/users.ts';
import { createToken } from '../src/accounts/tokens.ts';
import { start } from '../src/start.ts';
import { importUnits, unitsFromCsv } from '../src/units/import.ts';
import { benchEnvironment } from './support.ts';

const link = { latencyMs: 300, kbitPerSecond: 400 };
const runs = Number(process.env.WEB_BENCH_RUNS ?? 3);
const password = 'mat-khau-do-hieu-nang';
const namPo = new URL('../test/fixtures/nam-po/', import.meta.url).pathname;

const { config, drop } = await benchEnvironment('web');
const running = await start(config, 'all', { log: pino({ level: 'warn' }) });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
});
try {
  const { db } = running.deps;
  await importUnits(db, unitsFromCsv(await readFile(join(namPo, 'units.csv'), 'utf8')));
  const { token } = await createToken(db, { level: 'province', code: '11', roles: ['submit', 'read'] });
  for (const name of (await readdir(namPo)).filter((n) => /-hts-/u.test(n))) {
    const form = new FormData();
    form.append('file', new Blob([await readFile(join(namPo, name))]), name);
    const r = await fetch(new URL('/v1/submissions', running.url!), {
      method: 'POST',
      body: form,
      headers: { authorization: `Bearer ${token}` },
    });
    if (r.status !== 202) throw new Error(`upload ${name}: ${r.status}`);
  }
  for (;;) {
    const pending = await db
      .selectFrom('submission')
      .select('id')
      .where('status', 'in', ['queued', 'processing'])
      .execute();
    const due = await db.selectFrom('rollup_due').select('period').execute();
    const heads = await db.selectFrom('snapshot_head').select('period').execute();
    if (pending.length === 0 && due.length === 0 && heads.length > 0) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  await createUser(db, { username: 'xa.namtin', password, level: 'commune', code: '03156' });
  await createUser(db, { username: 'tinh.dienbien', password, level: 'province', code: '11' });

  const sessionCookie = async (username: string) => {
    const r = await fetch(new URL('/v1/session', running.url!), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });
    const [pair] = (r.headers.get('set-cookie') ?? '').split(';');
    const [name, value] = pair!.split('=');
    return { name: name!, value: value!, url: running.url! };
  };

  const pages = [
    { name: 'login', path: '/login', user: null },
    { name: 'upload', path: '/upload', user: 'xa.namtin' },
    { name: 'analyst', path: '/analyst?period=2023-Q2', user: 'tinh.dienbien' },
  ] as const;

  process.stdout.write(
    `link: ${link.kbitPerSecond} kbit/s, ${link.latencyMs} ms latency, cache off, fresh connections; median of ${runs} loads\n\n`,
  );
  process.stdout.write('page      requests   transferred   usable after   (each run, ms)\n');
  for (const p of pages) {
    const results: { bytes: number; requests: number; usable: number }[] = [];
    for (let i = 0; i < runs; i += 1) {
      const context = await browser.newContext({ viewport: { width: 360, height: 740 }, locale: 'vi-VN' });
      if (p.user) await context.addCookies([await sessionCookie(p.user)]);
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      await cdp.send('Network.enable');
      await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
      await cdp.send('Network.emulateNetworkConditions', {
        offline: false,
        latency: link.latencyMs,
        downloadThroughput: (link.kbitPerSecond * 1000) / 8,
        uploadThroughput: (link.kbitPerSecond * 1000) / 8,
      });
      let bytes = 0;
      let requests = 0;
      cdp.on('Network.loadingFinished', (e: { encodedDataLength: number }) => {
        bytes += e.encodedDataLength;
        requests += 1;
      });
      await page.goto(new URL(p.path, running.url!).toString(), { waitUntil: 'commit' });
      await page.waitForSelector('body[data-ready="true"]', { timeout: 60_000 });
      // From the start of navigation to the page's own "usable" mark (chrome.ts markReady).
      const usable = await page.evaluate(() => Math.round(performance.getEntriesByName('usable')[0]!.startTime));
      await page.waitForLoadState('networkidle');
      results.push({ bytes, requests, usable });
      await context.close();
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const kb = (median(results.map((r) => r.bytes)) / 1024).toFixed(1);
    process.stdout.write(
      `${p.name.padEnd(9)} ${String(median(results.map((r) => r.requests))).padStart(8)} ${`${kb} KB`.padStart(13)} ` +
        `${`${median(results.map((r) => r.usable))} ms`.padStart(14)} ` +
        `  (${results.map((r) => r.usable).join(', ')})\n`,
    );
  }
} finally {
  await browser.close();
  await running.stop();
  await drop();
}
