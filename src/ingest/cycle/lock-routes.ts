import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../../deps.ts';
import { grantException, listExceptions, revokeException } from '../../cycle/lock-exceptions.ts';
import { lockPeriod, standingLockOf, unlockPeriod } from '../../cycle/locks.ts';
import { requirePrincipal } from '../auth.ts';
import {
  badRequest,
  bodyFromQuery,
  communeField,
  formField,
  guarded,
  jsonAnswer,
  periodField,
  provinceField,
  reasonField,
  refused,
} from '../route-schema.ts';
import { approverAction, approverDenied } from './approver-action.ts';
import { requireUnitReader } from './require-unit-reader.ts';

const lockBody = z.object({
  form: formField,
  period: periodField,
  province: provinceField,
  reason: reasonField.optional(),
});
const lockQuery = z.object({ form: formField, period: periodField, province: provinceField });
const exceptionBody = z.object({
  form: formField,
  commune: communeField,
  period: periodField,
  until: z.iso.date(),
  reason: reasonField,
});
const exceptionQuery = z.object({
  form: formField.optional(),
  period: periodField.optional(),
  all: z.enum(['true', 'false']).optional(),
});
const revokeBody = z.object({ id: z.coerce.number().int().positive(), reason: reasonField.optional() });

/** Period locks and lock exceptions (SPEC §7): a province approver's, within the province. */
export function lockRoutes(deps: Deps) {
  const routes: FastifyPluginAsyncZod = async (app) => {
    app.post(
      '/v1/locks',
      {
        schema: {
          operationId: 'lockPeriod',
          summary: 'Lock a form and period for a province (role approve)',
          body: lockBody,
          response: { 201: jsonAnswer('the lock'), ...approverDenied, 409: refused('already locked') },
        },
      },
      async (request, reply) => {
        const lock = await approverAction(deps, request, (principal, now, day) =>
          lockPeriod(deps.db, deps.forms, principal, request.body, now, day),
        );
        return reply.code(201).send(lock);
      },
    );

    app.get(
      '/v1/locks',
      {
        schema: {
          operationId: 'getLock',
          summary: 'The lock standing on a province’s form and period, or null (role read)',
          querystring: lockQuery,
          response: {
            200: jsonAnswer('lock: who locked it and when, or null'),
            ...guarded,
            ...badRequest,
            403: refused('without the read role, or outside the caller’s scope'),
          },
        },
      },
      async (request) => {
        const q = request.query;
        await requireUnitReader(deps, request, { level: 'province', code: q.province }, q.period);
        return { lock: await standingLockOf(deps.db, q.form, q.period.canonical, q.province) };
      },
    );

    app.delete(
      '/v1/locks',
      {
        preValidation: bodyFromQuery,
        schema: {
          operationId: 'unlockPeriod',
          summary: 'Unlock (role approve)',
          body: lockBody,
          response: { 200: jsonAnswer('unlocked'), ...approverDenied },
        },
      },
      async (request) =>
        approverAction(deps, request, (principal, now, day) =>
          unlockPeriod(deps.db, principal, request.body, request.body.reason ?? null, now, day),
        ),
    );

    app.post(
      '/v1/lock-exceptions',
      {
        schema: {
          operationId: 'grantLockException',
          summary:
            'Let one commune report one form and period despite a lock or an expiry until a day (role approve, the commune’s province)',
          body: exceptionBody,
          response: { 201: jsonAnswer('the exception'), ...approverDenied },
        },
      },
      async (request, reply) => {
        const exception = await approverAction(deps, request, (principal, now, day) =>
          grantException(deps.db, deps.forms, principal, request.body, now, day),
        );
        return reply.code(201).send(exception);
      },
    );

    app.get(
      '/v1/lock-exceptions',
      {
        schema: {
          operationId: 'listLockExceptions',
          summary: 'Standing exceptions of the caller’s province (all=true: revoked too)',
          querystring: exceptionQuery,
          response: { 200: jsonAnswer('exceptions'), ...approverDenied },
        },
      },
      async (request) => {
        const principal = await requirePrincipal(deps.db, request, 'approve');
        const q = request.query;
        return {
          exceptions: await listExceptions(deps.db, principal, {
            form: q.form,
            period: q.period?.canonical,
            all: q.all === 'true',
          }),
        };
      },
    );

    app.delete(
      '/v1/lock-exceptions',
      {
        preValidation: bodyFromQuery,
        schema: {
          operationId: 'revokeLockException',
          summary: 'Revoke an exception',
          body: revokeBody,
          response: { 200: jsonAnswer('revoked'), ...approverDenied },
        },
      },
      async (request) =>
        approverAction(deps, request, (principal, now, day) =>
          revokeException(deps.db, principal, request.body.id, request.body.reason ?? null, now, day),
        ),
    );
  };
  return routes;
}
