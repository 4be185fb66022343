import type { Issue } from '../../schema/issue.ts';
import type { RawCell, RawTable } from '../../schema/raw-table.ts';
import { splitMetaColumns } from './meta-columns.ts';
import { settleMeta, type MetaSighting } from './settle-meta.ts';

/**
 * The last step of every reader: metadata columns come out of the table, and the metadata the
 * file states (`stated`: XLSX label cells, JSON top-level fields, then the columns, in file order)
 * must agree with itself, else META_CONFLICT.
 */
export function assembleTable(
  format: RawTable['format'],
  table: { headers: readonly string[]; columnLabels: readonly string[]; rows: readonly { row: number; cells: readonly RawCell[] }[] },
  stated: readonly MetaSighting[] = [],
): { table: RawTable } | { issues: Issue[] } {
  const split = splitMetaColumns(table);
  const { meta, issues } = settleMeta([...stated, ...split.sightings]);
  if (issues.length > 0) return { issues };
  return { table: { format, meta, headers: split.headers, columnLabels: split.columnLabels, rows: split.rows } };
}
