import type { FastifyInstance } from 'fastify';
import { findForm, forms } from '../../schema/form-registry.ts';
import { HttpError } from '../errors.ts';
import { buildTemplate } from './template.ts';

/** The form definitions, as a client needs them to build or check a file. */
export function formRoutes() {
  return async (app: FastifyInstance) => {
    app.get('/v1/forms', async () => ({
      forms: forms.map((f) => ({
        code: f.code,
        title: f.title,
        rows: f.rows,
        fields: f.fields.map((x) => ({ key: x.key, header: x.header, en: x.en, type: x.type, requires: x.requires ?? null, at_most: x.atMost ?? null })),
        indicators: f.indicators.map((i) => ({ code: i.code, name: i.name, numerator: i.numerator, denominator: i.denominator ?? null })),
      })),
    }));

    app.get('/v1/forms/:code/template.xlsx', async (request, reply) => {
      const form = findForm((request.params as { code: string }).code);
      if (!form) throw new HttpError('TONGHOP_ERR_NOT_FOUND');
      return reply
        .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename="${form.code}-mau.xlsx"`)
        .send(await buildTemplate(form));
    });
  };
}
