import iconv from 'iconv-lite';
import { issue, type Issue } from '../../../schema/issue.ts';
import { detectLegacyText, legacyEncodings, type LegacyEncoding } from './legacy-text.ts';
import { scoreVietnamese, type VietnameseScore } from './vietnamese-score.ts';

export type TextEncoding = 'UTF-8' | 'UTF-16LE' | 'UTF-16BE' | 'windows-1258' | LegacyEncoding;

/** Enough of a file to tell binary from text and one 8-bit encoding from another. */
const sampleBytes = 256 * 1024;

/**
 * A text file's bytes as Unicode NFC text. UTF-8 (with or without BOM) and UTF-16 with a BOM are
 * read as such. Bytes that are not UTF-8 are 8-bit text: Windows-1258, or legacy TCVN3 or VNI, told
 * apart by which reading gives Vietnamese syllables; a legacy file is converted with its table, since
 * every byte of an 8-bit file is in the one encoding. Unicode text typed in a legacy font is
 * rejected with ENCODING_LEGACY (see `detectLegacyText`). Binary content is FILE_FORMAT_UNKNOWN.
 */
export function decodeText(bytes: Buffer): { text: string; encoding: TextEncoding } | { issues: Issue[] } {
  const bom = fromBom(bytes);
  if (bom === null && looksBinary(bytes.subarray(0, sampleBytes))) return { issues: [issue('FILE_FORMAT_UNKNOWN')] };
  const decoded = bom ?? fromUtf8(bytes) ?? from8Bit(bytes);
  if ('issues' in decoded) return decoded;
  const text = decoded.text.normalize('NFC');
  if (bom !== null && looksBinary(Array.from(text.slice(0, sampleBytes), (char) => char.charCodeAt(0))))
    return { issues: [issue('FILE_FORMAT_UNKNOWN')] };
  if (decoded.encoding === 'UTF-8' || decoded.encoding === 'UTF-16LE' || decoded.encoding === 'UTF-16BE') {
    const legacy = detectLegacyText(text);
    if (legacy !== null) return { issues: [issue('ENCODING_LEGACY', {}, { encoding: legacy })] };
  }
  return { text, encoding: decoded.encoding };
}

type Decoded = { text: string; encoding: TextEncoding } | { issues: Issue[] };

function strict(encoding: 'utf-8' | 'utf-16le' | 'utf-16be', bytes: Uint8Array): string | null {
  try {
    return new TextDecoder(encoding, { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return null;
  }
}

function fromBom(bytes: Buffer): Decoded | null {
  const marks = [
    { bom: [0xef, 0xbb, 0xbf], decoder: 'utf-8', encoding: 'UTF-8' },
    { bom: [0xff, 0xfe], decoder: 'utf-16le', encoding: 'UTF-16LE' },
    { bom: [0xfe, 0xff], decoder: 'utf-16be', encoding: 'UTF-16BE' },
  ] as const;
  for (const { bom, decoder, encoding } of marks) {
    if (bom.every((byte, i) => bytes[i] === byte)) {
      const text = strict(decoder, bytes.subarray(bom.length));
      return text === null ? { issues: [issue('ENCODING_UNKNOWN')] } : { text, encoding };
    }
  }
  return null;
}

function fromUtf8(bytes: Buffer): Decoded | null {
  const text = strict('utf-8', bytes);
  return text === null ? null : { text, encoding: 'UTF-8' };
}

/** The readings an 8-bit Vietnamese file may need, Windows-1258 first: it wins ties. */
const eightBitReadings: readonly { readonly encoding: TextEncoding; readonly read: (bytes: Buffer) => string }[] = [
  // Windows-1258 writes tones as combining marks after the letter; decodeText composes them (NFC).
  { encoding: 'windows-1258', read: (bytes) => iconv.decode(bytes, 'windows1258') },
  ...legacyEncodings.map(({ name, toUnicode }) => ({
    encoding: name,
    read: (bytes: Buffer) => toUnicode(bytes.toString('latin1')),
  })),
];

/** Most words Vietnamese syllables: a few odd words (`m²`, a code) are allowed for. */
function reads(score: VietnameseScore): boolean {
  return score.invalid <= 2 + score.valid / 10;
}

function from8Bit(bytes: Buffer): Decoded {
  const sample = bytes.subarray(0, sampleBytes);
  let best: { reading: (typeof eightBitReadings)[number]; score: VietnameseScore } | null = null;
  for (const reading of eightBitReadings) {
    const score = scoreVietnamese(reading.read(sample).normalize('NFC'));
    if (best === null || score.valid - score.invalid > best.score.valid - best.score.invalid) best = { reading, score };
  }
  if (best === null || !reads(best.score)) {
    // Mostly legacy syllables but too many odd words to convert safely: name the encoding anyway.
    const encoding = best?.reading.encoding;
    const legacy =
      (encoding === 'TCVN3' || encoding === 'VNI') && best !== null && best.score.valid > best.score.invalid;
    return { issues: [legacy ? issue('ENCODING_LEGACY', {}, { encoding }) : issue('ENCODING_UNKNOWN')] };
  }
  return { text: best.reading.read(bytes), encoding: best.reading.encoding };
}

/** NUL, or more than a few control characters other than tab, line feed, form feed and carriage return. */
export function looksBinary(codes: ArrayLike<number>): boolean {
  let controls = 0;
  for (let i = 0; i < codes.length; i++) {
    const code = codes[i] ?? 0;
    if (code === 0) return true;
    if ((code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0c && code !== 0x0d) || code === 0x7f)
      controls += 1;
  }
  return controls > codes.length / 100;
}
