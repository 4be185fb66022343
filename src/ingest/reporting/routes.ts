import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Deps } from '../../deps.ts';
import { parsePeriod } from '../../schema/period.ts';
import type { Principal } from '../../schema/scope.ts';
import { requirePrincipal } from '../auth.ts';
import { HttpError } from '../errors.ts';
import { reportingOf } from './query.ts';

const reportingQuery = z.object({ period: z.string().max(40), province: z.string().regex(/^\d{2}$/u).optional() });

/** The province an analyst's question is about: their own, or for an admin the one asked for. */
function provinceFor(principal: Principal, asked: string | undefined): string {
  if (principal.level === 'province') {
    if (asked !== undefined && asked !== principal.code) throw new HttpError('TONGHOP_ERR_FORBIDDEN');
    return principal.code!;
  }
  if (principal.level === 'admin' && asked) return asked;
  if (principal.level === 'admin') throw new HttpError('TONGHOP_ERR_BAD_REQUEST', [{ path: 'province', message: 'required for an admin' }]);
  throw new HttpError('TONGHOP_ERR_FORBIDDEN');
}

/** What analysts pick from and check: the periods that have figures, and who reported for one. */
export function reportingRoutes(deps: Deps) {
  return async (app: FastifyInstance) => {
    /** `GET /v1/periods`: every province-period with a snapshot that the caller may read, newest first. */
    app.get('/v1/periods', async (request) => {
      const principal = await requirePrincipal(deps.db, request);
      let query = deps.db.selectFrom('snapshot_head').select(['province_code', 'period', 'period_end', 'snapshot_version', 'computed_at']);
      if (principal.level === 'province') query = query.where('province_code', '=', principal.code!);
      if (principal.level === 'commune') {
        query = query.where('province_code', 'in', deps.db.selectFrom('admin_unit').select('province_code').where('level', '=', 'commune').where('code', '=', principal.code!));
      }
      const rows = await query.orderBy('period_end', 'desc').orderBy('period', 'desc').orderBy('province_code').limit(5000).execute();
      return { periods: rows };
    });

    /** `GET /v1/reporting?period&province`: completeness per form, and each commune's reports and when it last reported. */
    app.get('/v1/reporting', async (request) => {
      const principal = await requirePrincipal(deps.db, request);
      const parsed = reportingQuery.safeParse(request.query);
      const period = parsed.success ? parsePeriod(parsed.data.period) : null;
      if (!parsed.success || !period) throw new HttpError('TONGHOP_ERR_BAD_REQUEST');
      return reportingOf(deps.db, provinceFor(principal, parsed.data.province), period);
    });
  };
}
