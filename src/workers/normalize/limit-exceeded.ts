import { issue, type Issue } from '../../schema/issue.ts';

/**
 * What each limit is called in a LIMIT_EXCEEDED message. The message template prints one `what`
 * in both languages, so the name carries both: Vietnamese first, English in brackets.
 */
const limitNames = {
  bytes: 'kích thước tệp (file size, bytes)',
  rows: 'số dòng dữ liệu (data rows)',
  columns: 'số cột (columns)',
  cellChars: 'số ký tự trong một ô (characters in a cell)',
  uncompressedBytes: 'dung lượng giải nén (uncompressed size, bytes)',
  sheets: 'số trang tính (sheets)',
  zipEntries: 'số phần trong tệp nén (entries in the zip package)',
} as const;

export type LimitKind = keyof typeof limitNames;

/** A LIMIT_EXCEEDED issue: `actual` is what the file has (or at least has, when reading stopped early). */
export function limitExceeded(
  kind: LimitKind,
  actual: number,
  limit: number,
  at: { row?: number | null; column?: string | null; value?: string | null } = {},
): Issue {
  return issue('LIMIT_EXCEEDED', at, { what: limitNames[kind], actual, limit });
}
