import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../../deps.ts';
import { auditLogOf } from '../../cycle/audit.ts';
import { hasRole } from '../../schema/roles.ts';
import { requirePrincipal } from '../auth.ts';
import { HttpError } from '../errors.ts';
import { badRequest, guarded, jsonAnswer, provinceField, refused } from '../route-schema.ts';

const auditQuery = z.object({
  province: provinceField.optional(),
  action: z.string().max(64).optional(),
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});

/** `GET /v1/audit`: the append-only log (SPEC §7), everything for an admin, its own province's rows for a province approver. */
export function auditRoutes(deps: Deps) {
  const routes: FastifyPluginAsyncZod = async (app) => {
    const schema = {
      operationId: 'getAudit',
      summary:
        'The append-only audit log, newest first: everything for an admin, the own province for a province approver',
      querystring: auditQuery,
      response: {
        200: jsonAnswer('entries: who, scope, when, what, reason'),
        ...guarded,
        ...badRequest,
        403: refused('neither an admin nor a province approver'),
      },
    };
    app.get('/v1/audit', { schema }, async (request) => {
      const principal = await requirePrincipal(deps.db, request, 'read');
      const q = request.query;
      // The whole log: a national approver's (an administrator holds the role), whose approvals reach every province.
      if (principal.level === 'admin' && hasRole(principal, 'approve'))
        return { entries: await auditLogOf(deps.db, q) };
      if (principal.level !== 'province' || !hasRole(principal, 'approve'))
        throw new HttpError('TONGHOP_ERR_ROLE_MISSING', { role: 'approve', scope: 'province' });
      if (q.province && q.province !== principal.code) throw new HttpError('TONGHOP_ERR_FORBIDDEN');
      return { entries: await auditLogOf(deps.db, { ...q, province: principal.code! }) };
    });
  };
  return routes;
}
