import type { FastifyInstance } from 'fastify';

/** The document registerOpenapi (openapi.ts) made from the routes, at /docs and /docs/openapi.json. */
export function docsRoutes() {
  return async (app: FastifyInstance) => {
    app.get('/docs', async () => app.swagger());
    app.get('/docs/openapi.json', async () => app.swagger());
  };
}
