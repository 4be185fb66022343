import type { FastifyRequest } from 'fastify';
import type { Db } from '../db/connect.ts';
import { csrfMatches, sessionCookieName, sessionOf, type Session } from '../accounts/sessions.ts';
import type { Role, UnitLevel } from '../schema/database.ts';
import { hasRole } from '../schema/roles.ts';
import { scopeCovers, type Principal } from '../schema/scope.ts';
import { scopeTargetOf } from '../units/scope-target.ts';
import { mayActForCommune } from '../read/read-scope.ts';
import { readCookie } from './cookies.ts';
import { HttpError } from './errors.ts';
import { principalOfToken } from '../accounts/tokens.ts';

/** The person behind a request's session cookie, or null; a page uses it to decide between itself and the login page. */
export async function sessionOfRequest(db: Db, request: FastifyRequest): Promise<(Session & { id: string }) | null> {
  const id = readCookie(request.headers.cookie, sessionCookieName);
  if (!id) return null;
  // Sessions live in wall-clock time, like the cookie's Max-Age the browser keeps, not in a clock a test injects.
  const session = await sessionOf(db, id, new Date());
  return session ? { ...session, id } : null;
}

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

const bearerPrincipals = new WeakMap<FastifyRequest, Promise<Principal | null>>();

/**
 * The principal of a request's bearer token, looked up once per request: the rate limit asks
 * before the body is read and the route again after, and an upload would otherwise pay twice.
 */
export function principalOfBearer(db: Db, request: FastifyRequest, token: string): Promise<Principal | null> {
  let principal = bearerPrincipals.get(request);
  if (!principal) {
    principal = principalOfToken(db, token);
    bearerPrincipals.set(request, principal);
  }
  return principal;
}

/**
 * The caller of a request: a machine's `Authorization: Bearer TOKEN`, or a person's session
 * cookie, giving the same Principal; 401 when neither is valid. A browser attaches the cookie to
 * requests other sites make it send, so a cookie write must also carry the session's CSRF token
 * in `X-CSRF-Token` (403 without); a bearer token is never sent on its own, so it needs none.
 * Every route names the role it needs beside the scope it checks (SPEC §7): 403 without it;
 * null only where being logged in is enough (logging out).
 */
export async function requirePrincipal(db: Db, request: FastifyRequest, role: Role | null): Promise<Principal> {
  const principal = await principalOfRequest(db, request);
  if (role !== null && !hasRole(principal, role)) throw new HttpError('TONGHOP_ERR_ROLE_MISSING', { role });
  return principal;
}

async function principalOfRequest(db: Db, request: FastifyRequest): Promise<Principal> {
  const header = request.headers.authorization;
  if (header !== undefined) {
    const match = /^Bearer\s+(\S+)$/iu.exec(header);
    if (!match) throw new HttpError('TONGHOP_ERR_UNAUTHORIZED');
    const principal = await principalOfBearer(db, request, match[1]!);
    if (!principal) throw new HttpError('TONGHOP_ERR_UNAUTHORIZED');
    return principal;
  }
  const session = await sessionOfRequest(db, request);
  if (!session) throw new HttpError('TONGHOP_ERR_UNAUTHORIZED');
  if (!safeMethods.has(request.method) && !csrfMatches(session.id, request.headers['x-csrf-token']))
    throw new HttpError('TONGHOP_ERR_CSRF');
  return session.principal;
}

/** 403 unless the principal may act for this commune code in some era (mayActForCommune). */
export async function requireCommuneAccess(
  db: Db,
  principal: Principal,
  communeCode: string,
  today: string,
): Promise<void> {
  if (!(await mayActForCommune(db, principal, communeCode, today))) throw new HttpError('TONGHOP_ERR_FORBIDDEN');
}

/** 403 unless the principal may read this unit of the hierarchy valid on `day`; 404 when there is no such unit. A commune principal reads only communes. */
export async function requireUnitAccess(
  db: Db,
  principal: Principal,
  unit: { level: UnitLevel; code: string },
  day: string,
  today: string,
): Promise<void> {
  const target = await scopeTargetOf(db, unit, today, day);
  if (!target) throw new HttpError('TONGHOP_ERR_NOT_FOUND');
  if (principal.level === 'commune' && unit.level !== 'commune') throw new HttpError('TONGHOP_ERR_FORBIDDEN');
  if (!scopeCovers(principal, target)) throw new HttpError('TONGHOP_ERR_FORBIDDEN');
}
