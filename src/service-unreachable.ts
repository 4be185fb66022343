/** The error a user sees when Postgres, Redis or (from the CLI) the tonghop server does not answer: which one, where, and how to start it. */
export class ServiceUnreachableError extends Error {
  override name = 'ServiceUnreachableError';
}

const howToStart = {
  tonghop:
    'Start it (`npm start`, or `tonghop start` on that machine) or set TONGHOP_URL (default: this machine on PORT).',
  postgres:
    'Start it (Debian: `pg_ctlcluster 15 main start`; Docker: `docker compose up -d postgres`) or set DATABASE_URL.',
  redis: 'Start it (`redis-server --daemonize yes`; Docker: `docker compose up -d redis`) or set REDIS_URL.',
} as const;

export function serviceUnreachable(
  service: keyof typeof howToStart,
  url: string,
  cause: unknown,
): ServiceUnreachableError {
  const where = new URL(url);
  where.password = '';
  // fetch says only "fetch failed"; why (ECONNREFUSED, ENOTFOUND…) is in its cause.
  const inner = cause instanceof Error && cause.cause instanceof Error ? cause.cause : cause;
  const reason =
    inner instanceof Error ? inner.message || (inner as NodeJS.ErrnoException).code || inner.name : String(inner);
  const label = { postgres: 'Postgres', redis: 'Redis', tonghop: 'The tonghop server' }[service];
  const at = service === 'tonghop' ? `${where.origin}${where.pathname === '/' ? '' : where.pathname}` : where.host;
  return new ServiceUnreachableError(`${label} at ${at} does not answer (${reason}). ${howToStart[service]}`, {
    cause,
  });
}
