import { sql, type RawBuilder } from 'kysely';
import { type Cell, float8Text, neutralizedSql, numericText, overflow, type SqlCellKind } from './csv-sql.ts';
import { rowsPerSheet } from './xlsx.ts';

/** Column letters: 0 → A, 25 → Z, 26 → AA. */
function columnLetters(index: number): string {
  let letters = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26))
    letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  return letters;
}

/**
 * The `<row>` XML xlsx.ts's xlsxStream writes for a row of a data export (columns by key, no
 * number formats), written by Postgres as csv-sql.ts writes a CSV line: its row number is the
 * row's place in its sheet (`order`, the query's own ORDER BY, numbers the rows; a sheet holds
 * `perSheet` below its header), each cell as cellXml writes the value node-postgres would read.
 */
export function xlsxRowSql(
  columns: readonly (readonly [ref: string, kind: SqlCellKind])[],
  order: readonly RawBuilder<unknown>[],
  perSheet = rowsPerSheet,
): RawBuilder<string> {
  const r = sql`((row_number() over (order by ${sql.join(order)}) - 1) % ${sql.lit(perSheet)} + 2)::text`;
  const cells = columns.map(([ref, kind], i) =>
    cellSql[kind](sql.ref(ref), sql`'<c r="${sql.raw(columnLetters(i))}' || ${r} || '"'`),
  );
  return sql<string>`concat('<row r="', ${r}, '">', ${sql.join(cells)}, '</row>')`;
}

/** A cell's XML from its value and `<c r="A2"` (the open tag, unclosed). */
const cellSql: Record<SqlCellKind, (c: Cell, open: Cell) => Cell> = {
  text: textCell,
  integer: (c, open) => sql`case when ${c} is null then '' else ${open} || '><v>' || ${c}::text || '</v></c>' end`,
  numeric: (n, open) => sql`case when ${n} is null then ''
    when ${n} = 'NaN'::numeric or abs(${n}) >= ${sql.lit(overflow)}::numeric then ${open} || ${notANumber}
    else ${open} || '><v>' || ${numericText(n)} || '</v></c>' end`,
  float8: (x, open) => sql`case when ${x} is null then ''
    when ${x} = 'NaN'::float8 or abs(${x}) = 'Infinity'::float8 then ${open} || ${notANumber}
    else ${open} || '><v>' || ${float8Text(x)} || '</v></c>' end`,
  boolean: (b, open) =>
    sql`case when ${b} is null then '' else ${open} || ' t="b"><v>' || case when ${b} then '1' else '0' end || '</v></c>' end`,
  // Excel's serial of the Date node-postgres reads (milliseconds cut, as csv-sql.ts says), in the short date style (2); ±infinity is a number that is none.
  timestamptz: (t, open) => sql`case when ${t} is null then ''
    when not isfinite(${t}) then ${open} || ${notANumber}
    else ${open} || ' s="2"><v>' || ${float8Text(sql`(floor(extract(epoch from ${t}) * 1000)::float8 / 86400000::float8 + 25569::float8)`)} || '</v></c>' end`,
};

/** Excel's error for a number that is none (NaN, ±Infinity), as cellXml writes it. */
const notANumber = sql`' t="e"><v>#NUM!</v></c>'`;

/** The characters xlsx.ts's xmlText spells otherwise; U+0000 cannot be in a Postgres text. */
const xmlSpecial = String.raw`[&<>\x01-\x08\x0b\x0c\x0d\x0e-\x1f\ufffe\uffff]|_x[0-9A-Fa-f]{4}_`;
/** JavaScript's \s less the vertical tab, form feed and carriage return, which xmlText spells as _xHHHH_ (so none is left). */
const space = String.raw`\t\n \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff`;
/** The controls and non-characters xmlText spells as _xHHHH_. */
const spelled = [...Array.from({ length: 31 }, (_, i) => i + 1).filter((c) => c !== 9 && c !== 10), 0xfffe, 0xffff];

/**
 * An inline string cell as cellXml writes it: neutralized, then xmlText (a `_xHHHH_` already in
 * the text first, as its one pass finds it before the characters it spells), and xml:space when
 * the cell's text starts or ends with JavaScript's white space (a leading tab is neutralized).
 */
function textCell(c: Cell, open: Cell): Cell {
  const safe = neutralizedSql(c);
  let escaped: Cell = sql`replace(replace(replace(regexp_replace(${safe}, '_x[0-9A-Fa-f]{4}_', '_x005F\\&', 'g'), '&', '&amp;'), '<', '&lt;'), '>', '&gt;')`;
  for (const code of spelled)
    escaped = sql`replace(${escaped}, chr(${sql.lit(code)}), ${sql.lit(`_x${code.toString(16).toUpperCase().padStart(4, '0')}_`)})`;
  return sql`case when ${c} is null then ''
    else ${open} || ' t="inlineStr"><is><t'
      || case when ${c} ~ ${sql.lit(`^[${space.replace(String.raw`\t`, '')}]|[${space}]$`)} then ' xml:space="preserve"' else '' end
      || '>' || case when ${c} ~ ${sql.lit(xmlSpecial)} then ${escaped} else ${safe} end || '</t></is></c>' end`;
}
