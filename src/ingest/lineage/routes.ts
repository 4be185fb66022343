import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Deps } from '../../deps.ts';
import { unitLevels } from '../../schema/database.ts';
import { parsePeriod } from '../../schema/period.ts';
import { vietnamDay } from '../../schema/vietnam-day.ts';
import { requirePrincipal } from '../auth.ts';
import { HttpError } from '../errors.ts';
import { lineageOf } from '../../read/lineage.ts';

const lineageQuery = z.object({
  level: z.enum(unitLevels),
  unit: z.string().regex(/^\d{2,5}$/u),
  period: z.string().max(40),
  indicator: z.string().max(64),
  as_of: z.coerce.date().optional(),
});

/** `GET /v1/lineage?level&unit&period&indicator[&as_of]`: a figure and the submission versions and raw files behind it. */
export function lineageRoutes(deps: Deps) {
  return async (app: FastifyInstance) => {
    app.get('/v1/lineage', async (request) => {
      const principal = await requirePrincipal(deps.db, request, 'read');
      const parsed = lineageQuery.safeParse(request.query);
      const period = parsed.success ? parsePeriod(parsed.data.period) : null;
      if (!parsed.success || !period) throw new HttpError('TONGHOP_ERR_BAD_REQUEST');
      const q = parsed.data;
      const found = await lineageOf(deps.db, deps.forms, principal, { level: q.level, unit: q.unit, period: period.canonical, indicator: q.indicator, asOf: q.as_of }, vietnamDay(deps.now()));
      if (found === null) throw new HttpError('TONGHOP_ERR_NOT_FOUND');
      if (found === 'forbidden') throw new HttpError('TONGHOP_ERR_FORBIDDEN');
      return found;
    });
  };
}
