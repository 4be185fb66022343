import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../deps.ts';
import { requirePrincipal } from '../auth.ts';
import { HttpError } from '../errors.ts';
import { collectStatus } from './collect.ts';

/** `GET /v1/status`: the operator's page, as JSON; admin only, like /admin/queues. */
export function statusRoutes(deps: Deps) {
  return async (app: FastifyInstance) => {
    app.get('/v1/status', async (request, reply) => {
      const principal = await requirePrincipal(deps.db, request, 'read');
      if (principal.level !== 'admin') throw new HttpError('TONGHOP_ERR_FORBIDDEN');
      return reply.header('cache-control', 'no-store').send(await collectStatus(deps));
    });
  };
}
