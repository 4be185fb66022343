import { isAdministrator } from '../../schema/roles.ts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Deps } from '../../deps.ts';
import { requirePrincipal } from '../auth.ts';
import { HttpError } from '../errors.ts';
import { guarded, jsonAnswer, refused } from '../route-schema.ts';
import { collectStatus } from './collect.ts';

/** `GET /v1/status`: the operator's page, as JSON; admin only, like /admin/queues. */
export function statusRoutes(deps: Deps) {
  const routes: FastifyPluginAsyncZod = async (app) => {
    const schema = {
      operationId: 'getStatus',
      summary: 'Operator status: queue counts, snapshot lag, last rollups, failed jobs (admin)',
      response: { 200: jsonAnswer('status'), ...guarded, 403: refused('not an admin') },
    };
    app.get('/v1/status', { schema }, async (request, reply) => {
      const principal = await requirePrincipal(deps.db, request, 'read');
      if (!isAdministrator(principal)) throw new HttpError('TONGHOP_ERR_FORBIDDEN');
      return reply.header('cache-control', 'no-store').send(await collectStatus(deps));
    });
  };
  return routes;
}
