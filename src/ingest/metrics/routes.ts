import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import { HttpError } from '../errors.ts';

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** `GET /metrics` in the Prometheus text format; with a token, only for a request that brings it as a bearer token. */
export function metricsRoutes(registry: Registry, token?: string) {
  return async (app: FastifyInstance) => {
    app.get('/metrics', async (request, reply) => {
      if (token !== undefined && !sameSecret(request.headers.authorization ?? '', `Bearer ${token}`))
        throw new HttpError('TONGHOP_ERR_UNAUTHORIZED');
      const body = await registry.metrics();
      return reply.type(registry.contentType).header('cache-control', 'no-store').send(body);
    });
  };
}
