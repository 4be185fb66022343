import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../../db/connect.ts';
import type { Deps } from '../../deps.ts';
import type { Period } from '../../schema/period.ts';
import type { Principal } from '../../schema/scope.ts';
import { vietnamDay } from '../../schema/vietnam-day.ts';
import { scopeTargetOf } from '../../units/scope-target.ts';
import { readScopeOf } from '../../read/read-scope.ts';
import { requirePrincipal, requireUnitAccess } from '../auth.ts';
import { HttpError } from '../errors.ts';
import { badRequest, guarded, jsonAnswer, periodField, provinceField, refused } from '../route-schema.ts';
import { reportingOf } from '../../read/reporting.ts';
import { duePeriods } from '../../read/due-periods.ts';
import { loadHolidayCalendar } from '../../cycle/holidays.ts';
import { unitNames } from '../../units/lookup.ts';

/** The provinces valid on `day`. */
async function provincesOn(db: Db, day: string): Promise<string[]> {
  const rows = await db
    .selectFrom('admin_unit')
    .select('code')
    .where('level', '=', 'province')
    .where('valid_from', '<=', day)
    .where((eb) => eb.or([eb('valid_to', 'is', null), eb('valid_to', '>=', day)]))
    .orderBy('code')
    .execute();
  return rows.map((r) => r.code);
}

const reportingQuery = z.object({
  period: periodField,
  province: provinceField.optional().describe('required for an admin'),
});

/**
 * The province an analyst's question is about: the one asked for, else their own; a province
 * analyst may ask for an earlier province merged into theirs, for its periods (SPEC §5, every era).
 */
async function provinceFor(
  db: Db,
  principal: Principal,
  asked: string | undefined,
  period: Period,
  today: string,
): Promise<string> {
  if (principal.level === 'commune') throw new HttpError('TONGHOP_ERR_FORBIDDEN');
  const province = asked ?? principal.code;
  if (!province)
    throw new HttpError('TONGHOP_ERR_BAD_REQUEST', [
      { path: 'province', message: { vi: 'cần chọn tỉnh', en: 'required for the national scope' } },
    ]);
  await requireUnitAccess(db, principal, { level: 'province', code: province }, period.lastDay, today);
  return province;
}

/** What analysts pick from and check: the periods that have figures, and who reported for one. */
export function reportingRoutes(deps: Deps) {
  const routes: FastifyPluginAsyncZod = async (app) => {
    /** `GET /v1/periods`: every province-period with a snapshot that the caller may read, newest first; the periods due; the provinces by name. */
    const periods = {
      operationId: 'listPeriods',
      summary:
        'The province-periods with figures that the caller may read, the periods due (figures or not) and the provinces by name',
      response: { 200: jsonAnswer('periods'), ...guarded },
    };
    app.get('/v1/periods', { schema: periods }, async (request) => {
      const principal = await requirePrincipal(deps.db, request, 'read');
      const today = vietnamDay(deps.now());
      const scope = await readScopeOf(deps.db, principal, today);
      let query = deps.db
        .selectFrom('snapshot_head')
        .select(['province_code', 'period', 'period_end', 'snapshot_version', 'computed_at']);
      if (scope?.level === 'province') {
        query = query.where((eb) =>
          eb.or([
            eb('province_code', '=', scope.code),
            ...scope.merged.map((era) =>
              eb.and([
                eb('province_code', '=', era.code),
                eb('period_end', '>=', era.validFrom),
                eb('period_end', '<=', era.validTo ?? '9999-12-31'),
              ]),
            ),
          ]),
        );
      }
      if (scope?.level === 'commune') {
        const target = await scopeTargetOf(deps.db, { level: 'commune', code: scope.code }, today);
        if (!target) return { periods: [] };
        query = query.where('province_code', 'in', target.provinceCodes);
      }
      const rows = await query
        .orderBy('period_end', 'desc')
        .orderBy('period', 'desc')
        .orderBy('province_code')
        .limit(5000)
        .execute();
      // The quarters being collected or just due have no figures yet, and an analyst opens them to see
      // who has not reported: listed too, for every province the caller reads (an admin: every province today).
      const due = duePeriods(deps.forms, await loadHolidayCalendar(deps.db), deps.now());
      const own =
        scope?.level === 'province'
          ? [scope.code]
          : scope?.level === 'commune'
            ? []
            : await provincesOn(deps.db, today);
      const names = await unitNames(deps.db, 'province', [...new Set([...own, ...rows.map((r) => r.province_code)])]);
      return { periods: rows, due, provinces: [...names].map(([code, name]) => ({ code, name })) };
    });

    /** `GET /v1/reporting?period&province`: completeness per form, and each commune's reports and when it last reported. */
    const reporting = {
      operationId: 'getReporting',
      summary: 'Who has reported for a province-period, the missing communes and when each last reported',
      querystring: reportingQuery,
      response: {
        200: jsonAnswer('per form and per commune'),
        ...guarded,
        ...badRequest,
        403: refused('another province, or a commune principal'),
      },
    };
    app.get('/v1/reporting', { schema: reporting }, async (request) => {
      const principal = await requirePrincipal(deps.db, request, 'read');
      const { period, province } = request.query;
      return reportingOf(
        deps.db,
        deps.forms,
        await provinceFor(deps.db, principal, province, period, vietnamDay(deps.now())),
        period,
      );
    });
  };
  return routes;
}
