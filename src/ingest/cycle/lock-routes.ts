import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Deps } from '../../deps.ts';
import { grantException, listExceptions, revokeException } from '../../cycle/lock-exceptions.ts';
import { lockPeriod, unlockPeriod } from '../../cycle/locks.ts';
import { isRefusal } from '../../cycle/refusal.ts';
import { vietnamDay } from '../../schema/vietnam-day.ts';
import { requirePrincipal } from '../auth.ts';
import { formField, parseRequest, periodField, reasonField } from './cycle-request.ts';
import { refusalError } from './refusal-error.ts';

const lockBody = z.object({ form: formField, period: periodField, province: z.string().regex(/^\d{2}$/u), reason: reasonField.optional() });
const exceptionBody = z.object({ form: formField, commune: z.string().regex(/^\d{5}$/u), period: periodField, until: z.iso.date(), reason: reasonField });
const exceptionQuery = z.object({ form: formField.optional(), period: periodField.optional(), all: z.enum(['true', 'false']).optional() });
const revokeBody = z.object({ id: z.coerce.number().int().positive(), reason: reasonField.optional() });

/** Period locks and lock exceptions (SPEC §7): a province approver's, within the province. */
export function lockRoutes(deps: Deps) {
  return async (app: FastifyInstance) => {
    app.post('/v1/locks', async (request, reply) => {
      const principal = await requirePrincipal(deps.db, request, 'approve');
      const body = parseRequest(lockBody, request.body);
      const result = await lockPeriod(deps.db, deps.forms, principal, body, deps.now(), vietnamDay(deps.now()));
      if (isRefusal(result)) throw refusalError(result);
      return reply.code(201).send(result);
    });

    app.delete('/v1/locks', async (request) => {
      const principal = await requirePrincipal(deps.db, request, 'approve');
      const body = parseRequest(lockBody, request.body ?? request.query);
      const result = await unlockPeriod(deps.db, principal, body, body.reason ?? null, deps.now(), vietnamDay(deps.now()));
      if (isRefusal(result)) throw refusalError(result);
      return result;
    });

    app.post('/v1/lock-exceptions', async (request, reply) => {
      const principal = await requirePrincipal(deps.db, request, 'approve');
      const body = parseRequest(exceptionBody, request.body);
      const result = await grantException(deps.db, deps.forms, principal, body, deps.now(), vietnamDay(deps.now()));
      if (isRefusal(result)) throw refusalError(result);
      return reply.code(201).send(result);
    });

    app.get('/v1/lock-exceptions', async (request) => {
      const principal = await requirePrincipal(deps.db, request, 'approve');
      const q = parseRequest(exceptionQuery, request.query);
      return { exceptions: await listExceptions(deps.db, principal, { form: q.form, period: q.period?.canonical, all: q.all === 'true' }) };
    });

    app.delete('/v1/lock-exceptions', async (request) => {
      const principal = await requirePrincipal(deps.db, request, 'approve');
      const body = parseRequest(revokeBody, request.body ?? request.query);
      const result = await revokeException(deps.db, principal, body.id, body.reason ?? null, deps.now(), vietnamDay(deps.now()));
      if (isRefusal(result)) throw refusalError(result);
      return result;
    });
  };
}
