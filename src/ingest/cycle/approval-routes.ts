import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../../deps.ts';
import { approvalsOf, approve, unapprove } from '../../cycle/approvals.ts';
import {
  badRequest,
  formField,
  guarded,
  inLanguage,
  jsonAnswer,
  levelField,
  periodField,
  provinceField,
  reasonField,
  refused,
  unitField,
} from '../route-schema.ts';
import { approverAction, approverDenied } from './approver-action.ts';
import { requireUnitReader } from './require-unit-reader.ts';

const target = { form: formField, period: periodField, level: levelField, unit: unitField };
/** `missing: true` marks a unit that will not report, with a reason, so that the level above can be approved. */
const approveBody = z
  .object({ ...target, missing: z.boolean().default(false), reason: reasonField.optional() })
  .refine((b) => !b.missing || b.reason !== undefined, {
    error: () =>
      inLanguage({ vi: 'đánh dấu thiếu báo cáo cần kèm lý do', en: 'a unit is marked missing with a reason' }),
    path: ['reason'],
  });
const unapproveBody = z.object({ ...target, reason: reasonField });
const listQuery = z.object({ form: formField, period: periodField, province: provinceField });

/** Approval from commune to province (SPEC §7). */
export function approvalRoutes(deps: Deps) {
  const routes: FastifyPluginAsyncZod = async (app) => {
    app.post(
      '/v1/approvals',
      {
        schema: {
          operationId: 'approve',
          summary:
            'Approve a unit’s figures, or mark it missing with a reason (missing: true); a unit waits for every unit below it (role approve)',
          body: approveBody,
          response: {
            201: jsonAnswer('the approval, with the snapshot version it pins'),
            ...approverDenied,
            409: refused(
              'units below not yet approved or marked missing (details.pending), already approved, or figures being recomputed',
            ),
          },
        },
      },
      async (request, reply) => {
        const body = request.body;
        const approval = await approverAction(deps, request, (principal, now, day) =>
          approve(
            deps.db,
            deps.forms,
            principal,
            body,
            { missing: body.missing, reason: body.reason ?? null },
            now,
            day,
          ),
        );
        return reply.code(201).send(approval);
      },
    );

    app.delete(
      '/v1/approvals',
      {
        schema: {
          operationId: 'unapprove',
          summary: 'Unapprove with a reason; top-down only',
          body: unapproveBody,
          response: { 200: jsonAnswer('unapproved'), ...approverDenied, 409: refused('the unit above is approved') },
        },
      },
      async (request) =>
        approverAction(deps, request, (principal, now, day) =>
          unapprove(deps.db, deps.forms, principal, request.body, request.body.reason, now, day),
        ),
    );

    app.get(
      '/v1/approvals',
      {
        schema: {
          operationId: 'listApprovals',
          summary: 'Standing approvals and missing marks of a province’s form and period (role read)',
          querystring: listQuery,
          response: {
            200: jsonAnswer('approvals'),
            ...guarded,
            ...badRequest,
            403: refused('without the read role, or outside the caller’s scope'),
            404: refused('no such province'),
          },
        },
      },
      async (request) => {
        const q = request.query;
        await requireUnitReader(deps, request, { level: 'province', code: q.province }, q.period);
        return { approvals: await approvalsOf(deps.db, q.form, q.period.canonical, q.province) };
      },
    );
  };
  return routes;
}
