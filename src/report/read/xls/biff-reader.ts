import iconv from 'iconv-lite';

/** Reads numbers and strings across the segments of a record and its CONTINUE records; throws past the end. */
export type BiffReader = {
  readonly u8: () => number;
  readonly u16: () => number;
  readonly u32: () => number;
  readonly skip: (count: number) => void;
  /** `count` characters of an XLUnicodeString body; `highByte` is its flag, read again at each CONTINUE it crosses. */
  readonly chars: (count: number, highByte: boolean) => string;
  /** An XLUnicodeString ([MS-XLS] 2.5.294): a 16-bit length (8-bit when `short`), flags, characters; rich runs and phonetic data skipped. */
  readonly string: (short?: boolean) => string;
  readonly atEnd: () => boolean;
};

/**
 * A reader over `segments`. Characters stored one byte each ("compressed") are the low bytes of
 * UTF-16, that is Latin-1, as [MS-XLS] 2.5.293 says; a workbook whose CODEPAGE names an 8-bit
 * code page other than 1252 (written by programs that put their own code page there, such as
 * Windows-1258 Vietnamese) has them decoded in that code page.
 */
export function biffReader(segments: readonly Buffer[], codepage: string | null = null): BiffReader {
  let segment = 0;
  let at = 0;
  const current = (): Buffer => segments[segment] ?? Buffer.alloc(0);
  const advance = (): void => {
    segment += 1;
    at = 0;
    if (segment >= segments.length) throw new Error('bản ghi BIFF hết sớm / BIFF record ends early');
  };
  const byte = (): number => {
    while (at >= current().length) advance();
    return current()[at++]!;
  };
  const decode = (piece: Buffer): string =>
    codepage === null ? piece.toString('latin1') : iconv.decode(piece, codepage);
  return {
    u8: byte,
    u16: () => byte() | (byte() << 8),
    u32: () => (byte() | (byte() << 8) | (byte() << 16) | (byte() << 24)) >>> 0,
    skip: (count) => skipBytes(count),
    chars: (count, highByte) => chars(count, highByte),
    string: (short = false) => {
      const count = short ? byte() : byte() | (byte() << 8);
      const flags = byte();
      let runs = 0;
      let phonetic = 0;
      if ((flags & 0x08) !== 0) runs = byte() | (byte() << 8);
      if ((flags & 0x04) !== 0) phonetic = (byte() | (byte() << 8) | (byte() << 16) | (byte() << 24)) >>> 0;
      const text = chars(count, (flags & 0x01) !== 0);
      skipBytes(runs * 4 + phonetic);
      return text;
    },
    atEnd: () => segment >= segments.length - 1 && at >= current().length,
  };

  function skipBytes(count: number): void {
    let left = count;
    while (left > 0) {
      while (at >= current().length) advance();
      const take = Math.min(left, current().length - at);
      at += take;
      left -= take;
    }
  }

  function chars(count: number, highByte: boolean): string {
    const parts: string[] = [];
    let left = count;
    let wide = highByte;
    while (left > 0) {
      if (at >= current().length) {
        // A string cut by a CONTINUE record goes on with its own flag byte, compressed or not anew.
        advance();
        wide = (byte() & 0x01) !== 0;
        continue;
      }
      const room = current().length - at;
      const take = Math.min(left, wide ? Math.floor(room / 2) : room);
      if (take === 0) throw new Error('ký tự bị cắt đôi / character split across records');
      const piece = current().subarray(at, at + take * (wide ? 2 : 1));
      parts.push(wide ? piece.toString('utf16le') : decode(piece));
      at += piece.length;
      left -= take;
    }
    return parts.join('');
  }
}
