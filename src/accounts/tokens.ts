import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../db/connect.ts';
import { groupCalls } from '../group-calls.ts';
import type { Role, ScopeLevel } from '../schema/database.ts';
import { defaultRoles } from '../schema/roles.ts';
import { audit, cliActor, type Actor } from '../cycle/audit.ts';
import type { Principal } from '../schema/scope.ts';

/** Tokens are 32 random bytes: a plain SHA-256 is enough to store them, unlike a person's password. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** A new token with its scope and roles (the scope's defaults when none are given, SPEC §7). */
export async function createToken(
  db: Db,
  scope: { level: ScopeLevel; code: string | null; label?: string; roles?: readonly Role[] },
  actor: Actor = cliActor(),
): Promise<{ id: number; token: string }> {
  const token = `th_${randomBytes(32).toString('base64url')}`;
  const roles = [...(scope.roles ?? defaultRoles(scope.level))];
  return db.transaction().execute(async (tx) => {
    const row = await tx
      .insertInto('api_token')
      .values({
        token_hash: hashToken(token),
        scope_level: scope.level,
        scope_code: scope.code,
        label: scope.label ?? null,
        roles,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const provinceCode = scope.level === 'province' ? scope.code : null;
    await audit(tx, actor, [
      {
        action: 'token.create',
        provinceCode,
        subject: { token: row.id, scope_level: scope.level, scope_code: scope.code, roles, label: scope.label ?? null },
        at: new Date(),
      },
    ]);
    return { id: row.id, token };
  });
}

export async function revokeToken(db: Db, id: number, now: Date, actor: Actor = cliActor()): Promise<boolean> {
  return db.transaction().execute(async (tx) => {
    const r = await tx
      .updateTable('api_token')
      .set({ revoked_at: now })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .returning(['scope_level', 'scope_code'])
      .executeTakeFirst();
    if (!r) return false;
    await audit(tx, actor, [
      {
        action: 'token.revoke',
        provinceCode: r.scope_level === 'province' ? r.scope_code : null,
        subject: { token: id },
        at: now,
      },
    ]);
    return true;
  });
}

/** The principals of many tokens in one query, in input order; null for an unknown or revoked token. */
async function principalsOfTokens(db: Db, tokens: readonly string[]): Promise<(Principal | null)[]> {
  const hashes = tokens.map(hashToken);
  const rows = await db
    .selectFrom('api_token')
    .select(['id', 'token_hash', 'scope_level', 'scope_code', 'roles', 'label'])
    .where('token_hash', 'in', hashes)
    .where('revoked_at', 'is', null)
    .execute();
  const byHash = new Map(
    rows.map((r): [string, Principal] => [
      r.token_hash,
      {
        level: r.scope_level,
        code: r.scope_code,
        id: `token:${r.id}`,
        roles: r.roles ?? undefined,
        name: r.label ?? `token ${r.id}`,
      },
    ]),
  );
  return hashes.map((h) => byHash.get(h) ?? null);
}

// One grouped lookup per pool: requests that arrive while a lookup is in flight share the next one.
const lookups = new WeakMap<Db, (token: string) => Promise<Principal | null>>();

/** The principal a bearer token stands for, or null for an unknown or revoked token. */
export async function principalOfToken(db: Db, token: string): Promise<Principal | null> {
  let lookup = lookups.get(db);
  if (!lookup) {
    lookup = groupCalls((tokens: string[]) => principalsOfTokens(db, tokens), 64);
    lookups.set(db, lookup);
  }
  return lookup(token);
}

export type TokenListing = {
  id: number;
  scope_level: ScopeLevel;
  scope_code: string | null;
  label: string | null;
  roles: Role[] | null;
  created_at: Date;
  revoked_at: Date | null;
};

/** Every token with its scope and dates: never the token, never its hash. */
export async function listTokens(db: Db): Promise<TokenListing[]> {
  return db
    .selectFrom('api_token')
    .select(['id', 'scope_level', 'scope_code', 'label', 'roles', 'created_at', 'revoked_at'])
    .orderBy('id')
    .execute();
}
