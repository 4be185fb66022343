/**
 * SQLSTATEs that say "the server is away, restarting or full", not "this statement is wrong":
 * class 08 (connection exception) is matched by its prefix.
 */
const unavailableSqlStates = new Set([
  '57P01', // admin_shutdown: the server is restarting, or our backend was terminated
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now: the server is starting up or in crash recovery
  '53300', // too_many_connections
  '58000', // system_error (I/O trouble on the server)
]);

/** Socket errors of node and pg when the server is away or restarting. */
const unavailableSystemCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNABORTED',
]);

/**
 * What pg throws, without any code, when a connection dies under a query or none can be had:
 * "Connection terminated unexpectedly", "Client has encountered a connection error and is not
 * queryable", pg-pool's "timeout exceeded when trying to connect".
 */
const unavailableMessages = /Connection terminated|not queryable|timeout exceeded when trying to connect/iu;

/** Each error and its causes, as far as a few levels (pg-pool and AggregateError wrap what the socket said). */
function* chain(error: unknown): Generator<{ code?: unknown; message?: unknown; errors?: unknown }> {
  for (
    let e: unknown = error, depth = 0;
    e && typeof e === 'object' && depth < 5;
    e = (e as { cause?: unknown }).cause, depth += 1
  ) {
    yield e as { code?: unknown; message?: unknown };
    const inner = (e as { errors?: unknown }).errors;
    if (Array.isArray(inner))
      for (const i of inner.slice(0, 5))
        if (i && typeof i === 'object') yield i as { code?: unknown; message?: unknown };
  }
}

/**
 * True when Postgres could not be reached or is not taking work (down, restarting, in crash
 * recovery, out of connections): the same request will succeed once it is back, so a client hears
 * "wait and send again" (503) and a job is run again later. False for anything the data or the
 * code caused.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (const { code, message } of chain(error)) {
    if (typeof code === 'string') {
      if (/^[0-9A-Z]{5}$/u.test(code) && (code.startsWith('08') || unavailableSqlStates.has(code))) return true;
      if (unavailableSystemCodes.has(code)) return true;
    }
    if (typeof message === 'string' && unavailableMessages.test(message)) return true;
  }
  return false;
}
