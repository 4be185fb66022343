import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../../db/connect.ts';
import type { Deps } from '../../deps.ts';
import { formsOfPeriod, type FormCatalog } from '../../forms/form-catalog.ts';
import { parsePeriod } from '../../schema/period.ts';
import { vietnamDay } from '../../schema/vietnam-day.ts';
import { communeAt, unitNames } from '../../units/lookup.ts';
import { loadHolidayCalendar } from '../../cycle/holidays.ts';
import { dueStateOf, dueStatusOf } from '../../read/due-status.ts';
import { duePeriods } from '../../read/due-periods.ts';
import { erasCover, readableEras, type CommuneEras } from '../../read/read-scope.ts';
import { requirePrincipal } from '../auth.ts';
import { HttpError } from '../errors.ts';
import { badRequest, communeField, guarded, jsonAnswer, refused } from '../route-schema.ts';

const dueQuery = z.object({ commune: communeField });

/**
 * For the recent quarters (the one under way once open) and every period the commune has reported, each form with its current
 * version, or nothing yet. A period in which the commune did not exist (before or after a reform)
 * is left out, and so is one whose hierarchy the reader does not cover (a reused code's other era).
 */
export async function dueOf(db: Db, forms: FormCatalog, commune: string, now: Date, scope: CommuneEras) {
  const slots = await db
    .selectFrom('report_slot as s')
    .innerJoin('submission as sub', 'sub.id', 's.current_submission_id')
    .select([
      's.form',
      's.period',
      's.current_submission_id',
      'sub.version',
      'sub.received_at',
      's.on_time',
      's.days_late',
    ])
    .where('s.commune_code', '=', commune)
    .execute();
  const today = vietnamDay(now);
  const holidays = await loadHolidayCalendar(db);
  const periods = [...new Set([...duePeriods(forms, holidays, now), ...slots.map((s) => s.period)])].sort().reverse();
  const found = [];
  for (const canonical of periods) {
    const period = parsePeriod(canonical);
    const unit = period && erasCover(scope, period.lastDay) ? await communeAt(db, commune, period.lastDay) : null;
    if (period && unit) found.push({ period, province: unit.province_code });
  }
  const status = await dueStatusOf(
    db,
    forms,
    holidays,
    commune,
    found.flatMap((p) => formsOfPeriod(forms, p.period).map((f) => ({ ...p, form: f.code }))),
    today,
  );
  const out = found.map(({ period }) => ({
    period: period.canonical,
    forms: formsOfPeriod(forms, period).map((f) => {
      const slot = slots.find((s) => s.period === period.canonical && s.form === f.code);
      const cycle = status.get(`${period.canonical}:${f.code}`)!;
      return {
        form: f.code,
        submission_id: slot?.current_submission_id ?? null,
        version: slot?.version ?? null,
        received_at: slot?.received_at ?? null,
        // SPEC §7: the verdict of the first accepted version, the deadline, and whether the period still takes a version.
        on_time: slot?.on_time ?? null,
        days_late: slot?.days_late ?? null,
        ...cycle,
        state: dueStateOf(cycle, { version: slot?.version ?? null, on_time: slot?.on_time ?? null }, today),
      };
    }),
  }));
  // Per form, the period the officer owes next: the nearest deadline still ahead, else the latest one missed
  // (older missed periods stay in the table, marked overdue). Only periods that still take a report.
  const next = forms.list().flatMap((f) => {
    const owed = out.flatMap((p) =>
      p.forms
        .filter((x) => x.form === f.code && (x.state === 'due' || x.state === 'overdue'))
        .map((x) => ({ period: p.period, ...x })),
    );
    const ahead = owed.filter((x) => x.state === 'due').sort((a, b) => a.deadline.localeCompare(b.deadline));
    const missed = owed.filter((x) => x.state === 'overdue').sort((a, b) => b.deadline.localeCompare(a.deadline));
    const owedNext = ahead[0] ?? missed[0];
    return owedNext
      ? [
          {
            form: f.code,
            period: owedNext.period,
            deadline: owedNext.deadline,
            working_days_left: owedNext.working_days_left,
            state: owedNext.state,
          },
        ]
      : [];
  });
  // The page names the commune, not only its code.
  const commune_name = (await unitNames(db, 'commune', [commune])).get(commune) ?? null;
  return { commune, commune_name, today, next, periods: out };
}

/** `GET /v1/due?commune=C`: what a commune has sent and still owes. */
export function dueRoutes(deps: Deps) {
  const routes: FastifyPluginAsyncZod = async (app) => {
    const schema = {
      operationId: 'getDue',
      summary: 'What a commune has sent and still owes, by period and form',
      querystring: dueQuery,
      response: {
        200: jsonAnswer(
          'periods with each form’s current version or null, its deadline, working_days_left and state (approved, ' +
            'locked, on_time, late, sent, expired, overdue, due); next: per form the period owed next',
        ),
        ...guarded,
        ...badRequest,
        403: refused('another commune'),
      },
    };
    app.get('/v1/due', { schema }, async (request) => {
      const principal = await requirePrincipal(deps.db, request, 'read');
      const commune = request.query.commune;
      const scope = await readableEras(deps.db, principal, commune, vietnamDay(deps.now()));
      if (!scope.all && scope.eras.length === 0) throw new HttpError('TONGHOP_ERR_FORBIDDEN');
      return dueOf(deps.db, deps.forms, commune, deps.now(), scope);
    });
  };
  return routes;
}
