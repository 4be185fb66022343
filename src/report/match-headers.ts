import type { FieldDefinition as FieldDef } from '../schema/form-definition.ts';
import type { Form } from '../schema/form.ts';
import { issue, type Issue } from '../schema/issue.ts';
import { foldLabel } from '../schema/text.ts';

/** Columns officers add to every table and that carry no data: the row number and a notes column. */
const ignoredHeaders = new Set(['stt', 'sott', 'sothutu', 'ghichu', 'notes', 'note']);

export type ColumnMap = {
  /** For each column of the file, the field it holds, or null for an ignored column. */
  readonly columns: readonly (FieldDef | null)[];
};

// Each form's fields by folded key and header, folded once: every file's every header is looked up here.
const fieldsByLabel = new WeakMap<Form, Map<string, FieldDef>>();

function fieldFor(form: Form, header: string): FieldDef | undefined {
  let byLabel = fieldsByLabel.get(form);
  if (!byLabel) {
    byLabel = new Map();
    // Reverse order: where a key and another field's header fold alike, the first field wins, as a search in field order would.
    for (const f of [...form.fields].reverse()) {
      for (const alias of f.aliases) byLabel.set(foldLabel(alias), f);
      byLabel.set(foldLabel(f.header), f);
      byLabel.set(foldLabel(f.key), f);
    }
    fieldsByLabel.set(form, byLabel);
  }
  return byLabel.get(foldLabel(header));
}

/** How many of the form's fields the file's headers name, however they are spelled. */
export function fieldsNamed(form: Form, headers: readonly string[]): number {
  const found = new Set(headers.map((h) => fieldFor(form, h)?.key));
  return form.fields.filter((f) => found.has(f.key)).length;
}

/**
 * Maps a file's header row onto a form's fields: by key, Vietnamese header or alias, or these
 * without diacritics, in any case and spacing (SPEC §3). Every missing, unknown and repeated
 * column is reported, not just the first.
 */
export function matchHeaders(
  form: Form,
  headers: readonly string[],
  columnLabels: readonly string[],
): { map: ColumnMap } | { issues: Issue[] } {
  const issues: Issue[] = [];
  const seen = new Map<string, number>();
  const columns = headers.map((header, index) => {
    const column = columnLabels[index] ?? header;
    if (foldLabel(header) === '') return null;
    // A form's own field named like one of those columns (`Ghi chú`, `notes`) is the form's: its values are kept.
    const field = fieldFor(form, header);
    if (!field && ignoredHeaders.has(foldLabel(header))) return null;
    if (!field) {
      issues.push(issue('HEADER_UNKNOWN', { row: null, column, value: header }, { form: form.code }));
      return null;
    }
    if (seen.has(field.key)) {
      issues.push(issue('HEADER_DUPLICATE', { column, value: header }, { header: field.header }));
      return null;
    }
    seen.set(field.key, index);
    return field;
  });
  for (const field of form.fields) {
    // An optional field may be left out of the file: its cells are all empty.
    if (!seen.has(field.key) && field.required)
      issues.push(issue('HEADER_MISSING', { column: field.header }, { header: field.header }));
  }
  return issues.length > 0 ? { issues } : { map: { columns } };
}
