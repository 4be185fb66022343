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

  it('a CSRF token is masked afresh each time: every mask is accepted, the bare secret too (pages served before masking), a changed byte is not', () => {
    const tokens = Array.from({ length: 20 }, () => csrfTokenOf('session-a'));
    expect(new Set(tokens).size).toBe(20);
    for (const t of tokens) expect(csrfMatches('session-a', t)).toBe(true);
    const bytes = Buffer.from(tokens[0]!, 'base64url');
    // The secret is the second half XOR the first (the pad).
    const secret = Buffer.from(bytes.subarray(32).map((b, i) => b ^ bytes[i]!));
    expect(csrfMatches('session-a', secret.toString('base64url'))).toBe(true);
    expect(csrfMatches('session-b', secret.toString('base64url'))).toBe(false);
    for (const at of [0, 31, 32, 63]) {
      const changed = Buffer.from(bytes);
      changed[at]! ^= 1;
      expect(csrfMatches('session-a', changed.toString('base64url'))).toBe(false);
    }
    expect(csrfMatches('session-a', `${tokens[0]}=`)).toBe(false);
    expect(csrfMatches('session-a', tokens[0]!.slice(0, -1))).toBe(false);
  });
});
