import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Deps } from '../../deps.ts';
import { isRefusal } from '../../cycle/refusal.ts';
import { boundInput, boundTarget, listBounds, removeBound, setBounds } from '../../quality/bounds.ts';
import { listWarnings } from '../../quality/list-warnings.ts';
import { vietnamDay } from '../../schema/vietnam-day.ts';
import { requirePrincipal } from '../auth.ts';
import { formField, parseRequest, periodField } from '../cycle/cycle-request.ts';
import { refusalError } from '../cycle/refusal-error.ts';
import { HttpError } from '../errors.ts';

const warningQuery = z.object({
  form: formField.optional(),
  period: periodField.optional(),
  province: z.string().regex(/^\d{2}$/u).optional(),
  commune: z.string().regex(/^\d{5}$/u).optional(),
});
const boundsQuery = z.object({ form: formField.optional(), province: z.string().regex(/^\d{2}$/u).optional() });
const boundsBody = z.union([z.object({ bounds: z.array(boundInput).min(1).max(5000) }), boundInput.transform((b) => ({ bounds: [b] }))]);

/** Data quality (SPEC §8): the warnings of current reports, and the min–max bounds analysts set. */
export function qualityRoutes(deps: Deps) {
  return async (app: FastifyInstance) => {
    app.get('/v1/quality', async (request) => {
      const principal = await requirePrincipal(deps.db, request, 'read');
      const q = parseRequest(warningQuery, request.query);
      // A province reads its own province's warnings, a commune its own commune's: another is forbidden, not empty.
      if (principal.level === 'province' && q.province !== undefined && q.province !== principal.code) throw new HttpError('TONGHOP_ERR_FORBIDDEN', { province: q.province });
      if (principal.level === 'commune' && q.commune !== undefined && q.commune !== principal.code) throw new HttpError('TONGHOP_ERR_FORBIDDEN', { commune: q.commune });
      const filter = {
        form: q.form,
        period: q.period?.canonical,
        province: principal.level === 'province' ? principal.code! : q.province,
        commune: principal.level === 'commune' ? principal.code! : q.commune,
      };
      return listWarnings(deps.db, filter);
    });

    app.get('/v1/quality/bounds', async (request) => {
      const principal = await requirePrincipal(deps.db, request, 'read');
      if (principal.level === 'commune') throw new HttpError('TONGHOP_ERR_FORBIDDEN', { scope: 'province' });
      const q = parseRequest(boundsQuery, request.query);
      return { bounds: await listBounds(deps.db, principal, q) };
    });

    // Either role will do, an analyst's (read) or an approver's: setBounds checks that, and the province.
    app.post('/v1/quality/bounds', async (request, reply) => {
      const principal = await requirePrincipal(deps.db, request, null);
      const body = parseRequest(boundsBody, request.body);
      const result = await setBounds(deps.db, deps.forms, principal, body.bounds, deps.now(), vietnamDay(deps.now()));
      if (isRefusal(result)) throw refusalError(result);
      return reply.code(201).send(result);
    });

    app.delete('/v1/quality/bounds', async (request) => {
      const principal = await requirePrincipal(deps.db, request, null);
      const body = parseRequest(boundTarget, request.body ?? request.query);
      const result = await removeBound(deps.db, deps.forms, principal, body, deps.now(), vietnamDay(deps.now()));
      if (isRefusal(result)) throw refusalError(result);
      return result;
    });
  };
}
