/** A plain text table for the terminal, columns padded to their widest cell. */
export function formatTable(header: readonly string[], rows: readonly (readonly unknown[])[]): string {
  const cells = [header, ...rows.map((r) => r.map((c) => (c === null || c === undefined ? '' : String(c))))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => [...(r[i] ?? '')].length)));
  const line = (r: readonly string[]) =>
    r
      .map((c, i) => c + ' '.repeat(widths[i]! - [...c].length))
      .join('  ')
      .trimEnd();
  return [line(cells[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

/** The columns a table of figures opens with; the snapshot and recast tables add their own after them. */
export const figureColumns = ['level', 'unit', 'name', 'indicator', 'numerator', 'denominator', 'value'] as const;

/** The part of a snapshot or recast row that figureCells prints. */
export type FigureRow = {
  level: string;
  unit_code: string;
  unit_name: string;
  indicator: string;
  numerator: number | null;
  denominator: number | null;
  value: number | null;
};

/** A row's cells under figureColumns; the value rounded to four places so a rate prints as 0.5372, not 0.5371900826446281. */
export function figureCells(r: FigureRow): unknown[] {
  return [
    r.level,
    r.unit_code,
    r.unit_name,
    r.indicator,
    r.numerator,
    r.denominator,
    r.value === null ? null : Number(r.value.toFixed(4)),
  ];
}
