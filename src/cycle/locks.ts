import type { Db } from '../db/connect.ts';
import type { FormCatalog } from '../forms/form-catalog.ts';
import type { Period } from '../schema/period.ts';
import type { Principal } from '../schema/scope.ts';
import { audit } from './audit.ts';
import { approverRefusal } from './approver-scope.ts';
import { refuse, type Refusal } from './refusal.ts';

export type LockTarget = { readonly form: string; readonly period: Period; readonly province: string };

const isUniqueViolation = (error: unknown) => (error as { code?: string }).code === '23505';

/**
 * Locks a (form, period) for a province (SPEC §7): from now on its communes' new versions are
 * refused PERIOD_LOCKED, naming who locked it and when, unless a lock exception stands.
 */
export async function lockPeriod(
  db: Db,
  forms: FormCatalog,
  principal: Principal,
  target: LockTarget,
  now: Date,
  today: string,
) {
  const form = forms.find(target.form, target.period.lastDay);
  if (!form) return refuse('not_found', { form: target.form });
  const denied = await approverRefusal(
    db,
    principal,
    { level: 'province', code: target.province },
    target.period.lastDay,
    today,
  );
  if (denied) return denied;
  try {
    return await db.transaction().execute(async (tx) => {
      const lock = await tx
        .insertInto('period_lock')
        .values({
          form: form.code,
          period: target.period.canonical,
          province_code: target.province,
          locked_by: principal.id,
          locked_by_name: principal.name ?? principal.id,
          locked_at: now,
        })
        .returning(['id', 'form', 'period', 'province_code', 'locked_by_name', 'locked_at'])
        .executeTakeFirstOrThrow();
      await audit(tx, principal, [
        {
          action: 'lock.create',
          provinceCode: target.province,
          subject: { lock: lock.id, form: form.code, period: target.period.canonical },
          at: now,
        },
      ]);
      return { lock };
    });
  } catch (error) {
    if (isUniqueViolation(error))
      return refuse('conflict', {
        reason: 'already locked',
        message: { vi: 'Kỳ này đã bị khóa.', en: 'This period is already locked.' },
        form: form.code,
        period: target.period.canonical,
        province: target.province,
      });
    throw error;
  }
}

/** Lifts the standing lock; kept in the table with who lifted it, since files received while it stood are still judged by it. */
export async function unlockPeriod(
  db: Db,
  principal: Principal,
  target: LockTarget,
  reason: string | null,
  now: Date,
  today: string,
): Promise<{ unlocked: number } | Refusal> {
  const denied = await approverRefusal(
    db,
    principal,
    { level: 'province', code: target.province },
    target.period.lastDay,
    today,
  );
  if (denied) return denied;
  return db.transaction().execute(async (tx) => {
    const row = await tx
      .updateTable('period_lock')
      .set({ unlocked_at: now, unlocked_by: principal.id, reason })
      .where('form', '=', target.form.toUpperCase())
      .where('period', '=', target.period.canonical)
      .where('province_code', '=', target.province)
      .where('unlocked_at', 'is', null)
      .returning('id')
      .executeTakeFirst();
    if (!row)
      return refuse('not_found', {
        reason: 'not locked',
        message: { vi: 'Kỳ này không bị khóa.', en: 'This period is not locked.' },
      });
    await audit(tx, principal, [
      {
        action: 'lock.delete',
        provinceCode: target.province,
        subject: { lock: row.id, form: target.form.toUpperCase(), period: target.period.canonical },
        reason,
        at: now,
      },
    ]);
    return { unlocked: row.id };
  });
}

/** The lock standing on a province's form and period, or null: what the approver's page shows beside the lock button. */
export async function standingLockOf(db: Db, form: string, period: string, province: string) {
  const lock = await db
    .selectFrom('period_lock')
    .select(['id', 'form', 'period', 'province_code', 'locked_by_name', 'locked_at'])
    .where('form', '=', form.toUpperCase())
    .where('period', '=', period)
    .where('province_code', '=', province)
    .where('unlocked_at', 'is', null)
    .executeTakeFirst();
  return lock ?? null;
}
