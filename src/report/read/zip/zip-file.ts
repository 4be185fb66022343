import { readSync } from 'node:fs';
import type { ZipSource } from './zip-directory.ts';

/** How much is read from the file at a time: a directory of a few hundred entries in one or two reads. */
const windowBytes = 64 * 1024;

/**
 * A ZIP in a file (an archive waiting in the upload spool), read where the directory points and
 * nowhere else: listing it reads its tail and its directory, an entry only its own bytes, so an
 * archive of 40 MB is opened without 40 MB in memory. Reads are synchronous so that one parser
 * (readZipDirectory, entryData) serves memory and disk alike; they are of a local file the process
 * itself just wrote, a window at a time. `bytesRead` counts what was read, for the tests.
 */
export function zipFile(fd: number, size: number): ZipSource & { readonly bytesRead: number } {
  let window: Buffer = Buffer.alloc(0);
  let windowAt = 0;
  let bytesRead = 0;
  const load = (at: number, length: number): Buffer => {
    const into = Buffer.allocUnsafe(Math.max(0, Math.min(length, size - at)));
    let got = 0;
    while (got < into.length) {
      const n = readSync(fd, into, got, into.length - got, at + got);
      if (n === 0) break;
      got += n;
    }
    bytesRead += got;
    return into.subarray(0, got);
  };
  return {
    size,
    get bytesRead() {
      return bytesRead;
    },
    read(at, length) {
      if (at >= windowAt && at + length <= windowAt + window.length)
        return window.subarray(at - windowAt, at - windowAt + length);
      // An entry's own data is read as it is, not kept: the window holds directory records.
      if (length > windowBytes) return load(at, length);
      window = load(at, windowBytes);
      windowAt = at;
      return window.subarray(0, length);
    },
  };
}
