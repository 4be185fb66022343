import { issue, type Issue } from '../../schema/issue.ts';
import type { RawMeta } from '../../schema/raw-table.ts';
import { parsePeriod } from '../../schema/period.ts';
import { normalizeText } from '../../schema/text.ts';
import { metaNames } from './meta-names.ts';
import { normalizeCommuneCode } from './resolve-meta.ts';

/** One place a file states a metadata value: an XLSX label cell, a metadata column's cell, a JSON field. */
export type MetaSighting = {
  readonly key: keyof RawMeta;
  readonly value: string;
  readonly row: number | null;
  readonly column: string | null;
};

/** Two spellings of one value are no conflict: `Quý II/2023` is `2023-Q2`, `3166` is `03166`. */
const sameness: Readonly<Record<keyof RawMeta, (value: string) => string>> = {
  form: (v) => v.toUpperCase(),
  commune: (v) => normalizeCommuneCode(v) ?? v,
  period: (v) => parsePeriod(v)?.canonical ?? v,
};

/**
 * The file's metadata from every place it states it, taken in file order one sighting at a time
 * (a metadata column gives one per row): the first non-empty value of each field stands, and every
 * later sighting that says otherwise is a META_CONFLICT at its cell.
 */
export function metaSettler(): { add: (sighting: MetaSighting) => void; meta: RawMeta; issues: Issue[] } {
  const meta: RawMeta = {};
  const issues: Issue[] = [];
  const add = (sighting: MetaSighting): void => {
    const value = normalizeText(sighting.value);
    if (value === '') return;
    const first = meta[sighting.key];
    if (first === undefined) {
      meta[sighting.key] = value;
      // The same text as the first, as a metadata column repeats it on every row: no conflict, nothing to parse.
    } else if (value !== first && sameness[sighting.key](first) !== sameness[sighting.key](value)) {
      issues.push(
        issue(
          'META_CONFLICT',
          { row: sighting.row, column: sighting.column, value },
          { whatVi: metaNames[sighting.key].vi, whatEn: metaNames[sighting.key].en, file: value, given: first },
        ),
      );
    }
  };
  return { add, meta, issues };
}
