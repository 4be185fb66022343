import { decimalSum, type DecimalText } from '../schema/decimal.ts';
import { communesReporting, measureFields } from '../schema/form-definition.ts';
import type { Form, FormRow, Measures } from '../schema/form.ts';

/**
 * The measures of one commune report, computed from its stored rows with the form version that
 * serves the period: so a measure added in a later version is computed for reports stored before
 * it. A measure over a field the stored rows do not have (they were checked with a version
 * without it) is null — missing, never 0 — and so is one over an optional field left empty in every
 * row it is read from. An empty optional cell among answered ones adds nothing.
 */
/** An optional field left empty in every row it is read from: the report does not give it (SPEC §6). */
const leftEmpty = (rows: readonly FormRow[], key: string) => rows.length > 0 && rows.every((row) => row[key] === null);

export function measureReport(form: Pick<Form, 'measures'>, rows: readonly FormRow[]): Measures {
  const out: Record<string, DecimalText | null> = { [communesReporting]: '1' };
  for (const [name, m] of Object.entries(form.measures)) {
    const { field, where } = measureFields(m);
    const read = [field, where].filter((f) => f !== null);
    if (rows.some((row) => read.some((f) => !(f in row)))) {
      out[name] = null;
      continue;
    }
    // A `where` over an optional yes/no left empty in every row: which rows it keeps is not known.
    if (where !== null && leftEmpty(rows, where)) {
      out[name] = null;
      continue;
    }
    const kept = where === null ? rows : rows.filter((row) => row[where] === true);
    if ('sum' in m) {
      out[name] = leftEmpty(kept, m.sum)
        ? null
        : decimalSum(
            kept
              .map((row) => row[m.sum])
              .filter((v): v is string | number => typeof v === 'string' || typeof v === 'number'),
          );
    } else if ('count_yes' in m)
      out[name] = leftEmpty(kept, m.count_yes) ? null : String(kept.filter((row) => row[m.count_yes] === true).length);
    else out[name] = String(kept.length);
  }
  return out;
}
