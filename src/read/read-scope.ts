import type { Db } from '../db/connect.ts';
import { scopeCovers, type Principal } from '../schema/scope.ts';
import { erasMergedInto, scopeTargetOf, type UnitEra } from '../units/scope-target.ts';

/** What a principal reads of the snapshots: a province's units or a commune's rows, under its own code in every era and under the codes of the earlier units merged into it, for their periods. */
export type ReadScope = { level: 'commune' | 'province'; code: string; merged: UnitEra[] };

/** The read scope of a principal; null for an admin, who reads everything. */
export async function readScopeOf(db: Db, principal: Principal, today: string): Promise<ReadScope | null> {
  if (principal.level === 'admin') return null;
  const unit = { level: principal.level, code: principal.code! };
  return { ...unit, merged: await erasMergedInto(db, unit, today) };
}

/**
 * May the principal act for this commune code in some era? Before a report's period is known this
 * is only a first filter; the worker decides on the hierarchy of the report's period (evaluate.ts).
 */
export async function mayActForCommune(db: Db, principal: Principal, communeCode: string, today: string): Promise<boolean> {
  if (principal.level === 'admin') return true;
  if (principal.level === 'commune' && principal.code === communeCode) return true;
  const target = await scopeTargetOf(db, { level: 'commune', code: communeCode }, today);
  return target !== null && scopeCovers(principal, target);
}
