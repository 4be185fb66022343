import { beforeAll, describe, expect, it } from 'vitest';
import { revokeToken } from '../../src/accounts/tokens.ts';
import { connectDb } from '../../src/db/connect.ts';
import { buildApp } from '../../src/ingest/app.ts';
import type { Running } from '../../src/start.ts';
import { importUnits, unitsFromCsv } from '../../src/units/import.ts';
import { launchChromium } from '../support/browser.ts';
import { settled, tokenFor, upload } from '../support/builders.ts';
import { banCsv, randomVillages, seeded } from '../support/reports.ts';
import { useServices } from '../support/services.ts';

// What the service shows to whoever asks, and how: headers, the dashboard's cookie, metrics,
// readiness, exports (issue 14, items 13 and 14).
const services = useServices({ METRICS_TOKEN: 'metrics-secret-0123456789' });
let running: Running;
let admin: string;

beforeAll(async () => {
  running = await services.start('all');
  await importUnits(
    services.db,
    unitsFromCsv('province_code,province_name,commune_code,commune_name\n99,Tỉnh Thử,90001,Xã Một; Hai\n'),
  );
  admin = await tokenFor(services.db, 'admin');
});

const get = (url: string, headers: Record<string, string> = {}) => running.app!.inject({ method: 'GET', url, headers });

describe('JSON answers', () => {
  it('are marked no-store and nosniff', async () => {
    for (const url of ['/v1/forms', '/v1/snapshots', '/v1/submissions/1']) {
      const r = await get(url, { authorization: `Bearer ${admin}` });
      expect(r.headers['content-type']).toMatch(/application\/json/u);
      expect(r.headers['cache-control']).toBe('no-store');
      expect(r.headers['x-content-type-options']).toBe('nosniff');
    }
  });
});

describe('the queue dashboard', () => {
  it('is served with a content security policy and may not be framed', async () => {
    const page = await get('/admin/queues', { authorization: `Bearer ${admin}` });
    expect(page.headers['content-security-policy']).toMatch(/script-src 'self'/u);
    expect(page.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/u);
    expect(page.headers['x-frame-options']).toBe('DENY');
  });

  it('keeps a pass in its cookie, not the admin token, which revoking the token ends', async () => {
    const other = await tokenFor(services.db, 'admin');
    const link = await get(`/admin/queues?token=${encodeURIComponent(other)}`);
    const cookie = String(link.headers['set-cookie']).split(';')[0]!;
    expect(cookie).not.toContain(other);
    expect(cookie).not.toContain(encodeURIComponent(other));
    expect((await get('/admin/queues/api/queues', { cookie })).statusCode).toBe(200);
    // The pass is no bearer token for the API.
    expect((await get('/v1/status', { authorization: `Bearer ${cookie.split('=')[1]}` })).statusCode).toBe(401);
    const forged = cookie.replace(/.$/u, (c) => (c === 'A' ? 'B' : 'A'));
    expect((await get('/admin/queues/api/queues', { cookie: forged })).statusCode).toBe(401);
    await revokeToken(services.db, Number(/^tonghop_admin=(\d+)\./u.exec(cookie)![1]), new Date());
    expect((await get('/admin/queues/api/queues', { cookie })).statusCode).toBe(401);
  });

  it('renders in a browser under that policy', async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      const violations: string[] = [];
      page.on('console', (m) => {
        if (/Content Security Policy/iu.test(m.text())) violations.push(m.text());
      });
      await page.goto(new URL(`/admin/queues?token=${encodeURIComponent(admin)}`, running.url!).toString());
      await page.waitForSelector('text=normalize', { timeout: 20_000 });
      // bull-board asks Google for its fonts: kept out on purpose (no external CDN), it falls back to the system's.
      expect(violations.filter((v) => !v.includes('https://fonts.googleapis.com/'))).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});

describe('metrics and readiness', () => {
  it('/metrics answers only with METRICS_TOKEN', async () => {
    expect((await get('/metrics')).statusCode).toBe(401);
    expect((await get('/metrics', { authorization: 'Bearer wrong-0123456789abcdef' })).statusCode).toBe(401);
    const ok = await get('/metrics', { authorization: 'Bearer metrics-secret-0123456789' });
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toContain('process_resident_memory_bytes');
  });

  it('can be served on METRICS_PORT instead of the API port', async () => {
    const separate = await services.start('ingest', {
      METRICS_SEPARATE_PORT: true,
      METRICS_PORT: 0,
      METRICS_TOKEN: undefined,
    });
    expect((await fetch(new URL('/metrics', separate.url!))).status).toBe(404);
    expect((await fetch(new URL('/metrics', separate.metricsUrl!))).status).toBe(200);
  });

  it('readiness names what is down, not the driver error', async () => {
    const deadDb = connectDb('postgres://tonghop_user@127.0.0.1:1/tonghop_secret_name', { max: 1 });
    const app = await buildApp({ ...running.deps, db: deadDb });
    try {
      const r = await app.inject({ method: 'GET', url: '/health/ready' });
      expect(r.statusCode).toBe(503);
      expect(r.json()).toEqual({
        status: 'not ready',
        reasons: ['postgres_unavailable'],
        checks: { postgres: 'unavailable', redis: 'ok', migrations: 'unknown' },
      });
      expect(r.body).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|tonghop_secret_name/u);
    } finally {
      await app.close();
      await deadDb.destroy();
    }
  });
});

describe('the CSV export', () => {
  it('quotes a field that holds a semicolon, which Vietnamese-locale Excel splits on', async () => {
    const r = await upload(running.url!, admin, [
      { name: 'a.csv', bytes: banCsv('90001', '2023-Q2', randomVillages(seeded(1), 2)) },
    ]);
    expect(r.status).toBe(202);
    await settled(services.db, running.deps.queues);
    const csv = await get('/v1/snapshots?format=csv&level=commune&period=2023-Q2', {
      authorization: `Bearer ${admin}`,
    });
    expect(csv.statusCode).toBe(200);
    expect(csv.body).toContain('"Xã Một; Hai"');
    expect(csv.body).not.toMatch(/,Xã Một; Hai,/u);
  });
});
