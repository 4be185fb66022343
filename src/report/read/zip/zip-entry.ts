import { crc32, createInflateRaw, inflateRawSync } from 'node:zlib';
import { sourceOf, type ZipEntry, type ZipSource } from './zip-directory.ts';

const LOCAL_HEADER = 0x04034b50;

/**
 * The most stored bytes an entry of `size` bytes may take: as many when stored; deflated, twice as
 * many and a KiB (no encoder writes more than a few bytes a block over the data). The limits count
 * declared sizes, so a record declaring 1 byte over 10 MB of data (a thousand such records over the
 * same 10 MB) would have each record read whole from the spool: 10 GB read for a 10 MB upload.
 */
const storedAtMost = (entry: ZipEntry) =>
  entry.method === 0 ? entry.uncompressedSize : 2 * entry.uncompressedSize + 1024;

/** An entry's stored (maybe compressed) data within the archive, or in a few words why it is not where the directory says. */
export function entryData(zip: Buffer | ZipSource, entry: ZipEntry): Buffer | string {
  const source = sourceOf(zip);
  if (entry.compressedSize > storedAtMost(entry))
    return 'kích thước nén không khớp kích thước khai báo / compressed size out of proportion to its declared size';
  const at = entry.localHeaderOffset;
  if (at + 30 > source.size) return 'mục lục trỏ sai chỗ / bad local header';
  const header = source.read(at, 30);
  if (header.readUInt32LE(0) !== LOCAL_HEADER) return 'mục lục trỏ sai chỗ / bad local header';
  const start = at + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
  const end = start + entry.compressedSize;
  if (end > source.size) return 'tệp bị cắt cụt / truncated';
  return source.read(start, entry.compressedSize);
}

/** How much is inflated at a time: about 50 rows of a sheet, handed on together (see in-batches.ts for why few). */
const pieceBytes = 16 * 1024;

/**
 * An entry's content, in pieces of at most 16 KiB, inflated as it is read: an entry of 100 MB
 * never lies in memory whole. Throws as zlib does on damaged data.
 */
export async function* inflatedPieces(bytes: Buffer | ZipSource, entry: ZipEntry): AsyncGenerator<Buffer> {
  const data = entryData(bytes, entry);
  if (typeof data === 'string') throw new Error(data);
  yield* piecesOf(data, entry);
}

/** inflatedPieces of data already read. */
async function* piecesOf(data: Buffer, entry: ZipEntry): AsyncGenerator<Buffer> {
  if (entry.method === 0) {
    for (let at = 0; at < data.length; at += pieceBytes) yield data.subarray(at, at + pieceBytes);
    return;
  }
  const inflater = createInflateRaw({ chunkSize: pieceBytes });
  inflater.end(data);
  try {
    yield* inflater as AsyncIterable<Buffer>;
  } finally {
    inflater.destroy();
  }
}

/**
 * An entry's content as UTF-8 text, in pieces, for an archive `guardXlsx` has passed; a damaged
 * entry throws, naming it.
 */
export async function* entryText(bytes: Buffer, entry: ZipEntry): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  try {
    for await (const piece of inflatedPieces(bytes, entry)) yield decoder.decode(piece, { stream: true });
  } catch (error) {
    throw new Error(
      `${entry.name}: dữ liệu nén bị hỏng / damaged data (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  const rest = decoder.decode();
  if (rest !== '') yield rest;
}

/**
 * Inflates an entry a piece at a time and checks it against its directory record: not encrypted, a
 * known compression, no larger than declared (a bomb may understate its size: it is stopped one
 * piece past it, not inflated to the end), exactly that size, and its checksum (a damaged or
 * truncated file). Returns in a few words why it fails, or else its content when `keep` asks for it
 * (null otherwise: a large sheet is checked a piece at a time, without being held whole).
 */
export async function checkedEntry(
  bytes: Buffer | ZipSource,
  entry: ZipEntry,
  keep: boolean,
): Promise<{ content: Buffer | null } | { problem: string }> {
  if ((entry.flags & 0x0001) !== 0) return { problem: 'được mã hoá / encrypted' };
  if (entry.method !== 0 && entry.method !== 8)
    return { problem: `kiểu nén ${entry.method} không hỗ trợ / unsupported compression ${entry.method}` };
  const data = entryData(bytes, entry);
  if (typeof data === 'string') return { problem: data };
  if (keep) return checkedContent(data, entry);
  let size = 0;
  let checksum = 0;
  try {
    // The data read above, not read again: from the spool, that is a second read of the entry from disk.
    for await (const piece of piecesOf(data, entry)) {
      size += piece.length;
      if (size > entry.uncompressedSize) return { problem: 'lớn hơn kích thước khai báo / larger than declared' };
      checksum = crc32(piece, checksum);
    }
  } catch {
    return { problem: 'dữ liệu nén bị hỏng / damaged data' };
  }
  if (size !== entry.uncompressedSize) return { problem: 'sai kích thước / size mismatch' };
  if (checksum !== entry.crc32) return { problem: 'sai mã kiểm tra CRC / CRC mismatch' };
  return { content: null };
}

/**
 * An entry kept whole is inflated at once, which is several times faster than in pieces, and as
 * bounded: zlib stops at one byte past the declared size, which the caller has checked.
 */
function checkedContent(data: Buffer, entry: ZipEntry): { content: Buffer } | { problem: string } {
  let content: Buffer;
  try {
    content = entry.method === 0 ? data : inflateRawSync(data, { maxOutputLength: entry.uncompressedSize + 1 });
  } catch (error) {
    return {
      problem:
        (error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE'
          ? 'lớn hơn kích thước khai báo / larger than declared'
          : 'dữ liệu nén bị hỏng / damaged data',
    };
  }
  if (content.length > entry.uncompressedSize) return { problem: 'lớn hơn kích thước khai báo / larger than declared' };
  if (content.length !== entry.uncompressedSize) return { problem: 'sai kích thước / size mismatch' };
  return crc32(content) === entry.crc32 ? { content } : { problem: 'sai mã kiểm tra CRC / CRC mismatch' };
}
