import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Db } from '../db/connect.ts';
import type { Principal } from '../schema/scope.ts';

/** The cookie that carries a person's session id. */
export const sessionCookieName = 'tonghop_session';

export type Session = { readonly principal: Principal; readonly username: string };

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Opens a session for a user; the id is returned once, for the cookie, and stored only as a hash. */
export async function openSession(
  db: Db,
  userId: number,
  now: Date,
  hours: number,
): Promise<{ id: string; expires: Date }> {
  const id = randomBytes(32).toString('base64url');
  const expires = new Date(now.getTime() + hours * 3600_000);
  await db
    .insertInto('user_session')
    .values({ id_hash: sha256(id), user_id: userId, created_at: now, expires_at: expires })
    .execute();
  // Expired sessions are swept here, where sessions are made, rather than by a timer of their own.
  await db.deleteFrom('user_session').where('expires_at', '<', now).execute();
  return { id, expires };
}

/** The person a session id stands for, or null when it is unknown, expired, or its account disabled. */
export async function sessionOf(db: Db, sessionId: string, now: Date): Promise<Session | null> {
  const row = await db
    .selectFrom('user_session as s')
    .innerJoin('user_account as u', 'u.id', 's.user_id')
    .select(['u.id', 'u.username', 'u.scope_level', 'u.scope_code', 'u.roles'])
    .where('s.id_hash', '=', sha256(sessionId))
    .where('s.expires_at', '>', now)
    .where('u.disabled_at', 'is', null)
    .executeTakeFirst();
  return row
    ? {
        principal: {
          level: row.scope_level,
          code: row.scope_code,
          id: `user:${row.id}`,
          roles: row.roles ?? undefined,
          name: row.username,
        },
        username: row.username,
      }
    : null;
}

export async function closeSession(db: Db, sessionId: string): Promise<void> {
  await db.deleteFrom('user_session').where('id_hash', '=', sha256(sessionId)).execute();
}

/**
 * The CSRF secret of a session, derived from its id: a page of ours reads it from what the server
 * renders, while another site, which cannot read the HttpOnly cookie, cannot compute it.
 */
const csrfSecretOf = (sessionId: string): Buffer => createHash('sha256').update(`csrf\0${sessionId}`).digest();

/**
 * The session's CSRF token as an answer carries it: masked afresh each time (a random pad, then the
 * secret XOR the pad), so that no two answers hold the same bytes and a compressed page, whose size
 * an eavesdropper sees, tells nothing of it (BREACH). Any of them is accepted (csrfMatches).
 */
export function csrfTokenOf(sessionId: string): string {
  const secret = csrfSecretOf(sessionId);
  const pad = randomBytes(secret.length);
  return Buffer.concat([pad, xor(secret, pad)]).toString('base64url');
}

const xor = (a: Buffer, b: Buffer): Buffer => Buffer.from(a.map((byte, i) => byte ^ b[i]!));

/**
 * Whether a request's token is the session's: a masked one (csrfTokenOf), or the secret itself as
 * pages served before masking carry it, so that a page open across an upgrade keeps working.
 */
export function csrfMatches(sessionId: string, given: unknown): boolean {
  if (typeof given !== 'string') return false;
  const secret = csrfSecretOf(sessionId);
  const bytes = Buffer.from(given, 'base64url');
  if (bytes.toString('base64url') !== given) return false;
  const actual =
    bytes.length === 2 * secret.length ? xor(bytes.subarray(secret.length), bytes.subarray(0, secret.length)) : bytes;
  return actual.length === secret.length && timingSafeEqual(actual, secret);
}
