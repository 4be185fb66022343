import { createHash } from 'node:crypto';
import type { ValidRow } from './validate.ts';

/**
 * The identity of a report's content: the same villages with the same figures give the same
 * fingerprint whatever the file format, encoding, spelling or row order (SPEC §4.3). It is the
 * sha256 of `JSON.stringify([form, canonical])`, `canonical` being the rows' canonical texts
 * sorted; that text is hashed piece by piece rather than built whole.
 */
export function fingerprint(form: string, rows: readonly ValidRow[]): string {
  const hash = createHash('sha256').update(`[${JSON.stringify(form)},[`);
  let first = true;
  for (const text of canonicalInOrder(rows)) {
    hash.update(first ? JSON.stringify(text) : `,${JSON.stringify(text)}`);
    first = false;
  }
  return hash.update(']]').digest('hex');
}

/**
 * Rows as text: each its key and its fields sorted by name. A report's rows have the same fields in
 * the same order, so the order is sorted once and reused for as long as the next row's fields match.
 */
function canonicalTexts(): (row: ValidRow) => string {
  let names: string[] = [];
  let sorted: string[] = [];
  return (row) => {
    const own = Object.keys(row.data);
    if (own.length !== names.length || own.some((name, i) => name !== names[i])) {
      names = own;
      sorted = [...own].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    }
    return JSON.stringify([row.key, sorted.map((name) => [name, row.data[name]])]);
  };
}

/**
 * The rows' canonical texts in sorted order. Each text starts with its row's key as JSON
 * (`["nậm pồ",`); when the keys are all there and all different, two texts differ within that
 * start, so sorting the starts sorts the texts, which are then made one at a time and never held
 * all together. Otherwise, all are made and sorted.
 */
function* canonicalInOrder(rows: readonly ValidRow[]): Generator<string> {
  const canonical = canonicalTexts();
  const starts = rows.map((row) => (row.key === null ? null : `[${JSON.stringify(row.key)},`));
  if (starts.every((start) => start !== null) && new Set(starts).size === rows.length) {
    const order = rows
      .map((_, i) => i)
      .sort((a, b) => (starts[a]! < starts[b]! ? -1 : starts[a]! > starts[b]! ? 1 : 0));
    for (const i of order) yield canonical(rows[i]!);
    return;
  }
  yield* rows.map(canonical).sort();
}
