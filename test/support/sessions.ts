import { createUser } from '../../src/accounts/users.ts';
import type { Db } from '../../src/db/connect.ts';
import type { Role, ScopeLevel } from '../../src/schema/database.ts';

export const testPassword = 'mat-khau-thu-nghiem';

/** Province accounts in tests are a province office's, which submits for its communes: submit and read unless said otherwise. */
export async function userFor(
  db: Db,
  username: string,
  level: ScopeLevel,
  code: string | null = null,
  roles?: readonly Role[],
): Promise<{ username: string; password: string }> {
  await createUser(db, {
    username,
    password: testPassword,
    level,
    code,
    roles: roles ?? (level === 'province' ? ['submit', 'read'] : undefined),
  });
  return { username, password: testPassword };
}

export type Login = { cookie: string; csrf: string; setCookie: string; status: number; body: any };

/** POST /v1/session as the login page does it; the cookie comes back ready to send. */
export async function login(
  baseUrl: string,
  username: string,
  password = testPassword,
  headers: Record<string, string> = {},
): Promise<Login> {
  const response = await fetch(new URL('/v1/session', baseUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ username, password }),
  });
  const setCookie = response.headers.get('set-cookie') ?? '';
  const body = (await response.json()) as any;
  return { cookie: setCookie.split(';')[0] ?? '', csrf: body.csrf, setCookie, status: response.status, body };
}
