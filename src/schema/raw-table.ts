/**
 * What a reader makes of an uploaded file before any form is applied: the metadata it carries,
 * its header cells and its data rows, each cell as the file had it. Readers know file formats;
 * they know nothing of forms.
 */

/** A cell as found: text (CSV, JSON strings, spreadsheet text), a number or boolean (XLSX, JSON), a formula, or empty. */
export type RawCell =
  | string
  | number
  | boolean
  | null
  | { readonly formula: string; readonly result?: string | number | boolean | null };

export type RawMeta = {
  /** As written in the file (a form code, `03214`, `Quý II/2023`); the worker parses and checks them. */
  form?: string;
  commune?: string;
  period?: string;
};

export type RawTable = {
  readonly format: 'csv' | 'xlsx' | 'xls' | 'ods' | 'json';
  readonly meta: RawMeta;
  /** Header texts in column order; metadata columns (`form`, `commune`, `period`) already taken out. */
  readonly headers: readonly string[];
  /** Column labels the officer sees: `A`, `B`, … in XLSX, XLS and ODS; the header text elsewhere. */
  readonly columnLabels: readonly string[];
  /** How many data rows `rows()` gives. */
  readonly rowCount: number;
  /**
   * The data rows, in batches as they are read, read again from the file at each call, so that a
   * large file is never held as cells all at once. `row` numbers rows as the officer's program
   * does: the header is row 1 of a CSV, XLSX rows keep their sheet number.
   */
  readonly rows: () => AsyncIterable<readonly RawRow[]>;
  /** The table's total rows (`Tổng cộng`), not among `rows`: what they state is checked against the rows' sums. */
  readonly totals: readonly RawRow[];
};

/** One data row, its cells in the table's column order. */
export type RawRow = { readonly row: number; readonly cells: readonly RawCell[] };

/** Bounds on what a file may hold; anything over one is rejected with LIMIT_EXCEEDED, never a crash. */
export type ReadLimits = {
  readonly maxBytes: number;
  readonly maxRows: number;
  readonly maxColumns: number;
  readonly maxCellChars: number;
  readonly maxUncompressedBytes: number;
  readonly maxSheets: number;
  /** Issues kept per file; past it only a count per code (capped-issues.ts). */
  readonly maxIssues: number;
};
