import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest, onRequestHookHandler } from 'fastify';
import { Redis } from 'ioredis';
import type { Config } from '../config.ts';
import type { Db } from '../db/connect.ts';
import { sessionCookieName, sessionOf } from '../accounts/sessions.ts';
import { principalOfBearer } from './auth.ts';
import { readCookie } from './cookies.ts';
import { HttpError } from './errors.ts';

export type RateLimits = { readonly requests: number; readonly bytes: number; readonly windowMs: number };
export type Usage = { readonly requests: number; readonly bytes: number };

/** The fixed window an instant falls in: its start (part of the counter's key) and the seconds left in it. */
export function windowAt(nowMs: number, windowMs: number): { start: number; secondsLeft: number } {
  const start = nowMs - (nowMs % windowMs);
  return { start, secondsLeft: Math.max(1, Math.ceil((start + windowMs - nowMs) / 1000)) };
}

export function overLimit(usage: Usage, limits: RateLimits): boolean {
  return usage.requests > limits.requests || usage.bytes > limits.bytes;
}

/**
 * The counter's name: derived from who is counted (a token, a session, an address), never the
 * secret itself, and not the hash stored in `api_token` either, so Redis holds nothing that
 * matches a stored credential.
 */
export function counterKey(prefix: string, subject: string, windowStart: number): string {
  const id = createHash('sha256').update(`tonghop-rate-limit:${subject}`).digest('hex').slice(0, 32);
  return `${prefix}:ratelimit:${id}:${windowStart}`;
}

function bearerOf(request: FastifyRequest): string | null {
  const match = /^Bearer\s+(\S+)$/iu.exec(request.headers.authorization ?? '');
  return match ? match[1]! : null;
}

/** A counter that has not answered in this long is skipped: a Redis outage must not stop uploads, which Postgres records. */
const redisBudgetMs = 1000;

/** Probes of the operator's monitoring, not counted: they come often, from one address, and cost little. */
const uncounted = /^\/(?:health\/|metrics(?:$|\?))/u;

/**
 * Limits per caller, checked before anything else of a request is read: the body size by its
 * Content-Length (413 over MAX_REQUEST_BYTES; a body without one, 411), then a fixed-window counter in Redis of
 * requests and body bytes (429 with Retry-After over RATE_LIMIT_REQUESTS or RATE_LIMIT_BYTES),
 * kept per valid token, per valid login session, and per client address for everything else (no
 * or a wrong token, no or an expired session); a credential's reads have a budget of their own
 * per client address (RATE_LIMIT_READ_REQUESTS, see counterOf): a counter is made for a credential only once it
 * has been checked, so a stream of made-up tokens adds no key to Redis (which runs `noeviction`).
 * Returns the hook and a `close` for the counter's connection.
 */
export function createRateLimit(
  config: Config,
  prefix: string,
  db: Db,
): { hook: onRequestHookHandler; close: () => Promise<void> } {
  const limits: RateLimits = {
    requests: config.RATE_LIMIT_REQUESTS,
    bytes: config.RATE_LIMIT_BYTES,
    windowMs: config.RATE_LIMIT_WINDOW_S * 1000,
  };
  // Auto-pipelining: the counts of the requests that arrive in one turn of the event loop go in one write.
  const redis = new Redis(config.REDIS_URL, {
    maxRetriesPerRequest: 1,
    connectTimeout: 2000,
    lazyConnect: true,
    enableAutoPipelining: true,
  });
  redis.on('error', () => {});

  async function count(key: string, bytes: number): Promise<Usage | null> {
    const counted = Promise.all([
      redis.hincrby(key, 'requests', 1),
      redis.hincrby(key, 'bytes', bytes),
      redis.pexpire(key, limits.windowMs + 1000),
    ]).then(([requests, counted]) => ({ requests, bytes: counted }));
    const late = new Promise<null>((resolve) => setTimeout(() => resolve(null), redisBudgetMs).unref());
    return Promise.race([counted, late]).catch(() => null);
  }

  const readLimits: RateLimits = { ...limits, requests: config.RATE_LIMIT_READ_REQUESTS };
  const credentialReadLimits: RateLimits = {
    ...limits,
    requests: config.RATE_LIMIT_READ_REQUESTS * config.RATE_LIMIT_READ_ADDRESSES,
  };

  async function credentialOf(request: FastifyRequest): Promise<string | null> {
    const bearer = bearerOf(request);
    if (bearer !== null) return (await principalOfBearer(db, request, bearer)) !== null ? `token:${bearer}` : null;
    const session = readCookie(request.headers.cookie, sessionCookieName);
    if (session !== null && (await sessionOf(db, session, new Date())) !== null) return `session:${session}`;
    return null;
  }

  /**
   * Who is counted, and against which limits (the first one's figures go in the headers). A
   * credential's reads are counted per client address against the read budget — analysts sharing a
   * province's token each have their own, and reading leaves the token's uploads untouched — and
   * per credential against RATE_LIMIT_READ_ADDRESSES of those budgets, so a token read from ever
   * new addresses has a ceiling. Everything else (uploads, and any request without a valid
   * credential) counts against RATE_LIMIT_REQUESTS per credential or address.
   */
  async function countersOf(request: FastifyRequest): Promise<{ subject: string; limits: RateLimits }[]> {
    const credential = await credentialOf(request);
    if (credential === null) return [{ subject: `address:${request.ip}`, limits }];
    if (request.method === 'GET' || request.method === 'HEAD')
      return [
        { subject: `read:${credential}:${request.ip}`, limits: readLimits },
        { subject: `read:${credential}`, limits: credentialReadLimits },
      ];
    return [{ subject: credential, limits }];
  }

  const hook = async (request: FastifyRequest, reply: FastifyReply) => {
    // A chunked body would slip past both the size limit and the byte budget: uploads must say their length.
    if (request.headers['transfer-encoding'] !== undefined && request.headers['content-length'] === undefined)
      throw new HttpError('TONGHOP_ERR_LENGTH_REQUIRED');
    const length = Number(request.headers['content-length'] ?? 0) || 0;
    if (length > config.MAX_REQUEST_BYTES)
      throw new HttpError('TONGHOP_ERR_REQUEST_TOO_LARGE', { limit: config.MAX_REQUEST_BYTES });
    if (uncounted.test(request.url)) return;
    const window = windowAt(Date.now(), limits.windowMs);
    const counters = await countersOf(request);
    const usages = await Promise.all(counters.map((c) => count(counterKey(prefix, c.subject, window.start), length)));
    const [counter] = counters;
    const [usage] = usages;
    if (!counter || !usage) {
      request.log.warn('rate-limit counter unavailable; request let through');
      return;
    }
    reply
      .header('ratelimit-limit', counter.limits.requests)
      .header('ratelimit-remaining', Math.max(0, counter.limits.requests - usage.requests))
      .header('ratelimit-reset', window.secondsLeft);
    if (counters.some((c, i) => usages[i] && overLimit(usages[i], c.limits))) {
      reply.header('retry-after', window.secondsLeft);
      throw new HttpError('TONGHOP_ERR_RATE_LIMITED');
    }
  };
  return { hook, close: async () => redis.disconnect() };
}
