import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../deps.ts';
import { openapiOf } from './openapi.ts';

export function docsRoutes(deps: Deps) {
  return async (app: FastifyInstance) => {
    app.get('/docs', async () => openapiOf(deps.forms));
    app.get('/docs/openapi.json', async () => openapiOf(deps.forms));
  };
}
