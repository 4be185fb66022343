import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../deps.ts';
import { isReady, notReadyReasons, probeDependencies } from '../../health/probe.ts';

export function healthRoutes(deps: Deps) {
  return async (app: FastifyInstance) => {
    app.get('/health/live', async () => ({ status: 'ok' }));

    /** Ready when Postgres and Redis answer and the schema is the one this code expects. */
    app.get('/health/ready', async (request, reply) => {
      const checks = await probeDependencies(deps);
      const ready = isReady(checks);
      // `reasons` are stable codes (postgres_unavailable, redis_unavailable, migrations_pending); what failed exactly is logged.
      const reasons = notReadyReasons(checks);
      if (!ready) request.log.warn({ checks, reasons }, 'not ready');
      return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not ready', reasons, checks });
    });
  };
}
