import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Deps } from '../../deps.ts';
import { approvalsOf, approve, unapprove } from '../../cycle/approvals.ts';
import { isRefusal } from '../../cycle/refusal.ts';
import { vietnamDay } from '../../schema/vietnam-day.ts';
import { requirePrincipal, requireUnitAccess } from '../auth.ts';
import { formField, levelField, parseRequest, periodField, reasonField } from './cycle-request.ts';
import { refusalError } from './refusal-error.ts';

const target = { form: formField, period: periodField, level: levelField, unit: z.string().regex(/^\d{2,5}$/u) };
/** `missing: true` marks a unit that will not report, with a reason, so that the level above can be approved. */
const approveBody = z
  .object({ ...target, missing: z.boolean().default(false), reason: reasonField.optional() })
  .refine((b) => !b.missing || b.reason !== undefined, { message: 'a unit is marked missing with a reason', path: ['reason'] });
const unapproveBody = z.object({ ...target, reason: reasonField });
const listQuery = z.object({ form: formField, period: periodField, province: z.string().regex(/^\d{2}$/u) });

/** Approval from commune to province (SPEC §7). */
export function approvalRoutes(deps: Deps) {
  return async (app: FastifyInstance) => {
    app.post('/v1/approvals', async (request, reply) => {
      const principal = await requirePrincipal(deps.db, request, 'approve');
      const body = parseRequest(approveBody, request.body);
      const result = await approve(deps.db, deps.forms, principal, body, { missing: body.missing, reason: body.reason ?? null }, deps.now(), vietnamDay(deps.now()));
      if (isRefusal(result)) throw refusalError(result);
      return reply.code(201).send(result);
    });

    app.delete('/v1/approvals', async (request) => {
      const principal = await requirePrincipal(deps.db, request, 'approve');
      const body = parseRequest(unapproveBody, request.body);
      const result = await unapprove(deps.db, deps.forms, principal, body, body.reason, deps.now(), vietnamDay(deps.now()));
      if (isRefusal(result)) throw refusalError(result);
      return result;
    });

    app.get('/v1/approvals', async (request) => {
      const principal = await requirePrincipal(deps.db, request, 'read');
      const q = parseRequest(listQuery, request.query);
      await requireUnitAccess(deps.db, principal, { level: 'province', code: q.province }, q.period.lastDay, vietnamDay(deps.now()));
      return { approvals: await approvalsOf(deps.db, q.form, q.period.canonical, q.province) };
    });
  };
}
