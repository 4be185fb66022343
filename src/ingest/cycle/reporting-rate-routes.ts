import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Deps } from '../../deps.ts';
import { reportingRatesOf } from '../../read/reporting-rates.ts';
import { vietnamDay } from '../../schema/vietnam-day.ts';
import { requirePrincipal, requireUnitAccess } from '../auth.ts';
import { HttpError } from '../errors.ts';
import { formField, levelField, parseRequest, periodField } from './cycle-request.ts';

const ratesQuery = z.object({ form: formField, period: periodField, level: levelField, unit: z.string().regex(/^\d{2,5}$/u) });

/** `GET /v1/reporting-rates?form&period&level&unit`: DHIS2's reporting and on-time rates of a unit and the units below it. */
export function reportingRateRoutes(deps: Deps) {
  return async (app: FastifyInstance) => {
    app.get('/v1/reporting-rates', async (request) => {
      const principal = await requirePrincipal(deps.db, request, 'read');
      const q = parseRequest(ratesQuery, request.query);
      await requireUnitAccess(deps.db, principal, { level: q.level, code: q.unit }, q.period.lastDay, vietnamDay(deps.now()));
      const rates = await reportingRatesOf(deps.db, { form: q.form, period: q.period, level: q.level, unit: q.unit });
      if (!rates) throw new HttpError('TONGHOP_ERR_NOT_FOUND');
      return rates;
    });
  };
}
