import type { FastifyRequest } from 'fastify';
import type { Db } from '../db/connect.ts';
import type { Principal } from '../schema/scope.ts';
import { csrfMatches, sessionCookieName, sessionOf, type Session } from '../accounts/sessions.ts';
import { readCookie } from './cookies.ts';
import { HttpError } from './errors.ts';
import { principalOfToken } from './tokens.ts';

/** The person behind a request's session cookie, or null; a page uses it to decide between itself and the login page. */
export async function sessionOfRequest(db: Db, request: FastifyRequest): Promise<(Session & { id: string }) | null> {
  const id = readCookie(request.headers.cookie, sessionCookieName);
  if (!id) return null;
  // Sessions live in wall-clock time, like the cookie's Max-Age the browser keeps, not in a clock a test injects.
  const session = await sessionOf(db, id, new Date());
  return session ? { ...session, id } : null;
}

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The caller of a request: a machine's `Authorization: Bearer TOKEN`, or a person's session
 * cookie, giving the same Principal; 401 when neither is valid. A browser attaches the cookie to
 * requests other sites make it send, so a cookie write must also carry the session's CSRF token
 * in `X-CSRF-Token` (403 without); a bearer token is never sent on its own, so it needs none.
 */
export async function requirePrincipal(db: Db, request: FastifyRequest): Promise<Principal> {
  const header = request.headers.authorization;
  if (header !== undefined) {
    const match = /^Bearer\s+(\S+)$/iu.exec(header);
    if (!match) throw new HttpError('TONGHOP_ERR_UNAUTHORIZED');
    const principal = await principalOfToken(db, match[1]!);
    if (!principal) throw new HttpError('TONGHOP_ERR_UNAUTHORIZED');
    return principal;
  }
  const session = await sessionOfRequest(db, request);
  if (!session) throw new HttpError('TONGHOP_ERR_UNAUTHORIZED');
  if (!safeMethods.has(request.method) && !csrfMatches(session.id, request.headers['x-csrf-token'])) throw new HttpError('TONGHOP_ERR_CSRF');
  return session.principal;
}

/** 403 unless the principal may act for this commune; province scope is checked against every era of the code. */
export async function requireCommuneAccess(db: Db, principal: Principal, communeCode: string): Promise<void> {
  if (principal.level === 'admin') return;
  if (principal.level === 'commune') {
    if (principal.code !== communeCode) throw new HttpError('TONGHOP_ERR_FORBIDDEN');
    return;
  }
  const inProvince = await db
    .selectFrom('admin_unit')
    .select('id')
    .where('level', '=', 'commune')
    .where('code', '=', communeCode)
    .where('province_code', '=', principal.code!)
    .executeTakeFirst();
  if (!inProvince) throw new HttpError('TONGHOP_ERR_FORBIDDEN');
}
