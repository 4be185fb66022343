import { createHash } from 'node:crypto';
import type { ValidRow } from './validate.ts';

/**
 * The identity of a report's content: the same villages with the same figures give the same
 * fingerprint whatever the file format, encoding, spelling or row order (SPEC §4.3). It is the
 * sha256 of `JSON.stringify([form, canonical])`, `canonical` being the rows as sorted JSON texts;
 * that text is hashed piece by piece rather than built whole.
 */
export function fingerprint(form: string, rows: readonly ValidRow[]): string {
  const canonical = rows
    .map((r) => JSON.stringify([r.key, Object.entries(r.data).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))]))
    .sort();
  const hash = createHash('sha256').update(`[${JSON.stringify(form)},[`);
  canonical.forEach((text, i) => hash.update(i === 0 ? JSON.stringify(text) : `,${JSON.stringify(text)}`));
  return hash.update(']]').digest('hex');
}
