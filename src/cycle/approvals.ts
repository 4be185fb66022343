import { lockKeys } from '../db/advisory-lock.ts';
import type { Db } from '../db/connect.ts';
import type { UnitLevel } from '../schema/database.ts';
import type { FormCatalog } from '../forms/form-catalog.ts';
import type { Period } from '../schema/period.ts';
import type { Principal } from '../schema/scope.ts';
import { provinceUnitsAt, unitAt, type UnitAt } from '../units/lookup.ts';
import { audit } from './audit.ts';
import { approverRefusal } from './approver-scope.ts';
import { isRefusal, refuse, type Refusal } from './refusal.ts';

export type ApprovalTarget = {
  readonly form: string;
  readonly period: Period;
  readonly level: UnitLevel;
  readonly unit: string;
};

type Unit = UnitAt & { level: UnitLevel };

/** The units whose approval a unit's approval waits for: a district's communes; a province's districts, or its communes when the period has no districts. */
function unitsBelow(unit: Unit, all: readonly Unit[]): Unit[] {
  if (unit.level === 'district') return all.filter((u) => u.level === 'commune' && u.district_code === unit.code);
  if (unit.level === 'province') {
    const districts = all.filter((u) => u.level === 'district');
    return districts.length > 0 ? districts : all.filter((u) => u.level === 'commune');
  }
  return [];
}

/** The unit whose standing approval keeps this one from being unapproved: a commune's district (when the period has one), else the province. */
function unitAbove(unit: Unit, all: readonly Unit[]): Unit | null {
  if (unit.level === 'province') return null;
  if (unit.level === 'commune' && unit.district_code) {
    const district = all.find((u) => u.level === 'district' && u.code === unit.district_code);
    if (district) return district;
  }
  return all.find((u) => u.level === 'province') ?? null;
}

/** Approvals of one form and period are decided one at a time per province: two approvers must not both pass the check of the units below. */
const lockProvincePeriod = (tx: Db, form: string, province: string, period: string) =>
  lockKeys(tx, [`approval:${form}:${province}:${period}`]);

const standing = (tx: Db, form: string, period: string) =>
  tx
    .selectFrom('approval')
    .selectAll()
    .where('form', '=', form)
    .where('period', '=', period)
    .where('unapproved_at', 'is', null);

/** The form and the unit of the period's hierarchy an approval names, once the principal may approve there. */
async function resolveTarget(db: Db, forms: FormCatalog, principal: Principal, target: ApprovalTarget, today: string) {
  const form = forms.find(target.form, target.period.lastDay);
  if (!form) return refuse('not_found', { form: target.form });
  const day = target.period.lastDay;
  const unit = await unitAt(db, target.level, target.unit, day);
  if (!unit) return refuse('not_found', { [target.level]: target.unit, period: target.period.canonical });
  const denied = await approverRefusal(db, principal, unit, day, today);
  if (denied) return denied;
  return { form, unit, day, period: target.period.canonical };
}

/**
 * Approves a unit's figures of a form and period (SPEC §7), or marks it missing with a reason
 * (`missing`: known not to report, so the level above may still be approved). A commune is
 * approved only with a report; a district or province only when every unit below it is approved
 * or marked missing — otherwise `approval_blocked` lists the rest. The approval pins the
 * province-period's current snapshot version; figures still being rolled up are refused
 * (`conflict`), since the approver has not seen them.
 */
export async function approve(
  db: Db,
  forms: FormCatalog,
  principal: Principal,
  target: ApprovalTarget,
  mark: { missing: boolean; reason: string | null },
  now: Date,
  today: string,
) {
  const resolved = await resolveTarget(db, forms, principal, target, today);
  if (isRefusal(resolved)) return resolved;
  const { form, unit, day, period } = resolved;
  return db.transaction().execute(async (tx): Promise<Refusal | { approval: unknown }> => {
    await lockProvincePeriod(tx, form.code, unit.province_code, period);
    const already = await standing(tx, form.code, period)
      .where('level', '=', unit.level)
      .where('unit_code', '=', unit.code)
      .executeTakeFirst();
    if (already)
      return refuse('conflict', {
        reason: already.kind === 'approved' ? 'already approved' : 'already marked missing',
        message:
          already.kind === 'approved'
            ? { vi: 'Đơn vị này đã được phê duyệt.', en: 'This unit is already approved.' }
            : { vi: 'Đơn vị này đã được đánh dấu thiếu báo cáo.', en: 'This unit is already marked missing.' },
        approved_by: already.approved_by_name,
        approved_at: already.approved_at,
      });
    let snapshotVersion: number | null = null;
    if (!mark.missing) {
      if (unit.level === 'commune') {
        const slot = await tx
          .selectFrom('report_slot')
          .select('current_submission_id')
          .where('commune_code', '=', unit.code)
          .where('form', '=', form.code)
          .where('period', '=', period)
          .executeTakeFirst();
        if (!slot)
          return refuse('conflict', {
            reason: 'the commune has no accepted report: mark it missing with a reason instead',
            message: {
              vi: 'Xã chưa có báo cáo được tiếp nhận: hãy đánh dấu thiếu báo cáo, kèm lý do.',
              en: 'The commune has no accepted report: mark it missing, with a reason, instead.',
            },
            commune: unit.code,
          });
      } else {
        const all = (await provinceUnitsAt(tx, unit.province_code, day)) as Unit[];
        const below = unitsBelow(unit, all);
        const done = new Set(
          (
            await standing(tx, form.code, period)
              .where('level', '=', below[0]?.level ?? 'commune')
              .execute()
          ).map((a) => a.unit_code),
        );
        const rest = below
          .filter((u) => !done.has(u.code))
          .map((u) => ({ level: u.level, unit: u.code, name: u.name }));
        if (rest.length > 0) return refuse('approval_blocked', { pending: rest });
      }
      const due = await tx
        .selectFrom('rollup_due')
        .select('period')
        .where('province_code', '=', unit.province_code)
        .where('period', '=', period)
        .executeTakeFirst();
      if (due)
        return refuse('conflict', {
          reason: 'the figures of this period are being recomputed; look at them again and approve in a few seconds',
          message: {
            vi: 'Số liệu của kỳ này đang được tính lại; hãy xem lại rồi phê duyệt sau vài giây.',
            en: 'The figures of this period are being recomputed; look at them again and approve in a few seconds.',
          },
        });
      const head = await tx
        .selectFrom('snapshot_head')
        .select('snapshot_version')
        .where('province_code', '=', unit.province_code)
        .where('period', '=', period)
        .executeTakeFirst();
      snapshotVersion = head?.snapshot_version ?? null;
    }
    const approval = await tx
      .insertInto('approval')
      .values({
        form: form.code,
        period,
        level: unit.level,
        unit_code: unit.code,
        province_code: unit.province_code,
        kind: mark.missing ? 'missing' : 'approved',
        reason: mark.reason,
        indicators: form.indicators.map((i) => i.code),
        snapshot_version: snapshotVersion,
        approved_by: principal.id,
        approved_by_name: principal.name ?? principal.id,
        approved_at: now,
      })
      .returning([
        'id',
        'form',
        'period',
        'level',
        'unit_code',
        'kind',
        'reason',
        'snapshot_version',
        'approved_by_name',
        'approved_at',
      ])
      .executeTakeFirstOrThrow();
    await audit(tx, principal, [
      {
        action: mark.missing ? 'approval.mark_missing' : 'approval.approve',
        provinceCode: unit.province_code,
        subject: {
          approval: approval.id,
          form: form.code,
          period,
          level: unit.level,
          unit: unit.code,
          snapshot_version: snapshotVersion,
        },
        reason: mark.reason,
        at: now,
      },
    ]);
    return { approval };
  });
}

/** Lifts an approval or a missing mark, with a reason; top-down only: refused while the unit above stands approved. */
export async function unapprove(
  db: Db,
  forms: FormCatalog,
  principal: Principal,
  target: ApprovalTarget,
  reason: string,
  now: Date,
  today: string,
): Promise<Refusal | { unapproved: number }> {
  const resolved = await resolveTarget(db, forms, principal, target, today);
  if (isRefusal(resolved)) return resolved;
  const { form, unit, day, period } = resolved;
  return db.transaction().execute(async (tx): Promise<Refusal | { unapproved: number }> => {
    await lockProvincePeriod(tx, form.code, unit.province_code, period);
    const above = unitAbove(unit, (await provinceUnitsAt(tx, unit.province_code, day)) as Unit[]);
    if (above) {
      const blocking = await standing(tx, form.code, period)
        .where('level', '=', above.level)
        .where('unit_code', '=', above.code)
        .executeTakeFirst();
      if (blocking)
        return refuse('unapproval_blocked', {
          level: above.level,
          unit: above.code,
          name: above.name,
          approved_by: blocking.approved_by_name,
          approved_at: blocking.approved_at,
        });
    }
    const row = await tx
      .updateTable('approval')
      .set({ unapproved_at: now, unapproved_by: principal.id, unapprove_reason: reason })
      .where('form', '=', form.code)
      .where('period', '=', period)
      .where('level', '=', unit.level)
      .where('unit_code', '=', unit.code)
      .where('unapproved_at', 'is', null)
      .returning('id')
      .executeTakeFirst();
    if (!row)
      return refuse('not_found', {
        reason: 'not approved',
        message: { vi: 'Đơn vị này chưa được phê duyệt.', en: 'This unit is not approved.' },
      });
    await audit(tx, principal, [
      {
        action: 'approval.unapprove',
        provinceCode: unit.province_code,
        subject: { approval: row.id, form: form.code, period, level: unit.level, unit: unit.code },
        reason,
        at: now,
      },
    ]);
    return { unapproved: row.id };
  });
}

/** The approvals and missing marks of a province's form and period, standing ones, for the approver's page and the API. */
export async function approvalsOf(db: Db, form: string, period: string, province: string) {
  return standing(db, form.toUpperCase(), period)
    .where('province_code', '=', province)
    .orderBy('level')
    .orderBy('unit_code')
    .execute();
}
