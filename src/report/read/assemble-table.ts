import type { Issue } from '../../schema/issue.ts';
import type { RawRow, RawTable } from '../../schema/raw-table.ts';
import { metaColumnsOf } from '../meta/meta-columns.ts';
import { metaSettler, type MetaSighting } from '../meta/settle-meta.ts';

type Columns = { readonly headers: readonly string[]; readonly columnLabels: readonly string[] };
/** `totals`: the table's total rows (`Tổng cộng`), which are not data; none but in a sheet's table. */
type Source = Columns & { readonly rows: RawTable['rows']; readonly totals?: readonly RawRow[] };

/**
 * The last step of every reader: metadata columns come out of the table, and the metadata the
 * file states (`stated`: XLSX label cells, JSON top-level fields, then the columns, in file order)
 * must agree with itself, else META_CONFLICT. In two halves, so that a reader's own first reading
 * of the rows serves: `add` each row as first read, then `finish` with the table's final columns
 * (a CSV's are known only at its end; metadata columns are among its first ones) and its rows.
 */
export function tableAssembler(
  columns: Columns,
  stated: readonly MetaSighting[] = [],
): {
  add: (row: RawRow) => void;
  finish: (format: RawTable['format'], table: Source) => { table: RawTable } | { issues: Issue[] };
} {
  const survey = metaColumnsOf(columns);
  const settler = metaSettler();
  for (const sighting of stated) settler.add(sighting);
  let rowCount = 0;
  return {
    add: (raw) => {
      const { sightings, row } = survey.split(raw);
      for (const sighting of sightings) settler.add(sighting);
      if (row !== null) rowCount += 1;
    },
    finish: (format, table) => {
      if (settler.issues.length > 0) return { issues: settler.issues };
      const final = metaColumnsOf(table);
      async function* rows(): AsyncGenerator<RawRow[]> {
        for await (const batch of table.rows()) {
          const kept: RawRow[] = [];
          for (const raw of batch) {
            const { row } = final.split(raw);
            if (row !== null) kept.push(row);
          }
          yield kept;
        }
      }
      const totals = (table.totals ?? []).flatMap((raw) => {
        const { row } = final.split(raw);
        return row === null ? [] : [row];
      });
      return {
        table: {
          format,
          meta: settler.meta,
          headers: final.headers,
          columnLabels: final.columnLabels,
          rowCount,
          rows,
          totals,
        },
      };
    },
  };
}

/** `tableAssembler` over a table whose rows are read once more for it. */
export async function assembleTable(
  format: RawTable['format'],
  table: Source,
  stated: readonly MetaSighting[] = [],
): Promise<{ table: RawTable } | { issues: Issue[] }> {
  const assembler = tableAssembler(table, stated);
  for await (const batch of table.rows()) for (const row of batch) assembler.add(row);
  return assembler.finish(format, table);
}
