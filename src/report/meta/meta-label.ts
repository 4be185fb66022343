import type { RawMeta } from '../../schema/raw-table.ts';
import { foldLabel } from '../../schema/text.ts';

/** The names a file may give each metadata field (SPEC §3), folded as `foldLabel` folds them. */
const metaLabels: ReadonlyMap<string, keyof RawMeta> = new Map([
  ['form', 'form'],
  ['bieumau', 'form'],
  ['commune', 'commune'],
  ['maxa', 'commune'],
  ['period', 'period'],
  ['kybaocao', 'period'],
]);

/** Which metadata field a column header, JSON key or XLSX label names (`Mã xã`, `ma_xa`, `commune`), or null. */
export function metaKeyOf(label: string): keyof RawMeta | null {
  return metaLabels.get(foldLabel(label)) ?? null;
}
