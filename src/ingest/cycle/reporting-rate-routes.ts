import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../../deps.ts';
import { reportingRatesOf } from '../../read/reporting-rates.ts';
import { HttpError } from '../errors.ts';
import {
  badRequest,
  formField,
  guarded,
  jsonAnswer,
  levelField,
  periodField,
  refused,
  unitField,
} from '../route-schema.ts';
import { requireUnitReader } from './require-unit-reader.ts';

const ratesQuery = z.object({ form: formField, period: periodField, level: levelField, unit: unitField });

/** `GET /v1/reporting-rates?form&period&level&unit`: DHIS2's reporting and on-time rates of a unit and the units below it. */
export function reportingRateRoutes(deps: Deps) {
  const routes: FastifyPluginAsyncZod = async (app) => {
    const schema = {
      operationId: 'getReportingRates',
      summary: 'DHIS2-named reporting and on-time rates of a unit and the units below it (role read)',
      querystring: ratesQuery,
      response: {
        200: jsonAnswer(
          'expected_reports, actual_reports, actual_reports_on_time, reporting_rate, reporting_rate_on_time ' +
            '(percent), `below` (one level down) and `communes` (every commune under the unit, with days_late)',
        ),
        ...guarded,
        ...badRequest,
        403: refused('without the read role, or outside the caller’s scope'),
        404: refused('no such unit in the period'),
      },
    };
    app.get('/v1/reporting-rates', { schema }, async (request) => {
      const q = request.query;
      await requireUnitReader(deps, request, { level: q.level, code: q.unit }, q.period);
      const rates = await reportingRatesOf(deps.db, { form: q.form, period: q.period, level: q.level, unit: q.unit });
      if (!rates) throw new HttpError('TONGHOP_ERR_NOT_FOUND');
      return rates;
    });
  };
  return routes;
}
