import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { loadConfig } from '../../src/config.ts';
import type { Running } from '../../src/start.ts';
import { launchChromium, ready } from '../support/browser.ts';
import { useServices } from '../support/services.ts';
import { testPassword, userFor } from '../support/sessions.ts';

const services = useServices();
let running: Running;

beforeAll(async () => {
  running = await services.start('ingest');
  await userFor(services.db, 'xa.namtin', 'commune', '03156');
});

function tryLogin(baseUrl: string, username: string, password: string, headers: Record<string, string> = {}) {
  return fetch(new URL('/v1/session', baseUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ username, password }),
  }).then(async (r) => ({
    status: r.status,
    code: ((await r.json()) as any).error?.code as string | undefined,
  }));
}

describe('the login limit', () => {
  it('counts an attempt before its password is checked: of 40 parallel wrong passwords exactly 5 are tried', async () => {
    await userFor(services.db, 'bi.doan', 'commune', '03156');
    const answers = await Promise.all(
      Array.from({ length: 40 }, () => tryLogin(running.url!, 'bi.doan', 'sai-mat-khau')),
    );
    const tried = answers.filter((a) => a.code === 'TONGHOP_ERR_LOGIN_FAILED').length;
    expect(tried).toBe(5);
    expect(answers.filter((a) => a.code === 'TONGHOP_ERR_LOGIN_THROTTLED')).toHaveLength(40 - tried);
  });

  it('behind one proxy (TRUST_PROXY=1) counts the address the proxy saw, not one the client wrote in X-Forwarded-For', async () => {
    const behindProxy = await services.start('ingest', { TRUST_PROXY: loadConfig({ TRUST_PROXY: '1' }).TRUST_PROXY });
    const answers = [];
    // 51 names, so that only the per-address limit (50) can stop them.
    for (let i = 0; i < 51; i += 1) {
      answers.push(
        await tryLogin(behindProxy.url!, `khach${i}`, 'x', { 'x-forwarded-for': `198.51.100.${i}, 203.0.113.7` }),
      );
    }
    expect(answers.slice(0, 50).every((a) => a.code === 'TONGHOP_ERR_LOGIN_FAILED')).toBe(true);
    expect(answers[50]!.code).toBe('TONGHOP_ERR_LOGIN_THROTTLED');
    // Another address behind the same proxy is not held up.
    expect((await tryLogin(behindProxy.url!, 'khach-khac', 'x', { 'x-forwarded-for': '203.0.113.8' })).code).toBe(
      'TONGHOP_ERR_LOGIN_FAILED',
    );
  }, 300_000);

  it('refuses TRUST_PROXY=true, and takes a list of proxy addresses', () => {
    expect(() => loadConfig({ TRUST_PROXY: 'true' })).toThrow(/TRUST_PROXY/u);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.5, 10.1.0.0/16' }).TRUST_PROXY).toEqual(['10.0.0.5', '10.1.0.0/16']);
    expect(loadConfig({}).TRUST_PROXY).toBe(false);
  });

  it('takes a body of a few KB at most', async () => {
    const r = await fetch(new URL('/v1/session', running.url!), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'xa.namtin', password: 'x'.repeat(100_000) }),
    });
    expect(r.status).toBe(413);
  });
});

describe('after logging in, the login page', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  for (const next of [
    '/%09/evil.example',
    '//evil.example',
    '/\\evil.example',
    'https://evil.example/',
    'javascript:alert(1)',
  ]) {
    it(`goes to a page of ours only: next=${next} leads home`, async () => {
      const page = await browser.newPage();
      // This machine has no route to the outside: answer for evil.example, so that going there would succeed.
      await page.route(
        (url) => url.hostname === 'evil.example',
        (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<p>evil</p>' }),
      );
      const origin = new URL(running.url!).origin;
      await page.goto(`${origin}/login?next=${encodeURIComponent(next).replace('%2509', '%09')}`);
      await ready(page);
      await page.fill('#username', 'xa.namtin');
      await page.fill('#password', testPassword);
      await page.click('button[type=submit]');
      await page.waitForURL((url) => url.pathname !== '/login', { timeout: 45_000 });
      expect(new URL(page.url()).origin).toBe(origin);
      await page.close();
    }, 120_000);
  }

  it('keeps a page of ours with its query', async () => {
    const page = await browser.newPage();
    const origin = new URL(running.url!).origin;
    await page.goto(`${origin}/login?next=${encodeURIComponent('/upload?x=1')}`);
    await ready(page);
    await page.fill('#username', 'xa.namtin');
    await page.fill('#password', testPassword);
    await page.click('button[type=submit]');
    await page.waitForURL((url) => url.pathname === '/upload');
    expect(new URL(page.url()).search).toBe('?x=1');
    await page.close();
  });
});
