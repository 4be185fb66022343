import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../deps.ts';
import { isReady, notReadyReasons, probeDependencies } from '../../health/probe.ts';

export function healthRoutes(deps: Deps) {
  return async (app: FastifyInstance) => {
    app.get('/health/live', async () => ({ status: 'ok' }));

    /** Ready when Postgres and Redis answer and the schema is the one this code expects. */
    app.get('/health/ready', async (_request, reply) => {
      const checks = await probeDependencies(deps);
      const ready = isReady(checks);
      // Anyone may ask: the answer names what is down by stable codes (postgres_unavailable,
      // redis_unavailable, migrations_pending), never how (driver errors carry hosts, users,
      // versions); the operator reads that in the log.
      const reasons = notReadyReasons(checks);
      if (!ready) deps.log.warn({ checks, reasons }, 'not ready');
      const said = Object.fromEntries(Object.entries(checks).map(([k, v]) => [k, ['ok', 'pending', 'unknown'].includes(v) ? v : 'unavailable']));
      return reply.code(ready ? 200 : 503).header('cache-control', 'no-store').send({ status: ready ? 'ready' : 'not ready', reasons, checks: said });
    });
  };
}
