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
  archiveEntries: { vi: 'số tệp trong tệp nén (.zip) của một lần gửi', en: 'files in the ZIP archives of one upload' },
  archiveBytes: { vi: 'dung lượng giải nén của tệp nén (.zip) trong một lần gửi (byte)', en: 'uncompressed size of the ZIP archives of one upload (bytes)' },
  archiveRatio: { vi: 'tỉ lệ nén của tệp nén (.zip)', en: 'compression ratio of the ZIP archive' },
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
