import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../../deps.ts';
import { grantException, listExceptions, revokeException } from '../../cycle/lock-exceptions.ts';
import { lockPeriod, standingLockOf, unlockPeriod } from '../../cycle/locks.ts';
import { isRefusal } from '../../cycle/refusal.ts';
import { vietnamDay } from '../../schema/vietnam-day.ts';
import { requirePrincipal, requireUnitAccess } from '../auth.ts';
import {
  badRequest,
  communeField,
  formField,
  guarded,
  jsonAnswer,
  periodField,
  provinceField,
  reasonField,
  refused,
  withBody,
} from '../route-schema.ts';
import { refusalError } from './refusal-error.ts';

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

/** What an approver's request may answer besides its own outcome. */
const denied = {
  ...withBody,
  ...badRequest,
  403: refused('without the approve role, or outside the approver’s province'),
  404: refused('no such form, unit or record'),
};

/** A DELETE's fields may come as a query when a client or proxy drops a DELETE's body: read them as the body. */
async function bodyFromQuery(request: FastifyRequest) {
  if (request.body === undefined || request.body === null) request.body = request.query;
}

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
          response: { 201: jsonAnswer('the lock'), ...denied, 409: refused('already locked') },
        },
      },
      async (request, reply) => {
        const principal = await requirePrincipal(deps.db, request, 'approve');
        const result = await lockPeriod(
          deps.db,
          deps.forms,
          principal,
          request.body,
          deps.now(),
          vietnamDay(deps.now()),
        );
        if (isRefusal(result)) throw refusalError(result);
        return reply.code(201).send(result);
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
        const principal = await requirePrincipal(deps.db, request, 'read');
        const q = request.query;
        await requireUnitAccess(
          deps.db,
          principal,
          { level: 'province', code: q.province },
          q.period.lastDay,
          vietnamDay(deps.now()),
        );
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
          response: { 200: jsonAnswer('unlocked'), ...denied },
        },
      },
      async (request) => {
        const principal = await requirePrincipal(deps.db, request, 'approve');
        const body = request.body;
        const result = await unlockPeriod(
          deps.db,
          principal,
          body,
          body.reason ?? null,
          deps.now(),
          vietnamDay(deps.now()),
        );
        if (isRefusal(result)) throw refusalError(result);
        return result;
      },
    );

    app.post(
      '/v1/lock-exceptions',
      {
        schema: {
          operationId: 'grantLockException',
          summary:
            'Let one commune report one form and period despite a lock or an expiry until a day (role approve, the commune’s province)',
          body: exceptionBody,
          response: { 201: jsonAnswer('the exception'), ...denied },
        },
      },
      async (request, reply) => {
        const principal = await requirePrincipal(deps.db, request, 'approve');
        const result = await grantException(
          deps.db,
          deps.forms,
          principal,
          request.body,
          deps.now(),
          vietnamDay(deps.now()),
        );
        if (isRefusal(result)) throw refusalError(result);
        return reply.code(201).send(result);
      },
    );

    app.get(
      '/v1/lock-exceptions',
      {
        schema: {
          operationId: 'listLockExceptions',
          summary: 'Standing exceptions of the caller’s province (all=true: revoked too)',
          querystring: exceptionQuery,
          response: { 200: jsonAnswer('exceptions'), ...denied },
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
          response: { 200: jsonAnswer('revoked'), ...denied },
        },
      },
      async (request) => {
        const principal = await requirePrincipal(deps.db, request, 'approve');
        const body = request.body;
        const result = await revokeException(
          deps.db,
          principal,
          body.id,
          body.reason ?? null,
          deps.now(),
          vietnamDay(deps.now()),
        );
        if (isRefusal(result)) throw refusalError(result);
        return result;
      },
    );
  };
  return routes;
}
