import { isAdministrator } from '../../schema/roles.ts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../../deps.ts';
import { importForms } from '../../forms/import-forms.ts';
import { enqueueRollup } from '../../queue/queues.ts';
import { definitionOf } from '../../schema/form.ts';
import { requirePrincipal } from '../auth.ts';
import { HttpError } from '../errors.ts';
import { jsonAnswer, periodField, refused, withBody } from '../route-schema.ts';
import { buildTemplate } from './template.ts';

const templateQuery = z.object({
  period: periodField.optional().describe('the version serving this period; the newest without'),
});
const templateParams = z.object({ code: z.string().max(40).describe('a form code (GET /v1/forms)') });
/** A form definition (SPEC §6), checked by importForms, which names every problem with its path. */
const definition = z.looseObject({ code: z.string() });

/**
 * The form catalog over HTTP (SPEC §6): every form with every version (`GET /v1/forms`), a
 * template for the version serving a period, or the newest (`?period=`), and the import of
 * definitions by an admin (`POST /v1/forms`, a JSON definition, a list of them, or YAML).
 */
export function formRoutes(deps: Deps) {
  const routes: FastifyPluginAsyncZod = async (app) => {
    for (const type of ['application/yaml', 'application/x-yaml', 'text/yaml', 'text/x-yaml', 'text/plain']) {
      app.addContentTypeParser(type, { parseAs: 'string' }, (_request, body, done) => done(null, body));
    }

    // Public, and it always answers: the linter's 4xx rule is turned off for it (src/ingest/docs/.redocly.lint-ignore.yaml).
    const list = {
      operationId: 'listForms',
      summary: 'Form definitions, every version',
      security: [],
      response: { 200: jsonAnswer('forms') },
    };
    app.get('/v1/forms', { schema: list }, async () => {
      const latest = new Map(deps.forms.list().map((f) => [f.code, f]));
      const versions = deps.forms.versions();
      return {
        forms: [...latest.values()].map((f) => ({
          ...definitionOf(f),
          valid_from: f.valid_from ?? null,
          version: f.version,
          versions: versions
            .filter((v) => v.code === f.code)
            .map((v) => ({ version: v.version, valid_from: v.valid_from ?? null, definition: definitionOf(v) })),
        })),
      };
    });

    const importing = {
      operationId: 'importForms',
      summary: 'Import form definitions (admin; SPEC §6): a JSON definition, a list of them, or YAML',
      readBody: { 'application/json': z.union([definition, z.array(definition)]), 'application/yaml': z.string() },
      response: {
        200: jsonAnswer('identical to a stored version: nothing changed'),
        201: jsonAnswer('a new version stored'),
        ...withBody,
        400: refused('the body is not JSON or YAML'),
        403: refused('not an admin, or a session write without its CSRF token'),
        422: refused('every problem, with its path'),
      },
    };
    app.post('/v1/forms', { schema: importing }, async (request, reply) => {
      // An administrator's: importing a form changes what every commune reports.
      const principal = await requirePrincipal(deps.db, request, null);
      if (!isAdministrator(principal)) throw new HttpError('TONGHOP_ERR_FORBIDDEN');
      const body = request.body;
      const sources =
        typeof body === 'string'
          ? [{ name: 'body', text: body }]
          : Array.isArray(body)
            ? body.map((value, i) => ({ name: `[${i}]`, value }))
            : [{ name: 'body', value: body }];
      const outcome = await importForms(deps.db, sources, principal, deps.now());
      if ('problems' in outcome) throw new HttpError('TONGHOP_ERR_FORM_INVALID', outcome.problems);
      await deps.forms.refresh();
      for (const job of outcome.due) await enqueueRollup(deps.queues, job, 0);
      return reply
        .code(outcome.imported.some((f) => f.changed) ? 201 : 200)
        .send({ forms: outcome.imported, rollups_due: outcome.due.length });
    });

    const template = {
      operationId: 'getFormTemplate',
      summary: 'A ready-to-fill template',
      security: [],
      params: templateParams,
      querystring: templateQuery,
      response: {
        200: {
          description: 'xlsx',
          content: {
            'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': {
              schema: z.string().meta({ format: 'binary' }),
            },
          },
        },
        400: refused('not a period'),
        404: refused('no such form'),
      },
    };
    app.get('/v1/forms/:code/template.xlsx', { schema: template }, async (request, reply) => {
      const form = deps.forms.find(request.params.code, request.query.period?.lastDay);
      if (!form) throw new HttpError('TONGHOP_ERR_NOT_FOUND');
      return reply
        .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename="${form.code}-mau.xlsx"`)
        .send(await buildTemplate(form));
    });
  };
  return routes;
}
