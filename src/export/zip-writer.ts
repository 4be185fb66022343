import { once } from 'node:events';
import type { TransformOptions, Writable } from 'node:stream';
import { constants, crc32, createDeflateRaw, deflateRawSync, type ZlibOptions } from 'node:zlib';

/**
 * The most a ZIP without ZIP64 records (4 GiB less a byte). Excel is known to refuse some ZIP64
 * files written as a stream, so a workbook that large is refused (the stream fails) rather than
 * written as a file no office opens: a sheet holds at most 1,048,575 rows, ~0.4 GB of XML.
 */
const zip32Max = 0xffff_ffff;

/** Flags of every entry: sizes and CRC in a descriptor after the data (bit 3), the name in UTF-8 (bit 11). */
const streamedUtf8 = 0x0808;
/** How hard the sheets are deflated: level 1 costs a third of level 6's CPU and writes a file ~20% larger (XML still shrinks ~12×). */
const level = 1;

type Written = { name: Buffer; crc: number; compressed: number; size: number; offset: number };

/** An MS-DOS date and time, as a ZIP entry records when it was written (2-second steps, local time). */
function dosTime(at: Date): { time: number; date: number } {
  return {
    time: (at.getHours() << 11) | (at.getMinutes() << 5) | Math.floor(at.getSeconds() / 2),
    date: ((at.getFullYear() - 1980) << 9) | ((at.getMonth() + 1) << 5) | at.getDate(),
  };
}

/**
 * Until the stream has room again. A reader that goes away (a client that closed the download)
 * never drains it: that ends the writing, and with it the reading of the rows (their cursor closes).
 */
async function drained(out: Writable): Promise<void> {
  const stop = new AbortController();
  try {
    await Promise.race([
      once(out, 'drain', { signal: stop.signal }),
      once(out, 'close', { signal: stop.signal }).then(() => {
        throw new Error('the workbook’s reader went away');
      }),
    ]);
  } finally {
    stop.abort();
  }
}

/**
 * A ZIP written front to back into a stream, its entries deflated as they are written: no entry
 * is held whole, and the writing waits (await) whenever the stream's reader has not taken what was
 * written. Node's zlib computes the CRC-32 natively; the ZIP libraries that stream (yazl,
 * zip-stream) compute it in JavaScript, ~17× slower (docs/library-choices.md).
 */
export class ZipWriter {
  readonly #out: Writable;
  readonly #written: Written[] = [];
  readonly #stamp: { time: number; date: number };
  #offset = 0;

  constructor(out: Writable, modified = new Date()) {
    this.#out = out;
    this.#stamp = dosTime(modified);
  }

  async #put(bytes: Buffer): Promise<void> {
    this.#offset += bytes.length;
    if (this.#offset > zip32Max) throw new Error('the workbook is larger than a ZIP without ZIP64 holds (4 GiB)');
    if (this.#out.destroyed) throw new Error('the workbook’s reader went away');
    if (!this.#out.write(bytes)) await drained(this.#out);
  }

  /**
   * The fields a local header and a central directory entry share, from `at`: version needed (2.0),
   * flags, method (deflate), time, date, CRC-32, sizes, the name's length. A local header has no
   * CRC or sizes yet (zeros): they follow the data in its descriptor.
   */
  #entryFields(b: Buffer, at: number, r: Written): void {
    b.writeUInt16LE(20, at);
    b.writeUInt16LE(streamedUtf8, at + 2);
    b.writeUInt16LE(8, at + 4);
    b.writeUInt16LE(this.#stamp.time, at + 6);
    b.writeUInt16LE(this.#stamp.date, at + 8);
    b.writeUInt32LE(r.crc, at + 10);
    b.writeUInt32LE(r.compressed, at + 14);
    b.writeUInt32LE(r.size, at + 18);
    b.writeUInt16LE(r.name.length, at + 22);
  }

  #localHeader(r: Written): Buffer {
    const h = Buffer.alloc(30);
    h.writeUInt32LE(0x04034b50, 0);
    this.#entryFields(h, 4, { ...r, crc: 0, compressed: 0, size: 0 });
    return Buffer.concat([h, r.name]);
  }

  /** An entry written a chunk at a time: `write` each chunk (awaiting it), then `end`. */
  async entry(path: string): Promise<{ write(chunk: string | Buffer): Promise<void>; end(): Promise<void> }> {
    const record: Written = { name: Buffer.from(path), crc: 0, compressed: 0, size: 0, offset: this.#offset };
    await this.#put(this.#localHeader(record));
    // Room for a megabyte of text before the writing waits: with zlib's 16 KiB the writer stopped at
    // every chunk for the thread pool to catch up. Deflating a national sheet's 59 MB of XML alone:
    // the main thread's share 78–124 → 54 ms, the wall time 212–393 → 183 ms.
    const options: ZlibOptions & Pick<TransformOptions, 'writableHighWaterMark'> = {
      level,
      writableHighWaterMark: 1 << 20,
    };
    const deflate = createDeflateRaw(options);
    // The deflated chunks go on to the stream in order; a full stream pauses the deflating until it drains.
    const sent = (async () => {
      for await (const chunk of deflate) {
        record.compressed += (chunk as Buffer).length;
        await this.#put(chunk as Buffer);
      }
    })();
    sent.catch(() => undefined);
    return {
      write: async (chunk) => {
        const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
        record.crc = crc32(bytes, record.crc);
        record.size += bytes.length;
        if (record.size > zip32Max) throw new Error('a sheet is larger than a ZIP without ZIP64 holds (4 GiB)');
        if (!deflate.write(bytes)) await Promise.race([once(deflate, 'drain'), sent]);
      },
      end: async () => {
        deflate.end();
        await sent;
        await this.#descriptor(record);
      },
    };
  }

  /** A small entry written at once. */
  async file(path: string, content: string): Promise<void> {
    const bytes = Buffer.from(content);
    const compressed = deflateRawSync(bytes, { level: constants.Z_DEFAULT_COMPRESSION });
    const record: Written = {
      name: Buffer.from(path),
      crc: crc32(bytes),
      compressed: compressed.length,
      size: bytes.length,
      offset: this.#offset,
    };
    await this.#put(this.#localHeader(record));
    await this.#put(compressed);
    await this.#descriptor(record);
  }

  async #descriptor(record: Written): Promise<void> {
    const d = Buffer.alloc(16);
    d.writeUInt32LE(0x08074b50, 0);
    d.writeUInt32LE(record.crc, 4);
    d.writeUInt32LE(record.compressed, 8);
    d.writeUInt32LE(record.size, 12);
    await this.#put(d);
    this.#written.push(record);
  }

  /** The central directory and its end record; then the stream ends. */
  async finish(): Promise<void> {
    const start = this.#offset;
    for (const r of this.#written) {
      const c = Buffer.alloc(46);
      c.writeUInt32LE(0x02014b50, 0);
      c.writeUInt16LE(20, 4); // made by: version 2.0
      this.#entryFields(c, 6, r);
      c.writeUInt32LE(r.offset, 42);
      await this.#put(Buffer.concat([c, r.name]));
    }
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(this.#written.length, 8);
    end.writeUInt16LE(this.#written.length, 10);
    end.writeUInt32LE(this.#offset - start, 12);
    end.writeUInt32LE(start, 16);
    await this.#put(end);
    this.#out.end();
  }
}
