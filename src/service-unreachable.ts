/** The error a user sees when Postgres or Redis does not answer: which one, where, and how to start it. */
export class ServiceUnreachableError extends Error {
  override name = 'ServiceUnreachableError';
}

const howToStart = {
  postgres:
    'Start it (Debian: `pg_ctlcluster 15 main start`; Docker: `docker compose up -d postgres`) or set DATABASE_URL.',
  redis:
    'Start it (`redis-server --daemonize yes`; Docker: `docker compose up -d redis`) or set REDIS_URL.',
} as const;

export function serviceUnreachable(service: keyof typeof howToStart, url: string, cause: unknown): ServiceUnreachableError {
  const where = new URL(url);
  where.password = '';
  const reason = cause instanceof Error ? cause.message : String(cause);
  const label = service === 'postgres' ? 'Postgres' : 'Redis';
  return new ServiceUnreachableError(`${label} at ${where.host} does not answer (${reason}). ${howToStart[service]}`, { cause });
}
