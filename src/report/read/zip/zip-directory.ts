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
  bytes: Buffer,
  maxEntries: number,
): { entries: ZipEntry[] } | { corrupt: string } | { tooManyEntries: number } {
  const end = findEnd(bytes);
  if (end === null) return { corrupt: 'không thấy mục lục tệp nén / no zip directory, the file may be truncated' };
  if ('corrupt' in end) return end;
  if (end.count > maxEntries) return { tooManyEntries: end.count };
  if (end.offset + end.size > end.at) return { corrupt: 'mục lục tệp nén sai / zip directory out of bounds' };

  const entries: ZipEntry[] = [];
  let at = end.offset;
  for (let n = 0; n < end.count; n++) {
    if (at + 46 > end.offset + end.size || bytes.readUInt32LE(at) !== ENTRY)
      return { corrupt: 'mục lục tệp nén sai / bad zip directory entry' };
    const nameLength = bytes.readUInt16LE(at + 28);
    const extraLength = bytes.readUInt16LE(at + 30);
    const commentLength = bytes.readUInt16LE(at + 32);
    const next = at + 46 + nameLength + extraLength + commentLength;
    if (next > end.offset + end.size) return { corrupt: 'mục lục tệp nén sai / bad zip directory entry' };
    const flags = bytes.readUInt16LE(at + 8);
    let compressedSize = bytes.readUInt32LE(at + 20);
    let uncompressedSize = bytes.readUInt32LE(at + 24);
    let localHeaderOffset = bytes.readUInt32LE(at + 42);
    // ZIP64 extended information (APPNOTE §4.5.3): only the fields whose 32-bit value is all ones, in this order.
    const extra = zip64Extra(bytes.subarray(at + 46 + nameLength, at + 46 + nameLength + extraLength));
    if (extra !== null) {
      let k = 0;
      const take = (): number | null => (k + 8 <= extra.length ? safe(extra.readBigUInt64LE((k += 8) - 8)) : null);
      if (uncompressedSize === MAX32) uncompressedSize = take() ?? Infinity;
      if (compressedSize === MAX32) compressedSize = take() ?? Infinity;
      if (localHeaderOffset === MAX32) localHeaderOffset = take() ?? Infinity;
    }
    const utf8 = (flags & 0x0800) !== 0;
    const name = bytes.toString(utf8 ? 'utf8' : 'latin1', at + 46, at + 46 + nameLength);
    entries.push({
      name,
      flags,
      method: bytes.readUInt16LE(at + 10),
      crc32: bytes.readUInt32LE(at + 16),
      compressedSize,
      uncompressedSize,
      localHeaderOffset,
    });
    at = next;
  }
  return { entries };
}

type End = { at: number; count: number; size: number; offset: number };

/** The end-of-central-directory record, searched backwards over the longest comment it may carry. */
function findEnd(bytes: Buffer): End | { corrupt: string } | null {
  for (let at = bytes.length - 22; at >= Math.max(0, bytes.length - 22 - MAX16); at--) {
    if (bytes.readUInt32LE(at) !== END) continue;
    if (bytes.readUInt16LE(at + 4) !== 0 || bytes.readUInt16LE(at + 6) !== 0)
      return { corrupt: 'tệp nén chia nhiều phần / split zip archive' };
    const count = bytes.readUInt16LE(at + 10);
    const size = bytes.readUInt32LE(at + 12);
    const offset = bytes.readUInt32LE(at + 16);
    if (count !== MAX16 && size !== MAX32 && offset !== MAX32) return { at, count, size, offset };
    return findEnd64(bytes, at);
  }
  return null;
}

function findEnd64(bytes: Buffer, endAt: number): End | { corrupt: string } {
  const corrupt = { corrupt: 'mục lục ZIP64 sai / bad ZIP64 directory' };
  const locator = endAt - 20;
  if (locator < 0 || bytes.readUInt32LE(locator) !== END64_LOCATOR) return corrupt;
  const at = safe(bytes.readBigUInt64LE(locator + 8));
  if (at === null || at + 56 > locator || bytes.readUInt32LE(at) !== END64) return corrupt;
  const count = safe(bytes.readBigUInt64LE(at + 32));
  const size = safe(bytes.readBigUInt64LE(at + 40));
  const offset = safe(bytes.readBigUInt64LE(at + 48));
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
