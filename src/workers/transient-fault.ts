/**
 * SQLSTATEs that say "try again": the statement or the connection failed, not the data.
 * Class 08 (connection exception) is matched by its prefix.
 */
const retryableSqlStates = new Set([
  '40001', // serialization_failure
  '40P01', // deadlock_detected
  '55P03', // lock_not_available
  '57P01', // admin_shutdown: the server is restarting, or our backend was terminated
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now: the server is starting up
  '53300', // too_many_connections
  '58000', // system_error (I/O trouble on the server)
]);

/** Socket errors of node, pg and ioredis when Postgres or Redis is away or restarting. */
const retryableSystemCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNABORTED']);

/**
 * What pg and ioredis throw, without any code, when a connection dies under a query: pg's
 * "Connection terminated unexpectedly" and "…is not queryable", pg-pool's connect timeout,
 * ioredis' "Connection is closed." and its per-request retry limit.
 */
const retryableMessages = /Connection terminated|not queryable|timeout exceeded when trying to connect|Connection is closed|max retries per request|Stream isn't writeable|write after end|Socket closed unexpectedly/iu;

/**
 * True when the error is a fault of the infrastructure (a Postgres restart, a dropped connection,
 * a serialization failure, Redis away) that a later run of the same job can get past. Anything else
 * (a bug, a file that crashes a reader, a broken constraint) fails the same way every time.
 */
export function isTransientFault(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth += 1) {
    const { code, name, message } = e as { code?: unknown; name?: unknown; message?: unknown };
    if (typeof code === 'string') {
      if (/^[0-9A-Z]{5}$/u.test(code) && (code.startsWith('08') || retryableSqlStates.has(code))) return true;
      if (retryableSystemCodes.has(code)) return true;
    }
    if (name === 'MaxRetriesPerRequestError') return true;
    if (typeof message === 'string' && retryableMessages.test(message)) return true;
  }
  return false;
}
