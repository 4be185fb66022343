import { createInflateRaw } from 'node:zlib';
import type { ZipEntry } from './zip-directory.ts';

const LOCAL_HEADER = 0x04034b50;

/** An entry's stored (maybe compressed) data within the archive, or in a few words why it is not where the directory says. */
export function entryData(bytes: Buffer, entry: ZipEntry): Buffer | string {
  const at = entry.localHeaderOffset;
  if (at + 30 > bytes.length || bytes.readUInt32LE(at) !== LOCAL_HEADER) return 'mục lục trỏ sai chỗ / bad local header';
  const start = at + 30 + bytes.readUInt16LE(at + 26) + bytes.readUInt16LE(at + 28);
  const end = start + entry.compressedSize;
  if (end > bytes.length) return 'tệp bị cắt cụt / truncated';
  return bytes.subarray(start, end);
}

/** How much is inflated at a time: about 50 rows of a sheet, handed on together (see in-batches.ts for why few). */
const pieceBytes = 16 * 1024;

/**
 * An entry's content, in pieces of at most 16 KiB, inflated as it is read: an entry of 100 MB
 * never lies in memory whole. Throws as zlib does on damaged data.
 */
export async function* inflatedPieces(bytes: Buffer, entry: ZipEntry): AsyncGenerator<Buffer> {
  const data = entryData(bytes, entry);
  if (typeof data === 'string') throw new Error(data);
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
    throw new Error(`${entry.name}: dữ liệu nén bị hỏng / damaged data (${error instanceof Error ? error.message : String(error)})`);
  }
  const rest = decoder.decode();
  if (rest !== '') yield rest;
}
