import type { FastifyReply, FastifyRequest } from 'fastify';
import { HttpError, errorBody } from './errors.ts';

/** Seconds a client is asked to wait: a Postgres restart with crash recovery takes about ten. */
export const retryAfterSeconds = 5;

/**
 * The answer while Postgres is away (down, restarting, in crash recovery): 503 with Retry-After,
 * never 500, since the same request will succeed once it is back. An upload was not stored (its
 * transaction did not commit), so the client is told to send it again, with the same
 * Idempotency-Key; other requests are told to try again.
 */
export function replyServiceInterrupted(request: FastifyRequest, reply: FastifyReply, error: unknown) {
  const upload = request.method === 'POST' && request.url.startsWith('/v1/submissions');
  request.log.warn({ err: error, reason: 'postgres_unavailable' }, 'postgres unavailable: answered 503');
  return reply
    .code(503)
    .header('retry-after', String(retryAfterSeconds))
    .send(errorBody(new HttpError(upload ? 'TONGHOP_ERR_INTERRUPTED' : 'TONGHOP_ERR_UNAVAILABLE')));
}
