import Fastify, { type FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import type { Deps } from '../deps.ts';
import { healthRoutes } from '../ingest/health/routes.ts';
import { errorBody, HttpError } from '../ingest/errors.ts';
import { metricsRoutes } from '../ingest/metrics/routes.ts';
import { useZodSchemas } from '../ingest/route-schema.ts';

/**
 * The small HTTP listener of a process that serves no other HTTP (`worker`, `rollup`): `/metrics`
 * for Prometheus, `/health/live` and `/health/ready` for the orchestrator.
 */
export async function listenMetrics(
  deps: Deps,
  registry: Registry,
  where: { port: number; host: string },
): Promise<{ url: string; server: FastifyInstance }> {
  const server = Fastify({ logger: false });
  useZodSchemas(server);
  server.setErrorHandler((error, _request, reply) =>
    error instanceof HttpError ? reply.code(error.status).send(errorBody(error)) : reply.code(500).send(),
  );
  await server.register(metricsRoutes(registry, deps.config.METRICS_TOKEN));
  await server.register(healthRoutes(deps));
  const url = await server.listen(where);
  return { url, server };
}
