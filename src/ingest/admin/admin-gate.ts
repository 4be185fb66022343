import { isAdministrator } from '../../schema/roles.ts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../../db/connect.ts';
import { errorBody, HttpError } from '../errors.ts';
import { dashboardPass, dashboardPassHours, principalOfDashboardPass } from '../../accounts/dashboard-pass.ts';
import { hashToken, principalOfToken } from '../../accounts/tokens.ts';

export const adminCookie = 'tonghop_admin';

export type PresentedToken = { token: string; via: 'bearer' | 'query' | 'cookie' } | null;

/** The token a request presents: `Authorization: Bearer`, else `?token=` (a link a browser can open), else the cookie's dashboard pass made from it. */
export function presentedToken(headers: { authorization?: string; cookie?: string }, query: unknown): PresentedToken {
  const bearer = /^Bearer\s+(\S+)$/iu.exec(headers.authorization ?? '');
  if (bearer) return { token: bearer[1]!, via: 'bearer' };
  const fromQuery = (query as { token?: unknown } | null)?.token;
  if (typeof fromQuery === 'string' && fromQuery !== '') return { token: fromQuery, via: 'query' };
  for (const pair of (headers.cookie ?? '').split(';')) {
    const [name, ...value] = pair.trim().split('=');
    if (name === adminCookie && value.length > 0) return { token: decodeURIComponent(value.join('=')), via: 'cookie' };
  }
  return null;
}

/** The URL without its `token` parameter, so the token leaves the address bar, the history and referrers. */
export function withoutToken(url: string): string {
  const parsed = new URL(url, 'http://localhost');
  parsed.searchParams.delete('token');
  return parsed.pathname + parsed.search;
}

/**
 * An onRequest hook letting through only an admin token (SPEC §5: the dashboard is for admins):
 * 401 without a valid token, 403 for a commune or province token. A token given as `?token=` is
 * exchanged for a dashboard pass (never the token itself) in an HttpOnly, SameSite=Strict cookie
 * scoped to `cookiePath`, and the browser is sent to the same page without it.
 */
export function adminGate(db: Db, cookiePath: string) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const presented = presentedToken(request.headers, request.query);
    const principal = !presented
      ? null
      : presented.via === 'cookie'
        ? await principalOfDashboardPass(db, presented.token, new Date())
        : await principalOfToken(db, presented.token);
    if (!presented || !principal)
      return reply
        .code(401)
        .header('www-authenticate', 'Bearer')
        .send(errorBody(new HttpError('TONGHOP_ERR_UNAUTHORIZED')));
    if (!isAdministrator(principal)) return reply.code(403).send(errorBody(new HttpError('TONGHOP_ERR_FORBIDDEN')));
    if (presented.via === 'query') {
      const secure = request.protocol === 'https' ? '; Secure' : '';
      const pass = dashboardPass(Number(principal.id.slice('token:'.length)), hashToken(presented.token), new Date());
      const cookie = `${adminCookie}=${pass}; Path=${cookiePath}; HttpOnly; SameSite=Strict; Max-Age=${dashboardPassHours * 3600}${secure}`;
      return reply.code(303).header('set-cookie', cookie).header('location', withoutToken(request.url)).send();
    }
    return undefined;
  };
}
