import { setImmediate } from 'node:timers/promises';
import { issue, type Issue } from '../../../schema/issue.ts';
import { limitExceeded } from '../limit-exceeded.ts';
import { readZipDirectory, sourceOf, type ZipSource } from './zip-directory.ts';
import { checkedEntry } from './zip-entry.ts';

/** What one archive may hold; a request's archives share one budget (see admitFiles). */
export type ArchiveLimits = {
  /** Most report files taken out of it. */
  readonly maxEntries: number;
  /** Most bytes they inflate to, together. */
  readonly maxBytes: number;
  /** Largest ratio of those bytes to the archive's own size. */
  readonly maxRatio: number;
  /** Largest single file, as for an upload. */
  readonly maxFileBytes: number;
};

/**
 * Why an archive, or one file in it, is not taken: `corrupt` (damaged, encrypted, lying about its
 * sizes), `limit` (over a limit of the archive), `tooLarge` (one file over the file size limit).
 */
export type ArchiveProblem = { readonly kind: 'corrupt' | 'limit' | 'tooLarge'; readonly issue: Issue };

/** A file of an archive, taken (its bytes) or refused by name (its problem). */
export type ArchiveFile =
  | { readonly name: string; readonly bytes: Buffer }
  | { readonly name: string; readonly problem: ArchiveProblem };

/** Folders and files an archiver or an operating system adds, which nobody sent as a report. */
function isClutter(name: string): boolean {
  if (name.endsWith('/')) return true;
  return name
    .split('/')
    .some(
      (segment) => segment === '__MACOSX' || segment.startsWith('.') || /^(thumbs\.db|desktop\.ini)$/iu.test(segment),
    );
}

const corrupt = (detail: string): ArchiveProblem => ({ kind: 'corrupt', issue: issue('FILE_CORRUPT', {}, { detail }) });

/**
 * The files of a ZIP archive (a district's reports collected in one), each inflated whole, one at a
 * time as they are asked for: an archive on disk (zip-file.ts) is read a file at a time and never
 * lies in memory whole. The directory is checked first, so that a bomb is refused for what it
 * declares before anything is inflated: the number of files, the bytes they declare together and
 * their ratio to the archive. Each file must then inflate to its declared size and checksum
 * (checkedEntry): one that does not is refused by name, the others are taken. Folders are walked;
 * `__MACOSX`, dot-files and the like are skipped. Never throws (but for the disk under a ZipSource).
 */
export function unpackArchive(
  zip: Buffer | ZipSource,
  limits: ArchiveLimits,
): { files: AsyncGenerator<ArchiveFile> } | { problem: ArchiveProblem } {
  const source = sourceOf(zip);
  const directory = readZipDirectory(source, Math.max(limits.maxEntries * 4, 1000));
  if ('corrupt' in directory) return { problem: corrupt(directory.corrupt) };
  if ('tooManyEntries' in directory)
    return {
      problem: { kind: 'limit', issue: limitExceeded('archiveEntries', directory.tooManyEntries, limits.maxEntries) },
    };
  const entries = directory.entries.filter((entry) => !isClutter(entry.name.replace(/\\/gu, '/')));
  if (entries.length > limits.maxEntries)
    return { problem: { kind: 'limit', issue: limitExceeded('archiveEntries', entries.length, limits.maxEntries) } };
  const declared = entries.reduce((sum, entry) => sum + entry.uncompressedSize, 0);
  if (declared > limits.maxBytes)
    return { problem: { kind: 'limit', issue: limitExceeded('archiveBytes', declared, limits.maxBytes) } };
  const ratio = Math.ceil(declared / Math.max(source.size, 1));
  if (ratio > limits.maxRatio)
    return { problem: { kind: 'limit', issue: limitExceeded('archiveRatio', ratio, limits.maxRatio) } };

  async function* files(): AsyncGenerator<ArchiveFile> {
    for (const entry of entries) {
      const name = entry.name.replace(/\\/gu, '/').normalize('NFC');
      if (entry.uncompressedSize > limits.maxFileBytes) {
        yield {
          name,
          problem: { kind: 'tooLarge', issue: issue('FILE_TOO_LARGE', {}, { limit: limits.maxFileBytes }) },
        };
        continue;
      }
      // One file at a time, letting the other requests of the process in between.
      await setImmediate();
      const checked = await checkedEntry(source, entry, true);
      yield 'problem' in checked ? { name, problem: corrupt(checked.problem) } : { name, bytes: checked.content! };
    }
  }
  return { files: files() };
}
