import { userInfo } from 'node:os';
import type { Db } from '../db/connect.ts';
import { insertRows } from '../db/insert-rows.ts';
import type { Principal } from '../schema/scope.ts';

/** Who did it, as the audit log keeps it. */
export type Actor = Pick<Principal, 'id' | 'level' | 'code' | 'name'>;

/** The operator at a terminal: CLI commands act with the database's own rights. */
export function cliActor(): Actor {
  let user = 'unknown';
  try {
    user = userInfo().username;
  } catch {}
  return { id: 'cli', level: 'admin', code: null, name: `cli:${user}` };
}

/** The release itself, for what it ships (form definitions, the holiday calendar), whoever runs migrate or start. */
export const releaseActor: Actor = { id: 'tonghop', level: 'admin', code: null, name: 'tonghop' };

export type AuditEntry = {
  readonly action: string;
  /** The province the change is about, for approvers who read their own province's log. */
  readonly provinceCode?: string | null;
  readonly subject?: Record<string, unknown>;
  readonly reason?: string | null;
  readonly at: Date;
};

/**
 * Appends rows to the audit log (SPEC §7): who, in which scope, when, what, why. The table takes
 * inserts only (a trigger refuses updates and deletes, migration 0008); call it inside the
 * transaction of the change it records, so that neither is kept without the other.
 */
export async function audit(db: Db, actor: Actor, entries: readonly AuditEntry[]): Promise<void> {
  // As one JSON parameter: a worker's batch writes 64 entries at once, which as VALUES were 576 parameters to build and send.
  await insertRows(
    db,
    'audit_log',
    entries.map((e) => ({
      at: e.at,
      actor: actor.id,
      actor_name: actor.name ?? actor.id,
      scope_level: actor.level,
      scope_code: actor.code,
      province_code: e.provinceCode ?? null,
      action: e.action,
      subject: e.subject ?? {},
      reason: e.reason ?? null,
    })),
  );
}

/** The log, newest first: everything, or one province's rows (an approver's view). */
export async function auditLogOf(
  db: Db,
  filter: { province?: string; action?: string; before?: number; limit: number },
) {
  let query = db.selectFrom('audit_log').selectAll();
  if (filter.province) query = query.where('province_code', '=', filter.province);
  if (filter.action) query = query.where('action', '=', filter.action);
  if (filter.before) query = query.where('id', '<', filter.before);
  return query.orderBy('id', 'desc').limit(filter.limit).execute();
}
