import type { FieldDefinition } from '../schema/form-definition.ts';
import type { FormRow } from '../schema/form.ts';
import { issue, type Issue } from '../schema/issue.ts';
import type { RawCell, RawTable } from '../schema/raw-table.ts';
import { coerceCell } from './coerce.ts';
import type { ColumnMap } from './match-headers.ts';

/**
 * The check of a table's total rows (`Tổng cộng`): each figure a total row states must be what the
 * data rows give, the sum of an integer column, the count of yes in a yes/no column. `add` every
 * data row as coerced; `issues` then gives a TOTAL_MISMATCH per figure that differs. A column
 * with a cell that could not be read has no sum to compare with, and a total cell that holds no
 * whole number (empty, `-`, a yes/no column's `x`) states nothing: neither is checked.
 */
export function totalsChecker(map: ColumnMap): {
  add: (data: Partial<FormRow>) => void;
  issues: (table: Pick<RawTable, 'totals' | 'columnLabels'>) => Issue[];
} {
  const checked = map.columns.flatMap((field, index) =>
    field !== null && (field.type === 'integer' || field.type === 'yesno') ? [{ field, index }] : [],
  );
  // BigInt: 200,000 rows of counts up to 2^53 add up past what a double holds exactly.
  const sums = new Map<string, bigint>(checked.map(({ field }) => [field.key, 0n]));
  return {
    add: (data) => {
      for (const { field } of checked) {
        const sum = sums.get(field.key);
        if (sum === undefined) continue;
        const value = data[field.key];
        if (value === undefined) sums.delete(field.key);
        else if (typeof value === 'number') sums.set(field.key, sum + BigInt(value));
        else if (value === true) sums.set(field.key, sum + 1n);
      }
    },
    issues: (table) => {
      const found: Issue[] = [];
      for (const total of table.totals) {
        for (const { field, index } of checked) {
          const sum = sums.get(field.key);
          const stated = statedFigure(field, total.cells[index] ?? null);
          if (sum === undefined || stated === null || BigInt(stated) === sum) continue;
          const column = table.columnLabels[index] ?? field.header;
          found.push(
            issue(
              'TOTAL_MISMATCH',
              { row: total.row, column, value: String(stated) },
              {
                column,
                header: field.header,
                total: stated,
                sum: String(sum),
                row: total.row,
                kind: field.type === 'yesno' ? 'yes' : 'sum',
              },
            ),
          );
        }
      }
      return found;
    },
  };
}

/** The whole number a total cell states, a formula's cached result included; null when it states none. */
function statedFigure(field: FieldDefinition, cell: RawCell): number | null {
  const value = cell !== null && typeof cell === 'object' ? (cell.result ?? null) : cell;
  if (value === null || typeof value === 'boolean') return null;
  const read = coerceCell({ ...field, type: 'integer' }, value, 100);
  return read.ok && typeof read.value === 'number' ? read.value : null;
}
