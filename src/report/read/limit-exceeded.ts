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
  sharedChars: { vi: 'tổng số ký tự của các chuỗi dùng chung', en: 'characters of all shared strings' },
  archiveEntries: { vi: 'số tệp trong tệp nén (.zip) của một lần gửi', en: 'files in the ZIP archives of one upload' },
  archiveBytes: {
    vi: 'dung lượng giải nén của tệp nén (.zip) trong một lần gửi (byte)',
    en: 'uncompressed size of the ZIP archives of one upload (bytes)',
  },
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

/**
 * A limit passed deep inside a reader that streams (an XLSX cell still inflating), thrown so that
 * reading stops at once; the reader turns it back into its issue.
 */
export class LimitExceededError extends Error {
  readonly issue: Issue;
  constructor(found: Issue) {
    super(found.message.en);
    this.issue = found;
  }
}

/**
 * The most characters a reader collects for one cell before it stops reading: the configured limit
 * or Excel's own 32,767, whichever is more. Label cells above a table are not held to the table's
 * limit, but no cell Excel can write is longer, and a crafted one of megabytes stops here.
 */
export function cellReadCap(maxCellChars: number): number {
  return Math.max(maxCellChars, 32_767);
}
