import { z } from 'zod';
import type { Bilingual } from './issue.ts';
import type { FormCalendar } from './form-calendar.ts';

/** One column of a form. The Vietnamese header is what the template prints and officers type. */
export type FieldDef = {
  readonly key: string;
  readonly header: string;
  readonly en: string;
  readonly type: 'text' | 'integer' | 'yesno';
  /** Text only: this column identifies the row and must be unique in the file after normalization. */
  readonly rowKey?: boolean;
  /** Yes/no only: may be yes only when that other yes/no field is yes. */
  readonly requires?: string;
  /** Integer only: must not exceed that other integer field of the same row. */
  readonly atMost?: string;
};

/**
 * How a submission's rows become one number for its commune, which the rollup then sums:
 * the row count, the rows where a yes/no field is yes, or the sum of an integer field.
 */
export type MeasureDef =
  | { readonly kind: 'count' }
  | { readonly kind: 'countYes'; readonly field: string }
  | { readonly kind: 'sum'; readonly field: string };

/** An indicator is Σ numerator / Σ denominator over the communes below a unit; a count when it has no denominator. */
export type IndicatorDef = {
  readonly code: string;
  readonly name: Bilingual;
  readonly numerator: string;
  readonly denominator?: string;
};

export type FormDef = {
  readonly code: string;
  readonly title: Bilingual;
  /** `many`: one row per village; `one`: exactly one row per commune. */
  readonly rows: 'many' | 'one';
  readonly fields: readonly FieldDef[];
  readonly measures: Readonly<Record<string, MeasureDef>>;
  readonly indicators: readonly IndicatorDef[];
  /** The reporting calendar (SPEC §7); read it through calendarOf(), which supplies the defaults. */
  readonly calendar?: FormCalendar;
};

/** A typed, validated row: integers as numbers, yes/no as booleans, text normalized. */
export type FormRow = Record<string, string | number | boolean>;

export type Form = FormDef & {
  /** The zod schema of one coerced row, with the cross-field rules (`requires`, `atMost`). */
  readonly rowSchema: z.ZodType<FormRow>;
  readonly field: (key: string) => FieldDef | undefined;
};

function fieldSchema(field: FieldDef): z.ZodType<string | number | boolean> {
  switch (field.type) {
    case 'text':
      return z.string().min(1);
    case 'integer':
      return z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
    case 'yesno':
      return z.boolean();
  }
}

/**
 * Checks a form definition once, at load, and derives its row schema. A form that refers to a
 * field it does not have is a programming error, so it throws here rather than on some upload.
 */
export function defineForm(def: FormDef): Form {
  const byKey = new Map(def.fields.map((f) => [f.key, f]));
  const need = (key: string, type: FieldDef['type'], where: string) => {
    if (byKey.get(key)?.type !== type) throw new Error(`form ${def.code}: ${where} names ${key}, which is not a ${type} field`);
  };
  for (const f of def.fields) {
    if (f.requires) need(f.requires, 'yesno', `${f.key}.requires`);
    if (f.atMost) need(f.atMost, 'integer', `${f.key}.atMost`);
  }
  for (const [name, m] of Object.entries(def.measures)) {
    if (m.kind === 'countYes') need(m.field, 'yesno', `measure ${name}`);
    if (m.kind === 'sum') need(m.field, 'integer', `measure ${name}`);
  }
  for (const ind of def.indicators) {
    for (const m of [ind.numerator, ind.denominator]) {
      if (m !== undefined && !(m in def.measures)) throw new Error(`form ${def.code}: indicator ${ind.code} names unknown measure ${m}`);
    }
  }

  const shape = Object.fromEntries(def.fields.map((f) => [f.key, fieldSchema(f)]));
  const rowSchema = z
    .object(shape)
    .strict()
    .superRefine((row, ctx) => {
      for (const v of ruleViolations(def, row)) {
        ctx.addIssue({ code: 'custom', path: [v.field.key], params: { rule: v.rule, other: v.other.key } });
      }
    }) as unknown as z.ZodType<FormRow>;

  return { ...def, rowSchema, field: (key) => byKey.get(key) };
}

export type RuleViolation = { field: FieldDef; rule: 'RULE_REQUIRES' | 'RULE_AT_MOST'; other: FieldDef };

/**
 * The cross-field rules a row breaks (`requires`, `atMost`). A rule is checked only when both of
 * its cells have a value, so a row with a bad cell still gets every other problem reported.
 */
export function ruleViolations(def: Pick<FormDef, 'fields'>, row: Partial<FormRow>): RuleViolation[] {
  const out: RuleViolation[] = [];
  const byKey = new Map(def.fields.map((f) => [f.key, f]));
  for (const f of def.fields) {
    const value = row[f.key];
    if (f.requires && value === true && row[f.requires] === false) out.push({ field: f, rule: 'RULE_REQUIRES', other: byKey.get(f.requires)! });
    const limit = f.atMost ? row[f.atMost] : undefined;
    if (f.atMost && typeof value === 'number' && typeof limit === 'number' && value > limit) out.push({ field: f, rule: 'RULE_AT_MOST', other: byKey.get(f.atMost)! });
  }
  return out;
}

/** The commune-level measures of one submission's rows. */
export function measureRows(form: FormDef, rows: readonly FormRow[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, m] of Object.entries(form.measures)) {
    let total = 0;
    for (const row of rows) {
      if (m.kind === 'count') total += 1;
      else if (m.kind === 'countYes') total += row[m.field] === true ? 1 : 0;
      else total += row[m.field] as number;
    }
    out[name] = total;
  }
  return out;
}
