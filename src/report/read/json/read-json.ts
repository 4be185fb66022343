import { issue, type Issue } from '../../../schema/issue.ts';
import type { RawCell, RawRow, RawTable, ReadLimits } from '../../../schema/raw-table.ts';
import { assembleTable } from '../assemble-table.ts';
import { inBatches } from '../../in-batches.ts';
import { limitExceeded } from '../limit-exceeded.ts';
import { metaKeyOf } from '../../meta/meta-label.ts';
import type { MetaSighting } from '../../meta/settle-meta.ts';

type JsonObject = { readonly [key: string]: unknown };

/**
 * A JSON text (already decoded) as a table. Two shapes are accepted: an array of row objects, or
 * `{ form?, commune?, period?, rows: [...] }`; rows may carry `form`, `commune` and `period` too.
 * Headers are the union of the rows' keys in first-seen order; strings, numbers, booleans and null
 * are kept as they are. A row's number is its 1-based position in the rows array: JSON has no
 * lines an officer would count by.
 */
export async function readJson(text: string, limits: ReadLimits): Promise<{ table: RawTable } | { issues: Issue[] }> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return { issues: [syntaxIssue(text, error)] };
  }
  const shape = shapeOf(parsed);
  if (shape === null) return { issues: [issue('JSON_SHAPE')] };
  if (shape.rows.length > limits.maxRows) return { issues: [limitExceeded('rows', shape.rows.length, limits.maxRows)] };

  const issues: Issue[] = [];
  const stated: MetaSighting[] = [];
  for (const [key, value] of Object.entries(shape.top)) {
    const metaKey = metaKeyOf(key);
    if (metaKey === null || value === null) continue;
    if (typeof value === 'object') issues.push(issue('JSON_VALUE_NESTED', { column: key }));
    else stated.push({ key: metaKey, value: String(value), row: null, column: key });
  }

  // The parsed rows are the table: they are checked here, and made into cells only as they are read.
  const columns = new Map<string, number>();
  for (const [index, value] of shape.rows.entries()) {
    const row = index + 1;
    if (!isObject(value)) {
      issues.push(issue('JSON_SHAPE', { row }));
      continue;
    }
    for (const [rawKey, rawValue] of Object.entries(value)) {
      const key = rawKey.normalize('NFC');
      if (!columns.has(key)) {
        if (columns.size >= limits.maxColumns)
          return { issues: [limitExceeded('columns', countKeys(shape.rows), limits.maxColumns, { row })] };
        columns.set(key, columns.size);
      }
      const cell = cellOf(rawValue);
      if (cell === undefined) issues.push(issue('JSON_VALUE_NESTED', { row, column: key }));
      else if (typeof cell === 'string' && cell.length > limits.maxCellChars) {
        return { issues: [limitExceeded('cellChars', cell.length, limits.maxCellChars, { row, column: key })] };
      }
    }
  }
  if (issues.length > 0) return { issues };

  const headers = [...columns.keys()];
  function* rows(): Generator<RawRow> {
    for (const [index, value] of shape!.rows.entries()) {
      const cells: RawCell[] = Array.from({ length: headers.length }, () => null);
      for (const [key, rawValue] of Object.entries(value as JsonObject))
        cells[columns.get(key.normalize('NFC'))!] = cellOf(rawValue) ?? null;
      yield { row: index + 1, cells };
    }
  }
  return assembleTable('json', { headers, columnLabels: headers, rows: () => inBatches(rows()) }, stated);
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function shapeOf(parsed: unknown): { rows: readonly unknown[]; top: JsonObject } | null {
  if (Array.isArray(parsed)) return { rows: parsed, top: {} };
  if (isObject(parsed) && Array.isArray(parsed.rows)) {
    const { rows, ...top } = parsed;
    return { rows: rows as unknown[], top };
  }
  return null;
}

/** A JSON value as a cell; undefined for an object or an array, which no cell can hold. */
function cellOf(value: unknown): RawCell | undefined {
  if (value === null || typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'string') return value.normalize('NFC');
  return undefined;
}

/** How many distinct keys the rows have, for the message when there are too many. */
function countKeys(rows: readonly unknown[]): number {
  const keys = new Set<string>();
  for (const row of rows) if (isObject(row)) for (const key of Object.keys(row)) keys.add(key);
  return keys.size;
}

/** JSON_INVALID, with the line and column when the parser says where. */
function syntaxIssue(text: string, error: unknown): Issue {
  const message = error instanceof Error ? error.message : '';
  const lineColumn = /line (\d+) column (\d+)/u.exec(message);
  if (lineColumn) return issue('JSON_INVALID', {}, { line: Number(lineColumn[1]), column: Number(lineColumn[2]) });
  const position = /position (\d+)/u.exec(message);
  const at = position ? Number(position[1]) : /unexpected end/iu.test(message) ? text.length : null;
  if (at === null) return issue('JSON_INVALID');
  const before = text.slice(0, at).split(/\r\n|\r|\n/u);
  return issue('JSON_INVALID', {}, { line: before.length, column: (before.at(-1)?.length ?? 0) + 1 });
}
