import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../../deps.ts';
import { vietnamDay } from '../../schema/vietnam-day.ts';
import { requirePrincipal } from '../auth.ts';
import { HttpError } from '../errors.ts';
import {
  badRequest,
  guarded,
  instantField,
  jsonAnswer,
  levelField,
  periodField,
  refused,
  unitField,
} from '../route-schema.ts';
import { lineageOf } from '../../read/lineage.ts';

const lineageQuery = z.object({
  level: levelField,
  unit: unitField,
  period: periodField,
  indicator: z.string().max(64),
  as_of: instantField.optional(),
});

/** `GET /v1/lineage?level&unit&period&indicator[&as_of]`: a figure and the submission versions and raw files behind it. */
export function lineageRoutes(deps: Deps) {
  const routes: FastifyPluginAsyncZod = async (app) => {
    const schema = {
      operationId: 'getLineage',
      summary: 'A figure and the submission versions and raw files it was computed from (SPEC §4.7)',
      querystring: lineageQuery,
      response: {
        200: jsonAnswer('figure, form, sources with every version'),
        ...guarded,
        ...badRequest,
        403: refused('outside the caller’s scope'),
        404: refused('no such figure'),
      },
    };
    app.get('/v1/lineage', { schema }, async (request) => {
      const principal = await requirePrincipal(deps.db, request, 'read');
      const q = request.query;
      const found = await lineageOf(
        deps.db,
        deps.forms,
        principal,
        { level: q.level, unit: q.unit, period: q.period.canonical, indicator: q.indicator, asOf: q.as_of },
        vietnamDay(deps.now()),
      );
      if (found === null) throw new HttpError('TONGHOP_ERR_NOT_FOUND');
      if (found === 'forbidden') throw new HttpError('TONGHOP_ERR_FORBIDDEN');
      return found;
    });
  };
  return routes;
}
