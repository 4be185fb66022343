import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Deps } from '../../deps.ts';
import { auditLogOf } from '../../cycle/audit.ts';
import { hasRole } from '../../schema/roles.ts';
import { requirePrincipal } from '../auth.ts';
import { HttpError } from '../errors.ts';
import { parseRequest } from './cycle-request.ts';

const auditQuery = z.object({
  province: z.string().regex(/^\d{2}$/u).optional(),
  action: z.string().max(64).optional(),
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});

/** `GET /v1/audit`: the append-only log (SPEC §7), everything for an admin, its own province's rows for a province approver. */
export function auditRoutes(deps: Deps) {
  return async (app: FastifyInstance) => {
    app.get('/v1/audit', async (request) => {
      const principal = await requirePrincipal(deps.db, request, 'read');
      const q = parseRequest(auditQuery, request.query);
      if (principal.level === 'admin') return { entries: await auditLogOf(deps.db, q) };
      if (principal.level !== 'province' || !hasRole(principal, 'approve')) throw new HttpError('TONGHOP_ERR_ROLE_MISSING', { role: 'approve', scope: 'province' });
      if (q.province && q.province !== principal.code) throw new HttpError('TONGHOP_ERR_FORBIDDEN');
      return { entries: await auditLogOf(deps.db, { ...q, province: principal.code! }) };
    });
  };
}
