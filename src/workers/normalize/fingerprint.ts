import { createHash } from 'node:crypto';
import type { ValidRow } from './validate.ts';

/**
 * The identity of a report's content: the same villages with the same figures give the same
 * fingerprint whatever the file format, encoding, spelling or row order (SPEC §4.3).
 */
export function fingerprint(form: string, rows: readonly ValidRow[]): string {
  const canonical = rows
    .map((r) => JSON.stringify([r.key, Object.entries(r.data).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))]))
    .sort();
  return createHash('sha256').update(JSON.stringify([form, canonical])).digest('hex');
}
