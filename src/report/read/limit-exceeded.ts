import { issue, type Issue } from '../../schema/issue.ts';

/** What each limit is called in a LIMIT_EXCEEDED message, in each language. */
const limitNames = {
  bytes: { vi: 'kích thước tệp (byte)', en: 'file size (bytes)' },
  rows: { vi: 'số dòng dữ liệu', en: 'data rows' },
  columns: { vi: 'số cột', en: 'columns' },
  cellChars: { vi: 'số ký tự trong một ô', en: 'characters in a cell' },
  uncompressedBytes: { vi: 'dung lượng giải nén (byte)', en: 'uncompressed size (bytes)' },
  sheets: { vi: 'số trang tính', en: 'sheets' },
  zipEntries: { vi: 'số phần trong tệp nén', en: 'entries in the zip package' },
  cells: { vi: 'số ô có dữ liệu (kể cả ô lặp lại)', en: 'non-empty cells (repeats included)' },
  streamBytes: { vi: 'dung lượng dữ liệu bảng tính (byte)', en: 'workbook stream size (bytes)' },
} as const;

export type LimitKind = keyof typeof limitNames;

/** A LIMIT_EXCEEDED issue: `actual` is what the file has (or at least has, when reading stopped early). */
export function limitExceeded(
  kind: LimitKind,
  actual: number,
  limit: number,
  at: { row?: number | null; column?: string | null; value?: string | null } = {},
): Issue {
  return issue('LIMIT_EXCEEDED', at, { whatVi: limitNames[kind].vi, whatEn: limitNames[kind].en, actual, limit });
}
