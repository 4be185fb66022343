import type { FastifyInstance } from 'fastify';
import { openapi } from './openapi.ts';

export function docsRoutes() {
  return async (app: FastifyInstance) => {
    app.get('/docs', async () => openapi);
    app.get('/docs/openapi.json', async () => openapi);
  };
}
