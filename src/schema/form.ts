import type { DecimalText } from './decimal.ts';
import {
  parseRule,
  type FieldDefinition,
  type FormDefinition,
  type ParsedRule,
  type RuleDefinition,
} from './form-definition.ts';

/**
 * A typed, validated row: integers as numbers, decimals as exact decimal text, yes/no as booleans,
 * choices as their value, dates as ISO text, text normalized; null for an empty optional cell.
 * A key absent from a stored row is a field the row's form version did not have.
 */
export type FormRow = Record<string, string | number | boolean | null>;

/** A measure of one commune report: exact decimal text, or null when the report cannot give it. */
export type Measures = Readonly<Record<string, DecimalText | null>>;

/** A version of a form as the catalog serves it: the definition, its version, and what is derived from it once. */
export type Form = FormDefinition & {
  /** 1, 2, …: the order of import of this code's versions. */
  readonly version: number;
  readonly field: (key: string) => FieldDefinition | undefined;
  /** The field that identifies a row (`rows: many`), else null. */
  readonly rowKeyField: FieldDefinition | null;
  readonly checks: readonly { readonly rule: RuleDefinition; readonly parsed: ParsedRule }[];
};

/** Derives the served form from a checked definition. */
export function compileForm(def: FormDefinition, version: number): Form {
  const byKey = new Map(def.fields.map((f) => [f.key, f]));
  const checks = def.rules.map((rule) => {
    const parsed = parseRule(rule.check);
    if (!parsed) throw new Error(`form ${def.code}: unchecked rule ${rule.check}`);
    return { rule, parsed };
  });
  return {
    ...def,
    version,
    field: (key) => byKey.get(key),
    rowKeyField: def.row_key === undefined ? null : (byKey.get(def.row_key) ?? null),
    checks,
  };
}

/** A served form's definition as it was imported, without what is derived from it. */
export function definitionOf(form: Form): FormDefinition {
  const { version: _version, field: _field, rowKeyField: _rowKeyField, checks: _checks, ...definition } = form;
  return definition;
}
