import { describe, expect, it } from 'vitest';
import { decoyHash, hashPassword, verifyPassword } from '../../src/accounts/password.ts';
import { csrfMatches, csrfTokenOf } from '../../src/accounts/sessions.ts';
import { readCookie, serializeCookie } from '../../src/ingest/cookies.ts';

describe('passwords', () => {
  it('are stored as a salted scrypt hash that verifies only the same password, Unicode-normalized', async () => {
    const stored = await hashPassword('Mật khẩu của xã 03156');
    expect(stored).toMatch(/^scrypt\$32768\$8\$1\$[\w-]{22}\$[\w-]{43}$/u);
    expect(stored).not.toContain('03156');
    expect(await hashPassword('Mật khẩu của xã 03156')).not.toBe(stored);
    expect(await verifyPassword('Mật khẩu của xã 03156', stored)).toBe(true);
    expect(await verifyPassword('Mật khẩu của xã 03156'.normalize('NFD'), stored)).toBe(true);
    expect(await verifyPassword('mật khẩu của xã 03156', stored)).toBe(false);
    expect(await verifyPassword('x', 'not a hash')).toBe(false);
    expect(await verifyPassword('anything', decoyHash)).toBe(false);
  });
});

describe('cookies and CSRF tokens', () => {
  it('read one cookie among several and write the attributes asked for', () => {
    expect(readCookie('a=1; tonghop_session=abc%2F; b=2', 'tonghop_session')).toBe('abc/');
    expect(readCookie('a=1', 'tonghop_session')).toBeNull();
    expect(serializeCookie('s', 'v', { httpOnly: true, secure: true, sameSite: 'Lax', maxAge: 60 })).toBe(
      's=v; Path=/; Max-Age=60; HttpOnly; Secure; SameSite=Lax',
    );
  });

  it('a CSRF token belongs to one session and is not the session id', () => {
    const token = csrfTokenOf('session-a');
    expect(token).not.toContain('session-a');
    expect(csrfMatches('session-a', token)).toBe(true);
    expect(csrfMatches('session-b', token)).toBe(false);
    expect(csrfMatches('session-a', undefined)).toBe(false);
    expect(csrfMatches('session-a', ['x'])).toBe(false);
  });
});
