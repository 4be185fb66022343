import type { Form, FormRow } from '../schema/form.ts';
import { issue, type Issue } from '../schema/issue.ts';
import type { RawTable } from '../schema/raw-table.ts';
import { villageKey } from '../schema/text.ts';
import { cappedIssues } from './capped-issues.ts';
import { brokenRules, type RuleBreak } from './check-rules.ts';
import { totalsChecker } from './check-totals.ts';
import { coerceCell } from './coerce.ts';
import type { ColumnMap } from './match-headers.ts';

export type ValidRow = { readonly row: number; readonly key: string | null; readonly data: FormRow };

function cellText(raw: unknown): string | null {
  if (raw === null || raw === undefined) return null;
  if (typeof raw === 'object') return `=${(raw as { formula: string }).formula}`;
  return String(raw);
}

/**
 * Every row made into a typed row of the form, or every problem of every row: type errors per
 * cell, the form's cross-field rules, repeated row keys (the same village twice), and a total
 * row that does not add up (`totalsChecker`). Rows are read one at a time; once a problem is
 * found, valid rows are no longer kept.
 */
export async function validateRows(
  form: Form,
  table: RawTable,
  map: ColumnMap,
  maxChars: number,
  maxIssues: number,
): Promise<{ rows: ValidRow[] } | { issues: Issue[] }> {
  if (table.rowCount === 0) return { issues: [issue('NO_ROWS')] };
  // Kept up to maxIssues (one more is TOO_MANY_ROWS, said first), counted past it.
  const issues = cappedIssues(maxIssues);
  const rows: ValidRow[] = [];
  const keyField = form.rowKeyField;
  const absent = form.fields.filter((f) => !map.columns.includes(f));
  const firstRowOfKey = new Map<string, number>();
  // Said first, before the problems of the rows, though only the second row tells it.
  let tooMany: Issue | null = null;
  let seen = 0;
  const totals = totalsChecker(map);

  for await (const batch of table.rows()) {
    for (const { row, cells } of batch) {
      seen += 1;
      // Each problem of the row carries its name (the village), as read, so the officer finds it by what it is.
      const label = keyField
        ? cellText(cells[map.columns.indexOf(keyField)] ?? null)
            ?.trim()
            .slice(0, 100)
        : undefined;
      const add = (found: Issue) => issues.add(label ? { ...found, row_label: label } : found);
      if (form.rows === 'one' && seen === 2) tooMany = issue('TOO_MANY_ROWS', { row }, { form: form.code });
      const data: FormRow = Object.fromEntries(absent.map((f) => [f.key, null]));
      const invalid = new Set<string>();
      let cellProblems = false;
      map.columns.forEach((field, index) => {
        if (!field) return;
        const raw = cells[index] ?? null;
        const column = table.columnLabels[index] ?? field.header;
        const result = coerceCell(field, raw, maxChars, field === keyField);
        if (result.ok) data[field.key] = result.value;
        else {
          cellProblems = true;
          invalid.add(field.key);
          add(issue(result.code, { row, column, value: cellText(raw) }, result.params));
        }
      });
      totals.add(data);
      for (const broken of brokenRules(form, data, invalid)) {
        const column = table.columnLabels[map.columns.indexOf(broken.field)] ?? broken.field.header;
        add(ruleIssue(broken, data, row, column));
        cellProblems = true;
      }

      let key: string | null = null;
      if (keyField && typeof data[keyField.key] === 'string') {
        key = villageKey(String(data[keyField.key]));
        const first = firstRowOfKey.get(key);
        if (first !== undefined) {
          const column = table.columnLabels[map.columns.indexOf(keyField)] ?? keyField.header;
          add(issue('DUPLICATE_ROW_KEY', { row, column, value: String(data[keyField.key]) }, { firstRow: first }));
          cellProblems = true;
        } else firstRowOfKey.set(key, row);
      }
      // A report with a problem is rejected whole: its valid rows are of no use, so they are let go.
      if (cellProblems || issues.total() > 0 || tooMany !== null) {
        rows.length = 0;
        continue;
      }

      rows.push({ row, key, data });
    }
  }
  for (const found of totals.issues(table)) issues.add(found);
  if (tooMany !== null) return { issues: [tooMany, ...issues.list()] };
  return issues.total() > 0 ? { issues: issues.list() } : { rows };
}

/** A broken rule as the officer reads it: the rule's own message when the form gives one. */
function ruleIssue(broken: RuleBreak, data: FormRow, row: number, column: string): Issue {
  const { check, field, other } = broken;
  const show = (v: FormRow[string] | undefined) => (v === null || v === undefined ? '' : String(v));
  const value = show(data[field.key]);
  const params = {
    header: field.header,
    otherHeader: other?.header ?? '',
    other: other ? show(data[other.key]) : '',
    check: check.rule.check,
  };
  const code =
    check.parsed.kind === 'implies'
      ? 'RULE_REQUIRES'
      : check.parsed.op === '<=' && other
        ? 'RULE_AT_MOST'
        : 'RULE_FAILED';
  const found = issue(code, { row, column, value }, params);
  return check.rule.message ? { ...found, message: check.rule.message } : found;
}
