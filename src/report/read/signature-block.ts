import type { GridRow } from './sheet-table.ts';
import { foldLabel } from '../../schema/text.ts';
import { looksNumeric } from './cell-text.ts';

/**
 * How the lines of the block below a report's table begin, folded (`foldLabel`): who drew it up
 * and who signs (`Người lập biểu`, `Chủ tịch UBND xã`, `Thủ trưởng đơn vị`, `TM. UBND xã`), what
 * the signers write (`(Ký, ghi rõ họ tên)`), the distribution list (`Nơi nhận:`).
 */
const signatureStarts = [
  'nguoilapbieu',
  'nguoilap',
  'nguoibaocao',
  'nguoikiemtra',
  'chutich',
  'phochutich',
  'thutruong',
  'lanhdaodonvi',
  'ketoan',
  'tmubnd',
  'tmuybannhandan',
  'xacnhancua',
  'kyghiro',
  'kytenghiro',
  'kyvaghiro',
  'kytendongdau',
  'kydongdau',
  'noinhan',
];

/** The date line: `Nậm Pồ, ngày 05 tháng 7 năm 2023`, `……, ngày … tháng … năm …`. */
export const dateLine = /(?:^|,)\s*ngày[\s\d.…/_-]*tháng[\s\d.…/_-]*năm/u;

/** Longer than any line of a signature block; a longer text is data. */
const maxSignatureChars = 120;

/**
 * Whether a row, any of its cells in any column, is a line of the signature block that ends a
 * report's table. A row with a figure in it is data, whatever its text says.
 */
export function isSignatureRow(row: GridRow): boolean {
  if (row.cells.some(({ value }) => typeof value === 'number' || (typeof value === 'string' && looksNumeric(value))))
    return false;
  return row.cells.some(
    ({ value }) => typeof value === 'string' && value.length <= maxSignatureChars && isSignatureText(value),
  );
}

function isSignatureText(text: string): boolean {
  const folded = foldLabel(text);
  if (signatureStarts.some((start) => folded.startsWith(start))) return true;
  return dateLine.test(text.normalize('NFC').toLowerCase());
}
