import type { FastifyRequest } from 'fastify';
import type { Deps } from '../../deps.ts';
import type { UnitLevel } from '../../schema/database.ts';
import type { Period } from '../../schema/period.ts';
import { vietnamDay } from '../../schema/vietnam-day.ts';
import { requirePrincipal, requireUnitAccess } from '../auth.ts';

/**
 * A read of one unit's cycle records for a period (its lock, approvals, reporting rates): the
 * caller holds the read role (403) and may read the unit as it stood in the period's last day,
 * judged on today's scope (403, or 404 when there was no such unit).
 */
export async function requireUnitReader(
  deps: Deps,
  request: FastifyRequest,
  unit: { level: UnitLevel; code: string },
  period: Period,
): Promise<void> {
  const principal = await requirePrincipal(deps.db, request, 'read');
  await requireUnitAccess(deps.db, principal, unit, period.lastDay, vietnamDay(deps.now()));
}
