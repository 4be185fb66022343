import type { Db } from '../db/connect.ts';
import type { FormCatalog } from '../forms/form-catalog.ts';
import { parsePeriod, type Period } from '../schema/period.ts';
import type { Principal } from '../schema/scope.ts';
import { communeAt } from '../units/lookup.ts';
import { audit } from './audit.ts';
import { approverRefusal } from './approver-scope.ts';
import { refuse, type Refusal } from './refusal.ts';

export type ExceptionRequest = {
  readonly form: string;
  readonly commune: string;
  readonly period: Period;
  readonly until: string;
  readonly reason: string;
};

/**
 * Lets one commune report one (form, period) despite a lock or an expiry, until the end of `until`
 * (SPEC §7; DHIS2's lock exception). Only an approver whose province holds the commune may grant it.
 */
export async function grantException(
  db: Db,
  forms: FormCatalog,
  principal: Principal,
  request: ExceptionRequest,
  now: Date,
  today: string,
) {
  const form = forms.find(request.form, request.period.lastDay);
  if (!form) return refuse('not_found', { form: request.form });
  const commune = await communeAt(db, request.commune, request.period.lastDay);
  if (!commune) return refuse('not_found', { commune: request.commune, period: request.period.canonical });
  const denied = await approverRefusal(
    db,
    principal,
    { level: 'commune', code: commune.code },
    request.period.lastDay,
    today,
  );
  if (denied) return denied;
  return db.transaction().execute(async (tx) => {
    const exception = await tx
      .insertInto('lock_exception')
      .values({
        form: form.code,
        commune_code: commune.code,
        period: request.period.canonical,
        province_code: commune.province_code,
        reason: request.reason,
        until: request.until,
        granted_by: principal.id,
        granted_by_name: principal.name ?? principal.id,
        granted_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(tx, principal, [
      {
        action: 'lock_exception.grant',
        provinceCode: commune.province_code,
        subject: {
          exception: exception.id,
          form: form.code,
          commune: commune.code,
          period: request.period.canonical,
          until: request.until,
        },
        reason: request.reason,
        at: now,
      },
    ]);
    return { exception };
  });
}

/** Revokes an exception at once; files received while it stood keep their verdict. */
export async function revokeException(
  db: Db,
  principal: Principal,
  id: number,
  reason: string | null,
  now: Date,
  today: string,
): Promise<{ revoked: number } | Refusal> {
  const found = await db
    .selectFrom('lock_exception')
    .selectAll()
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  if (!found) return refuse('not_found', { exception: id });
  const denied = await approverRefusal(
    db,
    principal,
    { level: 'commune', code: found.commune_code },
    parsePeriod(found.period)?.lastDay ?? today,
    today,
  );
  if (denied) return denied;
  return db.transaction().execute(async (tx) => {
    await tx
      .updateTable('lock_exception')
      .set({ revoked_at: now, revoked_by: principal.id })
      .where('id', '=', id)
      .execute();
    await audit(tx, principal, [
      {
        action: 'lock_exception.revoke',
        provinceCode: found.province_code,
        subject: { exception: id, form: found.form, commune: found.commune_code, period: found.period },
        reason,
        at: now,
      },
    ]);
    return { revoked: id };
  });
}

/** The exceptions a principal may see: every one for an admin, its province's for anyone else; standing ones unless `all`. */
export async function listExceptions(
  db: Db,
  principal: Principal,
  filter: { form?: string; period?: string; all?: boolean },
) {
  let query = db.selectFrom('lock_exception').selectAll();
  if (principal.level !== 'admin')
    query = query.where('province_code', '=', principal.level === 'province' ? principal.code! : '');
  if (filter.form) query = query.where('form', '=', filter.form.toUpperCase());
  if (filter.period) query = query.where('period', '=', filter.period);
  if (!filter.all) query = query.where('revoked_at', 'is', null);
  return query.orderBy('id', 'desc').limit(1000).execute();
}
