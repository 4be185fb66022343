import Fastify, { type FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import type { Deps } from '../deps.ts';
import { healthRoutes } from '../ingest/health/routes.ts';
import { metricsRoutes } from '../ingest/metrics/routes.ts';

/**
 * The small HTTP listener of a process that serves no other HTTP (`worker`, `rollup`): `/metrics`
 * for Prometheus, `/health/live` and `/health/ready` for the orchestrator.
 */
export async function listenMetrics(deps: Deps, registry: Registry, where: { port: number; host: string }): Promise<{ url: string; server: FastifyInstance }> {
  const server = Fastify({ logger: false });
  await server.register(metricsRoutes(registry));
  await server.register(healthRoutes(deps));
  const url = await server.listen(where);
  return { url, server };
}
