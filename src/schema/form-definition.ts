import { z } from 'zod';
import { formCalendarSchema } from './form-calendar.ts';
import { bilingual } from './issue.ts';
import { foldLabel } from './text.ts';

/**
 * A form as data (SPEC §6): the one schema an imported definition is checked against, and the
 * type every stage reads. Everything a single file can get wrong is checked here, each problem
 * at its path (`fields[3].type`); what needs the other forms (an indicator code another form
 * uses) is checked by the catalog.
 */

export const fieldTypes = ['text', 'integer', 'decimal', 'yesno', 'choice', 'date'] as const;
export type FieldType = (typeof fieldTypes)[number];
export const periodicities = ['month', 'quarter', 'half_year', 'nine_months', 'year'] as const;
export type Periodicity = (typeof periodicities)[number];
export const missingStrategies = ['any', 'all', 'never'] as const;

/** The measure every form has: 1 for each commune that reported the form for the period. */
export const communesReporting = 'communes_reporting';

const name = z
  .string()
  .regex(/^[a-z][a-z0-9_]*$/u, 'lowercase letters, digits and _, starting with a letter')
  .max(64);
const label = z.string().trim().min(1).max(300);
const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/u, 'a date YYYY-MM-DD')
  .refine(
    (d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d),
    'not a calendar date',
  );

export const choiceSchema = z.object({ value: z.string().trim().min(1).max(100), vi: label, en: label }).strict();

export const fieldSchema = z
  .object({
    key: name,
    header: label,
    aliases: z.array(label).max(20).default([]),
    en: label.optional(),
    type: z.enum(fieldTypes),
    required: z.boolean().default(true),
    min: z.number().optional(),
    max: z.number().optional(),
    decimals: z.number().int().min(0).max(12).optional(),
    choices: z.array(choiceSchema).min(1).max(200).optional(),
  })
  .strict();
export type FieldDefinition = z.infer<typeof fieldSchema>;

export const ruleSchema = z
  .object({
    check: z.string().trim().min(1).max(200),
    skip_if_missing: z.enum(missingStrategies).default('any'),
    message: bilingual.optional(),
  })
  .strict();
export type RuleDefinition = z.infer<typeof ruleSchema>;

/** A measure: one number per commune report, summed by the rollup. `where` keeps only rows whose yes/no field is yes. */
export const measureSchema = z.union([
  z.object({ count: z.literal('rows'), where: name.optional() }).strict(),
  z.object({ count_yes: name, where: name.optional() }).strict(),
  z.object({ sum: name, where: name.optional() }).strict(),
]);
export type MeasureDefinition = z.infer<typeof measureSchema>;

export const indicatorSchema = z
  .object({
    code: name,
    name: bilingual,
    numerator: name,
    denominator: name.optional(),
  })
  .strict();
export type IndicatorDefinition = z.infer<typeof indicatorSchema>;

const comparisons = ['<=', '<', '>=', '>', '=', '!='] as const;

/**
 * A consistency check across forms (SPEC §8): this form's measure against another form's measure
 * for the same commune and period, e.g. the villages a commune office declares against the rows of
 * the village form. Broken, it warns and never rejects; it is checked whichever of the two reports
 * arrives second. Data, so that no form code is written in the code.
 */
export const consistencySchema = z
  .object({
    measure: name,
    op: z.enum(comparisons),
    form: z.string().regex(/^[A-Z0-9-]{2,16}$/u, 'capital letters, digits and -, 2 to 16 of them'),
    other: name,
    message: bilingual.optional(),
  })
  .strict();
export type ConsistencyDefinition = z.infer<typeof consistencySchema>;
export type Comparison = (typeof comparisons)[number];
/** A rule's check, read: `a <= b`, `a > 0`, `A implies B`. */
export type ParsedRule =
  | { kind: 'compare'; left: string; op: Comparison; right: { field: string } | { number: string } }
  | { kind: 'implies'; left: string; right: string };

export function parseRule(check: string): ParsedRule | null {
  const implies = check.trim().match(/^([a-z][a-z0-9_]*)\s+implies\s+([a-z][a-z0-9_]*)$/u);
  if (implies) return { kind: 'implies', left: implies[1]!, right: implies[2]! };
  const m = check.trim().match(/^([a-z][a-z0-9_]*)\s*(<=|>=|!=|==|=|<|>)\s*([a-z][a-z0-9_]*|-?\d+(?:\.\d+)?)$/u);
  if (!m) return null;
  const op = (m[2] === '==' ? '=' : m[2]) as Comparison;
  const right = /^[a-z]/u.test(m[3]!) ? { field: m[3]! } : { number: m[3]! };
  return { kind: 'compare', left: m[1]!, op, right };
}

/** The fields a measure reads: its field and its `where`. */
export function measureFields(m: MeasureDefinition): { field: string | null; where: string | null } {
  const field = 'sum' in m ? m.sum : 'count_yes' in m ? m.count_yes : null;
  return { field, where: m.where ?? null };
}

const numeric = new Set<FieldType>(['integer', 'decimal']);

type Ctx = z.RefinementCtx;
const problem = (ctx: Ctx, path: (string | number)[], vi: string, en: string) =>
  ctx.addIssue({ code: 'custom', path, message: en, params: { vi } });

export const formDefinitionSchema = z
  .object({
    code: z.string().regex(/^[A-Z0-9-]{2,16}$/u, 'capital letters, digits and -, 2 to 16 of them'),
    title: bilingual,
    valid_from: isoDate.optional(),
    periodicity: z.enum(periodicities),
    rows: z.enum(['one', 'many']),
    row_key: name.optional(),
    fields: z.array(fieldSchema).min(1).max(200),
    rules: z.array(ruleSchema).max(200).default([]),
    measures: z.record(name, measureSchema).default({}),
    indicators: z.array(indicatorSchema).max(200).default([]),
    calendar: formCalendarSchema.optional(),
    // Optional rather than defaulted: a default would change the digest of every stored definition.
    consistency: z.array(consistencySchema).max(50).optional(),
  })
  .strict()
  .superRefine((def, ctx) => {
    const byKey = new Map<string, FieldDefinition>();
    const labels = new Map<string, string>();
    def.fields.forEach((f, i) => {
      if (byKey.has(f.key))
        problem(ctx, ['fields', i, 'key'], `trùng khóa trường "${f.key}"`, `duplicate field key "${f.key}"`);
      else byKey.set(f.key, f);
      for (const l of [f.key, f.header, ...f.aliases]) {
        const folded = foldLabel(l);
        const owner = labels.get(folded);
        if (owner !== undefined && owner !== f.key)
          problem(
            ctx,
            ['fields', i],
            `tiêu đề "${l}" trùng với trường "${owner}"`,
            `the header "${l}" is also field "${owner}"'s`,
          );
        else labels.set(folded, f.key);
      }
      if (f.choices && f.type !== 'choice')
        problem(ctx, ['fields', i, 'choices'], 'chỉ trường kiểu choice có choices', 'only a choice field has choices');
      if (f.type === 'choice' && !f.choices)
        problem(ctx, ['fields', i, 'choices'], 'trường kiểu choice cần choices', 'a choice field needs choices');
      if (f.choices) {
        const seen = new Set<string>();
        f.choices.forEach((c, j) => {
          for (const v of [c.value, c.vi, c.en].map(foldLabel)) {
            if (seen.has(v))
              problem(
                ctx,
                ['fields', i, 'choices', j],
                `lựa chọn "${c.value}" trùng với lựa chọn khác`,
                `choice "${c.value}" repeats another choice`,
              );
          }
          for (const v of new Set([c.value, c.vi, c.en].map(foldLabel))) seen.add(v);
        });
      }
      if (f.decimals !== undefined && f.type !== 'decimal')
        problem(
          ctx,
          ['fields', i, 'decimals'],
          'chỉ trường kiểu decimal có decimals',
          'only a decimal field has decimals',
        );
      for (const bound of ['min', 'max'] as const) {
        if (f[bound] !== undefined && !numeric.has(f.type))
          problem(
            ctx,
            ['fields', i, bound],
            `chỉ trường số có ${bound}`,
            `only an integer or decimal field has ${bound}`,
          );
        if (f[bound] !== undefined && f.type === 'integer' && !Number.isInteger(f[bound]))
          problem(ctx, ['fields', i, bound], 'phải là số nguyên', 'must be a whole number');
      }
      if (f.min !== undefined && f.max !== undefined && f.min > f.max)
        problem(ctx, ['fields', i, 'max'], 'max nhỏ hơn min', 'max is below min');
    });

    if (def.rows === 'many') {
      if (def.row_key === undefined)
        problem(ctx, ['row_key'], 'biểu nhiều dòng cần row_key', 'a form with many rows needs a row_key');
      else if (byKey.get(def.row_key)?.type !== 'text')
        problem(
          ctx,
          ['row_key'],
          `"${def.row_key}" không phải trường kiểu text`,
          `"${def.row_key}" is not a text field`,
        );
      else if (!byKey.get(def.row_key)!.required)
        problem(
          ctx,
          ['row_key'],
          `trường "${def.row_key}" phải bắt buộc`,
          `the field "${def.row_key}" must be required`,
        );
    } else if (def.row_key !== undefined)
      problem(ctx, ['row_key'], 'biểu một dòng không có row_key', 'a form with one row has no row_key');

    const typeOf = (key: string) => byKey.get(key)?.type;
    def.rules.forEach((r, i) => {
      const path = ['rules', i, 'check'];
      const rule = parseRule(r.check);
      if (!rule)
        return problem(
          ctx,
          path,
          'không hiểu phép kiểm tra (dạng "a <= b", "a > 0", "a implies b")',
          'not a check of the form "a <= b", "a > 0" or "a implies b"',
        );
      const names =
        rule.kind === 'implies'
          ? [rule.left, rule.right]
          : 'field' in rule.right
            ? [rule.left, rule.right.field]
            : [rule.left];
      const unknown = names.filter((n) => !byKey.has(n));
      for (const n of unknown) problem(ctx, path, `không có trường "${n}"`, `there is no field "${n}"`);
      if (unknown.length > 0) return;
      if (rule.kind === 'implies') {
        if (names.some((n) => typeOf(n) !== 'yesno'))
          problem(ctx, path, '"implies" chỉ nối hai trường có/không', '"implies" joins two yes/no fields');
        return;
      }
      const left = typeOf(rule.left)!;
      if ('number' in rule.right) {
        if (!numeric.has(left))
          problem(ctx, path, `"${rule.left}" không phải trường số`, `"${rule.left}" is not a number field`);
        return;
      }
      const right = typeOf(rule.right.field)!;
      const comparable = (numeric.has(left) && numeric.has(right)) || left === right;
      const ordered = numeric.has(left) || left === 'date';
      if (!comparable || (!ordered && rule.op !== '=' && rule.op !== '!='))
        problem(
          ctx,
          path,
          `không so sánh được "${rule.left}" (${left}) với "${rule.right.field}" (${right})`,
          `"${rule.left}" (${left}) cannot be compared with "${rule.right.field}" (${right})`,
        );
    });

    for (const [measure, m] of Object.entries(def.measures)) {
      const path = ['measures', measure];
      if (measure === communesReporting)
        problem(ctx, path, `"${communesReporting}" là số đo có sẵn`, `"${communesReporting}" is built in`);
      const { field, where } = measureFields(m);
      const want = 'sum' in m ? 'integer or decimal' : 'yes/no';
      if (field !== null) {
        const type = typeOf(field);
        if (type === undefined) problem(ctx, path, `không có trường "${field}"`, `there is no field "${field}"`);
        else if ('sum' in m ? !numeric.has(type) : type !== 'yesno')
          problem(
            ctx,
            path,
            `trường "${field}" kiểu ${type} không dùng được ở đây (cần ${'sum' in m ? 'số' : 'có/không'})`,
            `the field "${field}" is ${type}, not ${want}`,
          );
      }
      if (where !== null && typeOf(where) !== 'yesno')
        problem(ctx, [...path, 'where'], `"${where}" không phải trường có/không`, `"${where}" is not a yes/no field`);
    }

    (def.consistency ?? []).forEach((c, i) => {
      if (c.measure !== communesReporting && !(c.measure in def.measures))
        problem(
          ctx,
          ['consistency', i, 'measure'],
          `không có số đo "${c.measure}"`,
          `there is no measure "${c.measure}"`,
        );
      if (c.form === def.code)
        problem(
          ctx,
          ['consistency', i, 'form'],
          'so sánh với một biểu mẫu khác, không phải chính nó',
          'compares with another form, not this one',
        );
    });

    const codes = new Set<string>();
    def.indicators.forEach((ind, i) => {
      if (codes.has(ind.code))
        problem(
          ctx,
          ['indicators', i, 'code'],
          `trùng mã chỉ tiêu "${ind.code}"`,
          `duplicate indicator code "${ind.code}"`,
        );
      codes.add(ind.code);
      for (const part of ['numerator', 'denominator'] as const) {
        const m = ind[part];
        if (m !== undefined && m !== communesReporting && !(m in def.measures))
          problem(ctx, ['indicators', i, part], `không có số đo "${m}"`, `there is no measure "${m}"`);
      }
    });
  });

/** A form definition as imported: the file's content, defaults filled in. */
export type FormDefinition = z.infer<typeof formDefinitionSchema>;
