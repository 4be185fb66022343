import swagger, { type SwaggerTransform, type SwaggerTransformObject } from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { z } from 'zod';

/** The HTTP interface is /v1 and the probes; the web pages, the dashboard, /metrics and /docs itself are not part of it. */
const api = /^\/(?:v1|health)\//u;

/**
 * A route's part of the document: its zod schemas as JSON Schema (fastify-type-provider-zod), and
 * a body the handler reads itself (`readBody`, route-schema.ts) as the request body it describes.
 */
const transform: SwaggerTransform = (route) => {
  if (!api.test(route.url)) return { schema: { hide: true }, url: route.url };
  const { readBody, ...schema } = route.schema ?? {};
  const described = jsonSchemaTransform({ ...route, schema } as Parameters<typeof jsonSchemaTransform>[0]);
  if (!readBody) return described;
  const content = Object.fromEntries(
    Object.entries(readBody).map(([type, body]) => {
      const { $schema: _, ...json } = z.toJSONSchema(body, {
        target: 'draft-2020-12',
        io: 'input',
        unrepresentable: 'any',
      });
      return [type, { schema: json }];
    }),
  );
  return { ...described, schema: { ...described.schema, body: { content } } };
};

/**
 * The schemas given an `id` (route-schema.ts) as components, those the paths refer to: the
 * provider adds an input and an output form of each, of which a document uses one.
 */
const transformObject: SwaggerTransformObject = (document) => {
  const whole = jsonSchemaTransformObject(document as Parameters<typeof jsonSchemaTransformObject>[0]) as {
    paths?: object;
    components?: { schemas?: Record<string, unknown> };
  };
  const all = Object.entries(whole.components?.schemas ?? {});
  const kept = new Map<string, unknown>();
  // What the paths refer to, and what that refers to in turn.
  for (let text = JSON.stringify(whole.paths), grew = true; grew; ) {
    const found = all.filter(([id]) => !kept.has(id) && text.includes(`"#/components/schemas/${id}"`));
    for (const [id, schema] of found) kept.set(id, schema);
    text = JSON.stringify(found);
    grew = found.length > 0;
  }
  const schemas = Object.fromEntries(kept);
  return { ...whole, components: { ...whole.components, schemas } } as ReturnType<SwaggerTransformObject>;
};

/**
 * The OpenAPI description of the HTTP interface (SPEC §5), served at /docs: made from the routes'
 * own schemas as they are registered, so it cannot drift from what they accept. Registered before
 * the routes, whose registration it watches.
 */
export async function registerOpenapi(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'tonghop',
        version: '1',
        description: 'Commune reports in, commune, district and province indicator snapshots out.',
      },
      // Relative: the document describes the server that serves it, wherever it is installed.
      servers: [{ url: '/', description: 'the tonghop server serving this document' }],
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer' },
          session: {
            type: 'apiKey',
            in: 'cookie',
            name: 'tonghop_session',
            description: 'a person’s login (POST /v1/session); a write also sends X-CSRF-Token',
          },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
    },
    transform,
    transformObject,
  });
}
