import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import { audit } from '../cycle/audit.ts';
import { refuse, type Refusal } from '../cycle/refusal.ts';
import type { Db } from '../db/connect.ts';
import type { FormCatalog } from '../forms/form-catalog.ts';
import { communesReporting } from '../schema/form-definition.ts';
import { hasRole } from '../schema/roles.ts';
import { scopeCovers, type Principal } from '../schema/scope.ts';
import { communeAt } from '../units/lookup.ts';
import { scopeTargetOf } from '../units/scope-target.ts';

/**
 * Min–max bounds an analyst sets on a (form, measure) for one commune or a whole province (SPEC §8,
 * DHIS2's min–max values). A report outside them is accepted with an OUTLIER_BOUNDS warning; a
 * commune's bound takes precedence over its province's. Removing a bound deletes it: reports judged
 * afterwards no longer carry its warning (those already stored keep theirs, as they were judged).
 */

/** Who may set them: an admin, or a province-scoped analyst (read) or approver within the province. A commune's officer may not bound its own figures. */
export type BoundSetter = Pick<Principal, 'id' | 'level' | 'code' | 'name' | 'roles'>;

const number = z.union([
  z.number(),
  z
    .string()
    .trim()
    .regex(/^-?\d+(?:\.\d+)?$/u)
    .transform(Number),
]);
const place = {
  form: z
    .string()
    .trim()
    .min(1)
    .max(40)
    .transform((s) => s.toUpperCase()),
  measure: z.string().trim().min(1).max(64),
  commune: z
    .string()
    .regex(/^\d{5}$/u)
    .optional(),
  province: z
    .string()
    .regex(/^\d{2}$/u)
    .optional(),
};
const oneUnit = [
  (b: { commune?: string; province?: string }) => (b.commune === undefined) !== (b.province === undefined),
  { message: 'give a commune or a province, not both' },
] as const;
export const boundTarget = z.object(place).refine(...oneUnit);
export const boundInput = z
  .object({ ...place, min: number.nullable().optional(), max: number.nullable().optional() })
  .refine(...oneUnit)
  .refine((b) => b.min != null || b.max != null, { message: 'give min, max or both' })
  .refine((b) => b.min == null || b.max == null || b.min <= b.max, { message: 'min is above max' });
export type BoundTarget = z.infer<typeof boundTarget>;
export type BoundInput = z.infer<typeof boundInput>;

/** The bound's unit and province, once the setter is known to cover it; a refusal otherwise. */
type Place = { level: 'commune' | 'province'; unit: string; province: string };
async function placeOf(
  db: Db,
  forms: FormCatalog,
  who: BoundSetter,
  target: BoundTarget,
  today: string,
): Promise<Place | Refusal> {
  if (who.level === 'commune' || !(hasRole(who, 'read') || hasRole(who, 'approve')))
    return refuse('forbidden', { role: 'read or approve', scope: 'province' });
  // Over the whole country, bounds are a national approver's (an administrator holds the role), not a national reader's.
  if (who.level === 'admin' && !hasRole(who, 'approve'))
    return refuse('forbidden', { role: 'approve or admin', scope: 'national' });
  const versions = forms.versions().filter((f) => f.code === target.form);
  if (versions.length === 0) return refuse('not_found', { form: target.form });
  if (target.measure !== communesReporting && !versions.some((f) => target.measure in f.measures))
    return refuse('not_found', {
      form: target.form,
      measure: target.measure,
      measures: Object.keys(versions.at(-1)!.measures),
    });
  const unit =
    target.commune !== undefined
      ? { level: 'commune' as const, code: target.commune }
      : { level: 'province' as const, code: target.province! };
  const scope = await scopeTargetOf(db, unit, today);
  if (!scope) return refuse('not_found', { [unit.level]: unit.code });
  if (!scopeCovers(who, scope)) return refuse('forbidden', { [unit.level]: unit.code });
  const province =
    unit.level === 'province'
      ? unit.code
      : ((await communeAt(db, unit.code, today))?.province_code ?? scope.provinceCodes[0]!);
  return { level: unit.level, unit: unit.code, province };
}

/** Sets (or replaces) bounds, all or none: each is checked first, then all are written in one transaction with their audit rows. */
export async function setBounds(
  db: Db,
  forms: FormCatalog,
  who: BoundSetter,
  inputs: readonly BoundInput[],
  now: Date,
  today: string,
) {
  const placed: { input: BoundInput; place: Place }[] = [];
  for (const [i, input] of inputs.entries()) {
    const place = await placeOf(db, forms, who, input, today);
    if ('refused' in place)
      return refuse(place.refused, inputs.length > 1 ? { line: i + 1, ...(place.details as object) } : place.details);
    placed.push({ input, place });
  }
  return db.transaction().execute(async (tx) => {
    const bounds = [];
    for (const { input, place } of placed) {
      const values = {
        form: input.form,
        measure: input.measure,
        level: place.level,
        unit_code: place.unit,
        province_code: place.province,
        min: input.min ?? null,
        max: input.max ?? null,
        set_by: who.name ?? who.id,
        set_at: now,
      };
      bounds.push(
        await tx
          .insertInto('quality_bound')
          .values(values)
          .onConflict((oc) =>
            oc
              .columns(['form', 'measure', 'level', 'unit_code'])
              .doUpdateSet({ min: values.min, max: values.max, set_by: values.set_by, set_at: now }),
          )
          .returningAll()
          .executeTakeFirstOrThrow(),
      );
    }
    await audit(
      tx,
      who,
      bounds.map((b) => ({
        action: 'quality.bound.set',
        provinceCode: b.province_code,
        subject: { form: b.form, measure: b.measure, [b.level]: b.unit_code, min: b.min, max: b.max },
        at: now,
      })),
    );
    return { bounds };
  });
}

/** Removes a bound: new submissions are no longer judged against it. */
export async function removeBound(
  db: Db,
  forms: FormCatalog,
  who: BoundSetter,
  target: BoundTarget,
  now: Date,
  today: string,
): Promise<{ removed: number } | Refusal> {
  const place = await placeOf(db, forms, who, target, today);
  if ('refused' in place) return place;
  return db.transaction().execute(async (tx) => {
    const gone = await tx
      .deleteFrom('quality_bound')
      .where('form', '=', target.form)
      .where('measure', '=', target.measure)
      .where('level', '=', place.level)
      .where('unit_code', '=', place.unit)
      .returningAll()
      .execute();
    if (gone.length === 0)
      return refuse('not_found', { form: target.form, measure: target.measure, [place.level]: place.unit });
    await audit(tx, who, [
      {
        action: 'quality.bound.remove',
        provinceCode: place.province,
        subject: {
          form: target.form,
          measure: target.measure,
          [place.level]: place.unit,
          min: gone[0]!.min,
          max: gone[0]!.max,
        },
        at: now,
      },
    ]);
    return { removed: gone.length };
  });
}

/** The bounds a principal may see: all for an admin, its province's otherwise. */
export async function listBounds(db: Db, who: BoundSetter, filter: { form?: string; province?: string }) {
  let q = db.selectFrom('quality_bound').selectAll();
  if (who.level !== 'admin') q = q.where('province_code', '=', who.level === 'province' ? who.code! : '');
  if (filter.form) q = q.where('form', '=', filter.form.toUpperCase());
  if (filter.province) q = q.where('province_code', '=', filter.province);
  return q
    .orderBy('province_code')
    .orderBy('form')
    .orderBy('measure')
    .orderBy('level')
    .orderBy('unit_code')
    .limit(10000)
    .execute();
}

/**
 * Bounds from a CSV file (`form,measure,commune,province,min,max`; one of commune and province per line, an empty min
 * or max is open): every problem by line, or the bounds.
 */
export function boundsFromCsv(text: string): { bounds: BoundInput[] } | { problems: string[] } {
  let records: Record<string, string>[];
  try {
    records = parse(text.replace(/^\uFEFF/u, ''), {
      columns: (h: string[]) => h.map((c) => c.trim().toLowerCase()),
      skip_empty_lines: true,
      trim: true,
    });
  } catch (error) {
    return { problems: [`not a CSV file: ${error instanceof Error ? error.message : String(error)}`] };
  }
  const problems: string[] = [];
  const bounds: BoundInput[] = [];
  records.forEach((r, i) => {
    const blank = (v: string | undefined) => (v === undefined || v === '' ? undefined : v);
    const parsed = boundInput.safeParse({
      form: r.form ?? '',
      measure: r.measure ?? '',
      commune: blank(r.commune),
      province: blank(r.province),
      min: blank(r.min) ?? null,
      max: blank(r.max) ?? null,
    });
    if (parsed.success) bounds.push(parsed.data);
    else
      problems.push(
        `line ${i + 2}: ${parsed.error.issues.map((x) => `${x.path.join('.') || 'row'}: ${x.message}`).join('; ')}`,
      );
  });
  return problems.length > 0 ? { problems } : { bounds };
}
