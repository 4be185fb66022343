import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../../deps.ts';
import { isRefusal } from '../../cycle/refusal.ts';
import { boundInput, boundTarget, listBounds, removeBound, setBounds } from '../../quality/bounds.ts';
import { warningCodes } from '../../quality/quality-warning.ts';
import { listWarnings } from '../../quality/list-warnings.ts';
import { bilingual } from '../../schema/issue.ts';
import { vietnamDay } from '../../schema/vietnam-day.ts';
import { requirePrincipal } from '../auth.ts';
import { refusalError } from '../cycle/refusal-error.ts';
import { HttpError } from '../errors.ts';
import {
  badRequest,
  bodyFromQuery,
  communeField,
  formField,
  guarded,
  jsonAnswer,
  periodField,
  provinceField,
  refused,
  withBody,
} from '../route-schema.ts';

const warningQuery = z.object({
  form: formField.optional(),
  period: periodField.optional(),
  province: provinceField.optional(),
  commune: communeField.optional(),
});
const boundsQuery = z.object({ form: formField.optional(), province: provinceField.optional() });
const boundsBody = z.union([z.object({ bounds: z.array(boundInput).min(1).max(5000) }), boundInput]);

const number = z.number().nullable();
const warningAnswer = z.object({
  truncated: z.boolean(),
  warnings: z.array(
    z.looseObject({
      submission: z.number().int(),
      version: z.number().int().nullable(),
      form: z.string(),
      period: z.string(),
      province: z.string(),
      commune: z.string(),
      commune_name: z.string().nullable(),
      measure: z.string(),
      value: number,
      expected_low: number,
      expected_high: number,
      history: z.array(z.object({ period: z.string(), value: z.number() })),
      code: z.enum(warningCodes),
      message: bilingual,
    }),
  ),
});

/** Setting or removing a bound: what else it may answer. */
const denied = {
  ...withBody,
  ...badRequest,
  403: refused('a commune’s principal, without the read or approve role, or outside the caller’s province'),
  404: refused('no such form, measure, unit or bound'),
};

/** Data quality (SPEC §8): the warnings of current reports, and the min–max bounds analysts set. */
export function qualityRoutes(deps: Deps) {
  const routes: FastifyPluginAsyncZod = async (app) => {
    app.get(
      '/v1/quality',
      {
        schema: {
          operationId: 'listQualityWarnings',
          summary:
            'Data-quality warnings of the current reports (role read): a province reads its own, a commune its own',
          querystring: warningQuery,
          response: {
            200: jsonAnswer(
              'warnings, each with the values it was judged against; truncated when over 5,000',
              warningAnswer,
            ),
            ...guarded,
            ...badRequest,
            403: refused('another province or commune'),
          },
        },
      },
      async (request) => {
        const principal = await requirePrincipal(deps.db, request, 'read');
        const q = request.query;
        // A province reads its own province's warnings, a commune its own commune's: another is forbidden, not empty.
        if (principal.level === 'province' && q.province !== undefined && q.province !== principal.code)
          throw new HttpError('TONGHOP_ERR_FORBIDDEN', { province: q.province });
        if (principal.level === 'commune' && q.commune !== undefined && q.commune !== principal.code)
          throw new HttpError('TONGHOP_ERR_FORBIDDEN', { commune: q.commune });
        return listWarnings(deps.db, {
          form: q.form,
          period: q.period?.canonical,
          province: principal.level === 'province' ? principal.code! : q.province,
          commune: principal.level === 'commune' ? principal.code! : q.commune,
        });
      },
    );

    app.get(
      '/v1/quality/bounds',
      {
        schema: {
          operationId: 'listQualityBounds',
          summary:
            'The min–max bounds set: the caller’s province’s (role read, province scope), every one for an admin',
          querystring: boundsQuery,
          response: { 200: jsonAnswer('bounds'), ...guarded, ...badRequest, 403: refused('a commune’s principal') },
        },
      },
      async (request) => {
        const principal = await requirePrincipal(deps.db, request, 'read');
        if (principal.level === 'commune') throw new HttpError('TONGHOP_ERR_FORBIDDEN', { scope: 'province' });
        return { bounds: await listBounds(deps.db, principal, request.query) };
      },
    );

    // Either role will do, an analyst's (read) or an approver's: setBounds and removeBound check that, and the province.
    app.post(
      '/v1/quality/bounds',
      {
        schema: {
          operationId: 'setQualityBounds',
          summary:
            'Set min–max bounds on a form’s measure for a commune or a province, one or a list, all or none (a province analyst or approver, or an admin)',
          body: boundsBody,
          response: { 201: jsonAnswer('the bounds as stored'), ...denied },
        },
      },
      async (request, reply) => {
        const principal = await requirePrincipal(deps.db, request, null);
        const bounds = 'bounds' in request.body ? request.body.bounds : [request.body];
        const result = await setBounds(deps.db, deps.forms, principal, bounds, deps.now(), vietnamDay(deps.now()));
        if (isRefusal(result)) throw refusalError(result);
        return reply.code(201).send(result);
      },
    );

    app.delete(
      '/v1/quality/bounds',
      {
        preValidation: bodyFromQuery,
        schema: {
          operationId: 'removeQualityBound',
          summary: 'Remove a bound: reports judged from now on no longer carry its warning',
          body: boundTarget,
          response: { 200: jsonAnswer('removed'), ...denied },
        },
      },
      async (request) => {
        const principal = await requirePrincipal(deps.db, request, null);
        const result = await removeBound(
          deps.db,
          deps.forms,
          principal,
          request.body,
          deps.now(),
          vietnamDay(deps.now()),
        );
        if (isRefusal(result)) throw refusalError(result);
        return result;
      },
    );
  };
  return routes;
}
