import { compareDecimal } from '../schema/decimal.ts';
import type { FieldDefinition } from '../schema/form-definition.ts';
import type { Form, FormRow } from '../schema/form.ts';

export type RuleBreak = {
  readonly check: Form['checks'][number];
  /** The field the problem is shown at (the rule's left side), and the other side's field, if a field. */
  readonly field: FieldDefinition;
  readonly other: FieldDefinition | null;
};

const holds = {
  '<=': (c: number) => c <= 0,
  '<': (c: number) => c < 0,
  '>=': (c: number) => c >= 0,
  '>': (c: number) => c > 0,
  '=': (c: number) => c === 0,
  '!=': (c: number) => c !== 0,
};

/**
 * The form's cross-field rules (SPEC §6) a row breaks. A rule over a cell that failed its own
 * check is not judged (that cell's problem is reported). An empty optional cell is missing, and
 * the rule's `skip_if_missing` decides (DHIS2's strategies): `any` skips the rule when any of its
 * cells is missing, `all` only when all are, `never` judges it with a missing number as 0 and a
 * missing yes/no as no.
 */
export function brokenRules(form: Form, row: FormRow, invalid: ReadonlySet<string>): RuleBreak[] {
  const out: RuleBreak[] = [];
  for (const check of form.checks) {
    const { parsed, rule } = check;
    const names =
      parsed.kind === 'implies'
        ? [parsed.left, parsed.right]
        : 'field' in parsed.right
          ? [parsed.left, parsed.right.field]
          : [parsed.left];
    if (names.some((n) => invalid.has(n))) continue;
    const missing = names.filter((n) => row[n] === null || row[n] === undefined).length;
    if ((rule.skip_if_missing === 'any' && missing > 0) || (rule.skip_if_missing === 'all' && missing === names.length))
      continue;
    const field = form.field(parsed.left)!;
    const valueAt = (key: string) => {
      const v = row[key];
      if (v !== null && v !== undefined) return v;
      const type = form.field(key)!.type;
      return type === 'yesno' ? false : type === 'integer' || type === 'decimal' ? 0 : null;
    };
    if (parsed.kind === 'implies') {
      if (valueAt(parsed.left) === true && valueAt(parsed.right) !== true)
        out.push({ check, field, other: form.field(parsed.right)! });
      continue;
    }
    const left = valueAt(parsed.left);
    const right = 'field' in parsed.right ? valueAt(parsed.right.field) : parsed.right.number;
    if (left === null || right === null || typeof left === 'boolean' || typeof right === 'boolean') continue;
    const numeric = field.type === 'integer' || field.type === 'decimal';
    const compared = numeric ? compareDecimal(left, right) : String(left).localeCompare(String(right));
    if (!holds[parsed.op](Math.sign(compared)))
      out.push({ check, field, other: 'field' in parsed.right ? form.field(parsed.right.field)! : null });
  }
  return out;
}
