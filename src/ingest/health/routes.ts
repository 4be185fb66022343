import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Deps } from '../../deps.ts';
import { isReady, notReadyReasons, probeDependencies } from '../../health/probe.ts';
import { jsonAnswer } from '../route-schema.ts';

export function healthRoutes(deps: Deps) {
  // Probes answer every request: no 4xx to describe (the 4xx rule is turned off for them in src/ingest/docs/.redocly.lint-ignore.yaml).
  const routes: FastifyPluginAsyncZod = async (app) => {
    const live = {
      operationId: 'live',
      summary: 'Liveness: the process answers',
      security: [],
      response: { 200: jsonAnswer('alive') },
    };
    app.get('/health/live', { schema: live }, async () => ({ status: 'ok' }));

    /** Ready when Postgres and Redis answer and the schema is the one this code expects. */
    const readiness = {
      operationId: 'ready',
      summary: 'Readiness: Postgres, Redis and migrations',
      security: [],
      response: {
        200: jsonAnswer('Postgres, Redis and migrations ready'),
        503: jsonAnswer('not ready: the reasons, by stable codes'),
      },
    };
    app.get('/health/ready', { schema: readiness }, async (_request, reply) => {
      const checks = await probeDependencies(deps);
      const ready = isReady(checks);
      // Anyone may ask: the answer names what is down by stable codes (postgres_unavailable,
      // redis_unavailable, migrations_pending), never how (driver errors carry hosts, users,
      // versions); the operator reads that in the log.
      const reasons = notReadyReasons(checks);
      if (!ready) deps.log.warn({ checks, reasons }, 'not ready');
      const said = Object.fromEntries(
        Object.entries(checks).map(([k, v]) => [k, ['ok', 'pending', 'unknown'].includes(v) ? v : 'unavailable']),
      );
      return reply
        .code(ready ? 200 : 503)
        .header('cache-control', 'no-store')
        .send({ status: ready ? 'ready' : 'not ready', reasons, checks: said });
    });
  };
  return routes;
}
