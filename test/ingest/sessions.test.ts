import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { setUserDisabled } from '../../src/accounts/users.ts';
import type { Running } from '../../src/start.ts';
import { importUnitFile, namPo, namPoFiles, tokenFor } from '../support/builders.ts';
import { useServices } from '../support/services.ts';
import { login, userFor } from '../support/sessions.ts';

const services = useServices();
let running: Running;

beforeAll(async () => {
  running = await services.start('ingest');
  await importUnitFile(services.db, join(namPo, 'units.csv'));
});

async function send(path: string, init: RequestInit & { cookie?: string; csrf?: string; token?: string } = {}) {
  const headers: Record<string, string> = { ...(init.headers as Record<string, string>) };
  if (init.cookie) headers.cookie = init.cookie;
  if (init.csrf) headers['x-csrf-token'] = init.csrf;
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  const response = await fetch(new URL(path, running.url!), { ...init, headers });
  const text = await response.text();
  let body: any = text;
  try {
    body = JSON.parse(text);
  } catch {}
  return { status: response.status, body, headers: response.headers };
}

async function uploadForm(name: string) {
  const [file] = await namPoFiles((n) => n.startsWith(name));
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(file!.bytes as Buffer)]), file!.name);
  return form;
}

describe('accounts for people', () => {
  it('a login sets an HttpOnly, SameSite session cookie, Secure only when served over TLS, and the session says who is logged in', async () => {
    await userFor(services.db, 'xa.namtin', 'commune', '03156');
    const plain = await login(running.url!, 'XA.NamTin');
    expect(plain.status).toBe(200);
    expect(plain.body.user).toEqual({ username: 'xa.namtin', level: 'commune', code: '03156' });
    expect(plain.setCookie).toMatch(/^tonghop_session=[\w-]{43}; Path=\/; Max-Age=43200; HttpOnly; SameSite=Lax$/u);

    const behindTls = await services.start('ingest', { TRUST_PROXY: 1 });
    const secure = await login(behindTls.url!, 'xa.namtin', undefined, { 'x-forwarded-proto': 'https' });
    expect(secure.setCookie).toMatch(/; HttpOnly; Secure; SameSite=Lax$/u);

    const me = await send('/v1/session', { cookie: plain.cookie });
    expect(me.body.user).toEqual({ username: 'xa.namtin', level: 'commune', code: '03156' });
    // The CSRF token is masked afresh in every answer (BREACH): another string, the same session's.
    expect(me.body.csrf).toMatch(/^[\w-]{86}$/u);
    expect(me.body.csrf).not.toBe(plain.csrf);
    const stored = await services.db.selectFrom('user_session').select('id_hash').execute();
    expect(stored.some((s) => plain.cookie.includes(s.id_hash))).toBe(false);
  });

  it('a session and a token of the same scope are the same principal to the API: a commune reads its own commune and gets 403 for another', async () => {
    await userFor(services.db, 'xa.patan', 'commune', '03165');
    const session = await login(running.url!, 'xa.patan');
    const token = await tokenFor(services.db, 'commune', '03165');
    for (const auth of [{ cookie: session.cookie }, { token }]) {
      expect((await send('/v1/completeness?period=2023-Q2&level=commune&unit=03165', auth)).status).toBe(200);
      const other = await send('/v1/completeness?period=2023-Q2&level=commune&unit=03156', auth);
      expect(other.status).toBe(403);
      expect(other.body.error.code).toBe('TONGHOP_ERR_FORBIDDEN');
    }
  });

  it('a write with the session cookie but without its CSRF token is refused; with it, or with a bearer token, it goes through', async () => {
    await userFor(services.db, 'xa.chacang', 'commune', '03166');
    const session = await login(running.url!, 'xa.chacang');
    /** A report sent with the session's cookie and, when given, this CSRF token. */
    const sendWith = async (csrf: string | undefined, report = '03166-hts-xa') =>
      send('/v1/submissions', { method: 'POST', body: await uploadForm(report), cookie: session.cookie, csrf });
    const refused = await sendWith(undefined);
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('TONGHOP_ERR_CSRF');
    const wrong = await sendWith('x'.repeat(43));
    expect(wrong.status).toBe(403);
    expect(await services.db.selectFrom('submission').select('id').execute()).toEqual([]);

    const accepted = await sendWith(session.csrf);
    expect(accepted.status).toBe(202);
    // Another answer's mask of the same token goes through too; one changed character does not.
    const again = (await send('/v1/session', { cookie: session.cookie })).body.csrf as string;
    expect(again).not.toBe(session.csrf);
    const flipped = `${again.slice(0, 50)}${again[50] === 'A' ? 'B' : 'A'}${again.slice(51)}`;
    expect((await sendWith(flipped)).status).toBe(403);
    expect((await sendWith(again, '03166-hts-ban')).status).toBe(202);
    const sub = await services.db
      .selectFrom('submission')
      .select(['user_id', 'token_id', 'scope_level', 'scope_code'])
      .executeTakeFirstOrThrow();
    expect(sub).toMatchObject({ token_id: null, scope_level: 'commune', scope_code: '03166' });
    expect(sub.user_id).toBeGreaterThan(0);
    const own = await send(`/v1/submissions/${accepted.body.submissions[0].id}`, { cookie: session.cookie });
    expect(own.status).toBe(200);

    const token = await tokenFor(services.db, 'commune', '03166');
    expect(
      (await send('/v1/submissions', { method: 'POST', body: await uploadForm('03166-hts-xa'), token })).status,
    ).toBe(202);
    expect((await send('/v1/session', { method: 'DELETE', cookie: session.cookie })).status).toBe(403);
  });

  it('wrong passwords are refused, and after five a username is locked for a while even with the right one', async () => {
    await userFor(services.db, 'tinh.dienbien', 'province', '11');
    const wrong = await login(running.url!, 'tinh.dienbien', 'not-the-password');
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.message.vi).toMatch(/mật khẩu/u);
    const unknown = await login(running.url!, 'nobody', 'not-the-password');
    expect(unknown.status).toBe(401);
    expect(unknown.body.error.code).toBe(wrong.body.error.code);
    for (let i = 0; i < 4; i += 1) expect((await login(running.url!, 'tinh.dienbien', 'still-wrong')).status).toBe(401);
    const locked = await fetch(new URL('/v1/session', running.url!), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'tinh.dienbien', password: 'mat-khau-thu-nghiem' }),
    });
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(800);
    expect(((await locked.json()) as any).error.code).toBe('TONGHOP_ERR_LOGIN_THROTTLED');
  });

  it('a login must be JSON, so a form on another site cannot log a browser in', async () => {
    const r = await send('/v1/session', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'username=xa.namtin&password=mat-khau-thu-nghiem',
    });
    expect(r.status).toBe(415);
    expect(r.headers.get('set-cookie')).toBeNull();
  });

  it('disabling a user ends its sessions at once and its next login is refused as disabled; logout ends a session', async () => {
    await userFor(services.db, 'xa.nacosa', 'commune', '03167');
    const session = await login(running.url!, 'xa.nacosa');
    expect((await send('/v1/session', { cookie: session.cookie })).status).toBe(200);
    await setUserDisabled(services.db, 'xa.nacosa', true, new Date());
    expect((await send('/v1/session', { cookie: session.cookie })).status).toBe(401);
    const again = await login(running.url!, 'xa.nacosa');
    expect(again.status).toBe(403);
    expect(again.body.error.code).toBe('TONGHOP_ERR_ACCOUNT_DISABLED');

    await setUserDisabled(services.db, 'xa.nacosa', false, new Date());
    const back = await login(running.url!, 'xa.nacosa');
    expect(back.status).toBe(200);
    const out = await send('/v1/session', { method: 'DELETE', cookie: back.cookie, csrf: back.csrf });
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/^tonghop_session=; Path=\/; Max-Age=0; HttpOnly/u);
    expect((await send('/v1/session', { cookie: back.cookie })).status).toBe(401);
  });

  it('`tonghop user create` takes the password from TONGHOP_PASSWORD and the scope of a token; `user disable` locks it', () => {
    const cli = fileURLToPath(new URL('../../bin/tonghop.js', import.meta.url));
    const env = { ...process.env, ...services.env, TONGHOP_PASSWORD: 'mot-mat-khau-dai' };
    const created = spawnSync(
      process.execPath,
      [cli, 'user', 'create', '--username', 'xa.nakhoa', '--commune', '3168'],
      { env, encoding: 'utf8' },
    );
    expect(created.stderr).toBe('');
    expect(created.stdout).toMatch(/user xa\.nakhoa \(\d+, commune 03168\) created/u);
    const both = spawnSync(
      process.execPath,
      [cli, 'user', 'create', '--username', 'x2', '--commune', '03168', '--admin'],
      { env, encoding: 'utf8' },
    );
    expect(both.status).toBe(1);
    expect(both.stderr).toMatch(/exactly one of/u);
    const weak = spawnSync(process.execPath, [cli, 'user', 'create', '--username', 'x3', '--admin'], {
      env: { ...env, TONGHOP_PASSWORD: 'short' },
      encoding: 'utf8',
    });
    expect(weak.stderr).toMatch(/at least 10 characters/u);
    const disabled = spawnSync(process.execPath, [cli, 'user', 'disable', '--username', 'xa.nakhoa'], {
      env,
      encoding: 'utf8',
    });
    expect(disabled.stdout).toBe('user xa.nakhoa disabled\n');
  });
});
