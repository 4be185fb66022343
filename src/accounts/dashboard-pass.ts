import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Db } from '../db/connect.ts';
import type { Principal } from '../schema/scope.ts';

/** Hours a dashboard pass lasts. */
export const dashboardPassHours = 8;

function mac(tokenHash: string, body: string): string {
  return createHmac('sha256', `tonghop-dashboard-pass:${tokenHash}`).update(body).digest('base64url');
}

/**
 * What the queue dashboard's cookie holds instead of the admin token itself: the token's id, an
 * expiry, and a MAC keyed by the token's stored hash. A stolen cookie opens the dashboard for the
 * rest of its hours and nothing else (it is no bearer token for the API), and revoking the token
 * ends it, since the key is looked up again for every request.
 */
export function dashboardPass(tokenId: number, tokenHash: string, now: Date): string {
  const body = `${tokenId}.${Math.floor(now.getTime() / 1000) + dashboardPassHours * 3600}`;
  return `${body}.${mac(tokenHash, body)}`;
}

/** The admin principal a pass stands for, or null when it is malformed, expired, forged, or its token revoked or not an admin's. */
export async function principalOfDashboardPass(db: Db, pass: string, now: Date): Promise<Principal | null> {
  const match = /^(\d{1,15})\.(\d{1,12})\.([\w-]{43})$/u.exec(pass);
  if (!match) return null;
  const [, id, expires, given] = match;
  if (Number(expires) * 1000 <= now.getTime()) return null;
  const row = await db
    .selectFrom('api_token')
    .select(['id', 'token_hash', 'scope_level', 'scope_code', 'roles'])
    .where('id', '=', Number(id))
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  if (row?.scope_level !== 'admin') return null;
  // Both are 43 characters: the regex above and a SHA-256 in base64url.
  if (!timingSafeEqual(Buffer.from(mac(row.token_hash, `${id}.${expires}`)), Buffer.from(given!))) return null;
  return { level: row.scope_level, code: row.scope_code, id: `token:${row.id}`, roles: row.roles ?? undefined };
}
