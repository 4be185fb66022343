import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Db } from '../../db/connect.ts';
import type { Deps } from '../../deps.ts';
import { endedQuarters } from '../../schema/ended-quarters.ts';
import { formsOfPeriod, type FormCatalog } from '../../forms/form-catalog.ts';
import { parsePeriod } from '../../schema/period.ts';
import { vietnamDay } from '../../schema/vietnam-day.ts';
import { communeAt } from '../../units/lookup.ts';
import { requireCommuneAccess, requirePrincipal } from '../auth.ts';
import { HttpError } from '../errors.ts';

const dueQuery = z.object({ commune: z.string().regex(/^\d{5}$/u) });

/** Quarters looked back over when listing what a commune still owes. */
const lookBack = 4;

/**
 * For the recent quarters and every period the commune has reported, each form with its current
 * version, or nothing yet. A period in which the commune did not exist (before or after a reform)
 * is left out.
 */
export async function dueOf(db: Db, forms: FormCatalog, commune: string, now: Date) {
  const slots = await db
    .selectFrom('report_slot as s')
    .innerJoin('submission as sub', 'sub.id', 's.current_submission_id')
    .select(['s.form', 's.period', 's.current_submission_id', 'sub.version', 'sub.received_at'])
    .where('s.commune_code', '=', commune)
    .execute();
  const periods = [...new Set([...endedQuarters(now, lookBack), ...slots.map((s) => s.period)])].sort().reverse();
  const out = [];
  for (const canonical of periods) {
    const period = parsePeriod(canonical);
    if (!period || !(await communeAt(db, commune, period.lastDay))) continue;
    out.push({
      period: canonical,
      forms: formsOfPeriod(forms, period).map((f) => {
        const slot = slots.find((s) => s.period === canonical && s.form === f.code);
        return { form: f.code, submission_id: slot?.current_submission_id ?? null, version: slot?.version ?? null, received_at: slot?.received_at ?? null };
      }),
    });
  }
  return { commune, periods: out };
}

/** `GET /v1/due?commune=C`: what a commune has sent and still owes. */
export function dueRoutes(deps: Deps) {
  return async (app: FastifyInstance) => {
    app.get('/v1/due', async (request) => {
      const principal = await requirePrincipal(deps.db, request);
      const parsed = dueQuery.safeParse(request.query);
      if (!parsed.success) throw new HttpError('TONGHOP_ERR_BAD_REQUEST');
      const commune = parsed.data.commune;
      await requireCommuneAccess(deps.db, principal, commune, vietnamDay(deps.now()));
      return dueOf(deps.db, deps.forms, commune, deps.now());
    });
  };
}
