import type { Db } from '../../db/connect.ts';
import type { Principal } from '../../schema/scope.ts';
import { erasCover, readableEras } from '../../read/read-scope.ts';

/** Did this principal upload it, by its token or its login? */
export function uploadedBy(principal: Principal, sub: { token_id: number | null; user_id: number | null }): boolean {
  return principal.id === `token:${sub.token_id}` || principal.id === `user:${sub.user_id}`;
}

/**
 * May this principal read this submission: its own upload, or a report of a commune in its scope
 * (the commune the file named, or else the one the upload gave) on the hierarchy of the report's
 * own period (readableEras), as units stand `today`.
 */
export async function mayRead(
  db: Db,
  principal: Principal,
  sub: {
    token_id: number | null;
    user_id: number | null;
    commune_code: string | null;
    given_commune: string | null;
    period_end: string | null;
  },
  today: string,
): Promise<boolean> {
  if (uploadedBy(principal, sub)) return true;
  if (principal.level === 'admin') return true;
  const commune = sub.commune_code ?? sub.given_commune;
  if (!commune) return false;
  return erasCover(await readableEras(db, principal, commune, today), sub.period_end);
}
