import { createHash } from 'node:crypto';

export type VersionHead = { readonly version: number; readonly contentHash: string };
export type Appended = { readonly version: number; readonly changed: boolean; readonly contentHash: string };

/**
 * The version a series that is appended to only when what it holds changed (a province-period's
 * snapshots, its recasts) is at after `content`: the head's own when the content is the same, so
 * that a job run again appends nothing, else the next one. The first version is 1.
 */
export function appendVersion(head: VersionHead | undefined, content: unknown): Appended {
  return appendVersionOfJson(head, [JSON.stringify(content)]);
}

/**
 * `appendVersion` of content the caller has written as JSON already: the text `JSON.stringify` gives
 * of it, in parts hashed one after another (joining half a megabyte first would cost more than the hash).
 */
export function appendVersionOfJson(head: VersionHead | undefined, json: readonly string[]): Appended {
  const hash = createHash('sha256');
  for (const part of json) hash.update(part);
  const contentHash = hash.digest('hex');
  if (head?.contentHash === contentHash) return { version: head.version, changed: false, contentHash };
  return { version: (head?.version ?? 0) + 1, changed: true, contentHash };
}

/**
 * `appendVersion` of a version's rows and sources (`[rows, sources]`), with the JSON of its rows,
 * which is what the rows are written from: the rows are serialized once, and hashed in parts.
 */
export function appendRowsVersion(
  head: VersionHead | undefined,
  rows: readonly object[],
  sources: readonly object[],
): Appended & { readonly rowsJson: string } {
  const rowsJson = JSON.stringify(rows);
  return { ...appendVersionOfJson(head, ['[', rowsJson, ',', JSON.stringify(sources), ']']), rowsJson };
}
