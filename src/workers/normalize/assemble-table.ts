import type { Issue } from '../../schema/issue.ts';
import type { RawRow, RawTable } from '../../schema/raw-table.ts';
import { metaColumnsOf } from './meta-columns.ts';
import { metaSettler, type MetaSighting } from './settle-meta.ts';

/**
 * The last step of every reader: metadata columns come out of the table, and the metadata the
 * file states (`stated`: XLSX label cells, JSON top-level fields, then the columns, in file order)
 * must agree with itself, else META_CONFLICT. `rows` is read once here to settle the metadata and
 * count the rows, and again each time the table's rows are read.
 */
export async function assembleTable(
  format: RawTable['format'],
  table: { headers: readonly string[]; columnLabels: readonly string[]; rows: () => AsyncIterable<RawRow> },
  stated: readonly MetaSighting[] = [],
): Promise<{ table: RawTable } | { issues: Issue[] }> {
  const columns = metaColumnsOf(table);
  const settler = metaSettler();
  for (const sighting of stated) settler.add(sighting);
  let rowCount = 0;
  for await (const raw of table.rows()) {
    const { sightings, row } = columns.split(raw);
    for (const sighting of sightings) settler.add(sighting);
    if (row !== null) rowCount += 1;
  }
  if (settler.issues.length > 0) return { issues: settler.issues };
  async function* rows(): AsyncGenerator<RawRow> {
    for await (const raw of table.rows()) {
      const { row } = columns.split(raw);
      if (row !== null) yield row;
    }
  }
  return { table: { format, meta: settler.meta, headers: columns.headers, columnLabels: columns.columnLabels, rowCount, rows } };
}
