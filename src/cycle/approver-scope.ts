import type { Db } from '../db/connect.ts';
import type { UnitLevel } from '../schema/database.ts';
import { hasRole } from '../schema/roles.ts';
import { scopeCovers, type Principal } from '../schema/scope.ts';
import { scopeTargetOf } from '../units/scope-target.ts';
import { refuse, type Refusal } from './refusal.ts';

/**
 * May this principal approve, lock or grant exceptions for a unit of the hierarchy valid on `day`?
 * It needs the approve role and a province or national scope that covers the unit (in every era,
 * as reading does): a neighbouring province's approver is refused. Null when it may.
 */
export async function approverRefusal(
  db: Db,
  principal: Principal,
  unit: { level: UnitLevel; code: string },
  day: string,
  today: string,
): Promise<Refusal | null> {
  if (!hasRole(principal, 'approve') || principal.level === 'commune')
    return refuse('forbidden', { role: 'approve', scope: 'province' });
  const target = await scopeTargetOf(db, unit, today, day);
  if (!target) return refuse('not_found', { [unit.level]: unit.code, day });
  if (!scopeCovers(principal, target)) return refuse('forbidden', { [unit.level]: unit.code });
  return null;
}
