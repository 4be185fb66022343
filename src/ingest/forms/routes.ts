import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Deps } from '../../deps.ts';
import { importForms } from '../../forms/import-forms.ts';
import { enqueueRollup } from '../../queue/queues.ts';
import { definitionOf } from '../../schema/form.ts';
import { parsePeriod } from '../../schema/period.ts';
import { requirePrincipal } from '../auth.ts';
import { HttpError } from '../errors.ts';
import { buildTemplate } from './template.ts';

const templateQuery = z.object({ period: z.string().max(40).optional() });

/**
 * The form catalog over HTTP (SPEC §6): every form with every version (`GET /v1/forms`), a
 * template for the version serving a period, or the newest (`?period=`), and the import of
 * definitions by an admin (`POST /v1/forms`, a JSON definition, a list of them, or YAML).
 */
export function formRoutes(deps: Deps) {
  return async (app: FastifyInstance) => {
    for (const type of ['application/yaml', 'application/x-yaml', 'text/yaml', 'text/x-yaml', 'text/plain']) {
      app.addContentTypeParser(type, { parseAs: 'string' }, (_request, body, done) => done(null, body));
    }

    app.get('/v1/forms', async () => {
      const latest = new Map(deps.forms.list().map((f) => [f.code, f]));
      const versions = deps.forms.versions();
      return {
        forms: [...latest.values()].map((f) => ({
          ...definitionOf(f),
          valid_from: f.valid_from ?? null,
          version: f.version,
          versions: versions.filter((v) => v.code === f.code).map((v) => ({ version: v.version, valid_from: v.valid_from ?? null, definition: definitionOf(v) })),
        })),
      };
    });

    app.post('/v1/forms', async (request, reply) => {
      // An admin scope: importing a form changes what every commune reports, not a role's business.
      const principal = await requirePrincipal(deps.db, request, null);
      if (principal.level !== 'admin') throw new HttpError('TONGHOP_ERR_FORBIDDEN');
      const body = request.body;
      const sources =
        typeof body === 'string'
          ? [{ name: 'body', text: body }]
          : Array.isArray(body)
            ? body.map((value, i) => ({ name: `[${i}]`, value }))
            : [{ name: 'body', value: body }];
      const outcome = await importForms(deps.db, sources, { by: principal.level });
      if ('problems' in outcome) throw new HttpError('TONGHOP_ERR_FORM_INVALID', outcome.problems);
      await deps.forms.refresh();
      for (const job of outcome.due) await enqueueRollup(deps.queues, job, 0);
      return reply.code(outcome.imported.some((f) => f.changed) ? 201 : 200).send({ forms: outcome.imported, rollups_due: outcome.due.length });
    });

    app.get('/v1/forms/:code/template.xlsx', async (request, reply) => {
      const query = templateQuery.safeParse(request.query);
      if (!query.success) throw new HttpError('TONGHOP_ERR_BAD_REQUEST');
      const period = query.data.period === undefined ? undefined : parsePeriod(query.data.period);
      if (period === null) throw new HttpError('TONGHOP_ERR_BAD_REQUEST');
      const form = deps.forms.find((request.params as { code: string }).code, period?.lastDay);
      if (!form) throw new HttpError('TONGHOP_ERR_NOT_FOUND');
      return reply
        .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename="${form.code}-mau.xlsx"`)
        .send(await buildTemplate(form));
    });
  };
}
