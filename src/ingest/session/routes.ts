import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../../deps.ts';
import { beginLoginAttempt, clearLoginFailures } from '../../accounts/login-throttle.ts';
import { decoyHash, verifyPassword } from '../../accounts/password.ts';
import { closeSession, csrfTokenOf, openSession, sessionCookieName } from '../../accounts/sessions.ts';
import { findUser } from '../../accounts/users.ts';
import { requirePrincipal, sessionOfRequest } from '../auth.ts';
import { serializeCookie } from '../cookies.ts';
import { HttpError } from '../errors.ts';
import { guarded, jsonAnswer, refused, withBody } from '../route-schema.ts';

const loginBody = z.object({ username: z.string().trim().min(1).max(100), password: z.string().min(1).max(200) });

/** Secure only over TLS: a cookie marked Secure is never sent back over plain HTTP, which an intranet install may use. */
function sessionCookie(request: FastifyRequest, value: string, maxAge: number): string {
  return serializeCookie(sessionCookieName, value, {
    httpOnly: true,
    secure: request.protocol === 'https',
    sameSite: 'Lax',
    maxAge,
  });
}

/**
 * Logging in and out (SPEC §5, accounts for people). The login body is JSON only: a form on
 * another site cannot send JSON, so it cannot log a browser into an account of its choosing.
 */
export function sessionRoutes(deps: Deps) {
  const routes: FastifyPluginAsyncZod = async (app) => {
    const logIn = {
      operationId: 'logIn',
      summary: 'Log in: sets the session cookie; returns the user and the CSRF token',
      security: [],
      body: loginBody,
      response: {
        200: jsonAnswer('logged in'),
        ...withBody,
        400: refused('not JSON, or no username or password'),
        401: refused('wrong username or password'),
        403: refused('account disabled'),
        429: refused('too many failed logins (Retry-After)'),
      },
    };
    // A username and a password: a few hundred bytes. The app-wide limit is for uploads.
    app.post('/v1/session', { bodyLimit: 4096, schema: logIn }, async (request, reply) => {
      if (!/^application\/json\b/iu.test(request.headers['content-type'] ?? ''))
        throw new HttpError('TONGHOP_ERR_BAD_REQUEST');
      const { username, password } = request.body;
      const now = deps.now();
      const wait = await beginLoginAttempt(deps.db, username, request.ip, now);
      if (wait > 0) {
        reply.header('retry-after', String(wait));
        throw new HttpError('TONGHOP_ERR_LOGIN_THROTTLED');
      }
      const user = await findUser(deps.db, username);
      const ok = await verifyPassword(password, user?.password_hash ?? decoyHash);
      if (!user || !ok) {
        request.log.info({ username, ip: request.ip }, 'login failed');
        throw new HttpError('TONGHOP_ERR_LOGIN_FAILED');
      }
      if (user.disabled_at !== null) throw new HttpError('TONGHOP_ERR_ACCOUNT_DISABLED');
      await clearLoginFailures(deps.db, username);
      const session = await openSession(deps.db, user.id, new Date(), deps.config.SESSION_HOURS);
      request.log.info({ user: user.id }, 'logged in');
      return reply
        .header('set-cookie', sessionCookie(request, session.id, deps.config.SESSION_HOURS * 3600))
        .header('cache-control', 'no-store')
        .send({
          user: { username: user.username, level: user.scope_level, code: user.scope_code },
          csrf: csrfTokenOf(session.id),
          expires: session.expires,
        });
    });

    const who = {
      operationId: 'getSession',
      summary: 'Who is logged in, and the CSRF token',
      security: [{ session: [] }],
      response: { 200: jsonAnswer('the user'), ...guarded, 401: refused('no session') },
    };
    app.get('/v1/session', { schema: who }, async (request, reply) => {
      const session = await sessionOfRequest(deps.db, request);
      if (!session) throw new HttpError('TONGHOP_ERR_UNAUTHORIZED');
      return reply.header('cache-control', 'no-store').send({
        user: { username: session.username, level: session.principal.level, code: session.principal.code },
        csrf: csrfTokenOf(session.id),
      });
    });

    const logOut = {
      operationId: 'logOut',
      summary: 'Log out',
      security: [{ session: [] }],
      response: { 204: z.undefined().describe('logged out'), ...guarded, 403: refused('no CSRF token') },
    };
    app.delete('/v1/session', { schema: logOut }, async (request, reply) => {
      const session = await sessionOfRequest(deps.db, request);
      if (session) {
        await requirePrincipal(deps.db, request, null); // the CSRF check: logging someone out is a write too
        await closeSession(deps.db, session.id);
      }
      return reply
        .header('set-cookie', sessionCookie(request, '', 0))
        .code(204)
        .send();
    });
  };
  return routes;
}
