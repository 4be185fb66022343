import { isDatabaseUnavailable } from '../db/unavailable.ts';

/** SQLSTATEs of a statement that lost a race with another one: running it again succeeds. */
const retryableSqlStates = new Set([
  '40001', // serialization_failure
  '40P01', // deadlock_detected
  '55P03', // lock_not_available
]);

/**
 * What ioredis throws, without any code, when its connection dies: "Connection is closed.", its
 * per-request retry limit, a stream closed under a write.
 */
const retryableMessages =
  /Connection is closed|max retries per request|Stream isn't writeable|write after end|Socket closed unexpectedly/iu;

/**
 * True when the error is a fault of the infrastructure (a Postgres restart, a dropped connection,
 * a serialization failure, Redis away) that a later run of the same job can get past. Anything else
 * (a bug, a file that crashes a reader, a broken constraint) fails the same way every time.
 */
export function isTransientFault(error: unknown): boolean {
  // Postgres away, and any refused or dropped socket (ioredis' too): db/unavailable.ts.
  if (isDatabaseUnavailable(error)) return true;
  for (
    let e: unknown = error, depth = 0;
    e && typeof e === 'object' && depth < 5;
    e = (e as { cause?: unknown }).cause, depth += 1
  ) {
    const { code, name, message } = e as { code?: unknown; name?: unknown; message?: unknown };
    if (typeof code === 'string' && retryableSqlStates.has(code)) return true;
    if (name === 'MaxRetriesPerRequestError') return true;
    if (typeof message === 'string' && retryableMessages.test(message)) return true;
  }
  return false;
}
