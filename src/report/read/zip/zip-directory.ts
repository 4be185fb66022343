/** One file inside a ZIP archive, as its central directory declares it. */
export type ZipEntry = {
  readonly name: string;
  readonly flags: number;
  /** 0 stored, 8 deflate; XLSX writers use nothing else. */
  readonly method: number;
  readonly crc32: number;
  readonly compressedSize: number;
  readonly uncompressedSize: number;
  readonly localHeaderOffset: number;
};

/**
 * A ZIP's bytes, where they lie: in memory (a Buffer) or in a file read a piece at a time
 * (zip-file.ts), so that an archive on disk is listed without reading its files. `read` gives the
 * bytes at `at`, fewer at the end of the file.
 */
export type ZipSource = { readonly size: number; read(at: number, length: number): Buffer };

/** A ZIP in memory, read without copying. */
export const sourceOf = (bytes: Buffer | ZipSource): ZipSource =>
  Buffer.isBuffer(bytes) ? { size: bytes.length, read: (at, length) => bytes.subarray(at, at + length) } : bytes;

const END = 0x06054b50;
const END64 = 0x06064b50;
const END64_LOCATOR = 0x07064b50;
const ENTRY = 0x02014b50;
/** A field holding all ones means "see the ZIP64 record". */
const MAX16 = 0xffff;
const MAX32 = 0xffffffff;

/**
 * Reads a ZIP's central directory (APPNOTE.TXT §4.3.12–16), with its ZIP64 extensions, without
 * inflating anything: the declared sizes and the entry count are what a zip bomb lies big about.
 * `corrupt` says in a few words why the directory cannot be read; `entryCount` alone is returned
 * when there are more than `maxEntries`, before any entry is read.
 */
export function readZipDirectory(
  zip: Buffer | ZipSource,
  maxEntries: number,
): { entries: ZipEntry[] } | { corrupt: string } | { tooManyEntries: number } {
  const source = sourceOf(zip);
  const end = findEnd(source);
  if (end === null) return { corrupt: 'không thấy mục lục tệp nén / no zip directory, the file may be truncated' };
  if ('corrupt' in end) return end;
  if (end.count > maxEntries) return { tooManyEntries: end.count };
  if (end.offset + end.size > end.at) return { corrupt: 'mục lục tệp nén sai / zip directory out of bounds' };

  const entries: ZipEntry[] = [];
  let at = end.offset;
  for (let n = 0; n < end.count; n++) {
    if (at + 46 > end.offset + end.size) return { corrupt: 'mục lục tệp nén sai / bad zip directory entry' };
    const header = source.read(at, 46);
    if (header.readUInt32LE(0) !== ENTRY) return { corrupt: 'mục lục tệp nén sai / bad zip directory entry' };
    const nameLength = header.readUInt16LE(28);
    const extraLength = header.readUInt16LE(30);
    const commentLength = header.readUInt16LE(32);
    const next = at + 46 + nameLength + extraLength + commentLength;
    if (next > end.offset + end.size) return { corrupt: 'mục lục tệp nén sai / bad zip directory entry' };
    const flags = header.readUInt16LE(8);
    let compressedSize = header.readUInt32LE(20);
    let uncompressedSize = header.readUInt32LE(24);
    let localHeaderOffset = header.readUInt32LE(42);
    const nameAndExtra = source.read(at + 46, nameLength + extraLength);
    // ZIP64 extended information (APPNOTE §4.5.3): only the fields whose 32-bit value is all ones, in this order.
    const extra = zip64Extra(nameAndExtra.subarray(nameLength));
    if (extra !== null) {
      let k = 0;
      const take = (): number | null => (k + 8 <= extra.length ? safe(extra.readBigUInt64LE((k += 8) - 8)) : null);
      if (uncompressedSize === MAX32) uncompressedSize = take() ?? Infinity;
      if (compressedSize === MAX32) compressedSize = take() ?? Infinity;
      if (localHeaderOffset === MAX32) localHeaderOffset = take() ?? Infinity;
    }
    const name = entryName(nameAndExtra.subarray(0, nameLength), flags);
    entries.push({
      name,
      flags,
      method: header.readUInt16LE(10),
      crc32: header.readUInt32LE(16),
      compressedSize,
      uncompressedSize,
      localHeaderOffset,
    });
    at = next;
  }
  return { entries };
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * An entry's name: UTF-8 when the entry says so (flag bit 11), and also when it does not but its
 * bytes are UTF-8 beyond ASCII, as Info-ZIP's `zip`, macOS and most tools of today write Vietnamese
 * names without the flag (`Báo cáo xã/Nậm Tin.xlsx`, not `BÃ¡o cÃ¡o…`); else, byte for byte.
 */
function entryName(bytes: Buffer, flags: number): string {
  if ((flags & 0x0800) !== 0) return bytes.toString('utf8');
  if (bytes.some((b) => b >= 0x80)) {
    try {
      return strictUtf8.decode(bytes);
    } catch {
      // An old tool's code page: each byte a character.
    }
  }
  return bytes.toString('latin1');
}

type End = { at: number; count: number; size: number; offset: number };

/** The end-of-central-directory record, searched backwards over the longest comment it may carry. */
function findEnd(source: ZipSource): End | { corrupt: string } | null {
  const from = Math.max(0, source.size - 22 - MAX16);
  const tail = source.read(from, source.size - from);
  for (let k = tail.length - 22; k >= 0; k--) {
    if (tail.readUInt32LE(k) !== END) continue;
    if (tail.readUInt16LE(k + 4) !== 0 || tail.readUInt16LE(k + 6) !== 0)
      return { corrupt: 'tệp nén chia nhiều phần / split zip archive' };
    const count = tail.readUInt16LE(k + 10);
    const size = tail.readUInt32LE(k + 12);
    const offset = tail.readUInt32LE(k + 16);
    if (count !== MAX16 && size !== MAX32 && offset !== MAX32) return { at: from + k, count, size, offset };
    return findEnd64(source, from + k);
  }
  return null;
}

function findEnd64(source: ZipSource, endAt: number): End | { corrupt: string } {
  const corrupt = { corrupt: 'mục lục ZIP64 sai / bad ZIP64 directory' };
  const locator = endAt - 20;
  if (locator < 0) return corrupt;
  const located = source.read(locator, 20);
  if (located.readUInt32LE(0) !== END64_LOCATOR) return corrupt;
  const at = safe(located.readBigUInt64LE(8));
  if (at === null || at + 56 > locator) return corrupt;
  const record = source.read(at, 56);
  if (record.readUInt32LE(0) !== END64) return corrupt;
  const count = safe(record.readBigUInt64LE(32));
  const size = safe(record.readBigUInt64LE(40));
  const offset = safe(record.readBigUInt64LE(48));
  if (count === null || size === null || offset === null) return corrupt;
  return { at, count, size, offset };
}

/** The ZIP64 extended-information extra field (header id 1), if present. */
function zip64Extra(extra: Buffer): Buffer | null {
  for (let k = 0; k + 4 <= extra.length; ) {
    const id = extra.readUInt16LE(k);
    const length = extra.readUInt16LE(k + 2);
    if (id === 0x0001) return extra.subarray(k + 4, Math.min(extra.length, k + 4 + length));
    k += 4 + length;
  }
  return null;
}

function safe(value: bigint): number | null {
  return value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : null;
}
