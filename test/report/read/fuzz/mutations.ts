import { zipOf, unzip } from '../../../support/report-files.ts';

/** A small deterministic generator (mulberry32), so that a failing input can be made again from its seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Random = () => number;
const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const at = (random: Random, length: number): number => Math.floor(random() * (length + 1));

/** Strings that break readers that trust their input: numbers too large, quotes, separators, entities, BOMs. */
const nasty = [
  '9'.repeat(400),
  '1e308',
  '-1e309',
  'NaN',
  '-0',
  '0x10',
  '1.234.567,89',
  '"',
  '""',
  '";"',
  ',',
  ';',
  '\t',
  '\r',
  '\n',
  '\u0000',
  '\uFEFF',
  '\uFFFD',
  '=1+1',
  '&amp;',
  '&#x110000;',
  '&#0;',
  '&unknown;',
  '<',
  ']]>',
  '<![CDATA[',
  '<!--',
  '<?xml',
  '</',
  '/>',
  '_x000D_',
  '_xD800_',
  'Có',
  'x',
  '{',
  '[',
  '}',
  ']',
  '"rows":',
  'null',
  'true',
  '{"a":{"b":[[[[[[[[[[]]]]]]]]]]}}',
  'Thôn\u0301',
  'ơ'.normalize('NFD'),
];

/** A byte-level change to any file: cut it short, flip bytes, insert or repeat a piece, write a nasty string into it. */
export function mutateBytes(bytes: Buffer, random: Random): Buffer {
  switch (Math.floor(random() * 6)) {
    case 0:
      return bytes.subarray(0, at(random, bytes.length));
    case 1: {
      const out = Buffer.from(bytes);
      for (let i = 0, n = 1 + Math.floor(random() * 8); i < n && out.length > 0; i++)
        out[Math.floor(random() * out.length)] = Math.floor(random() * 256);
      return out;
    }
    case 2: {
      const i = at(random, bytes.length);
      return Buffer.concat([bytes.subarray(0, i), Buffer.from(pick(random, nasty)), bytes.subarray(i)]);
    }
    case 3: {
      // A piece repeated many times: long lines, many rows, deep nesting.
      const from = at(random, bytes.length);
      const piece = bytes.subarray(from, from + 1 + Math.floor(random() * 64));
      const times = 1 + Math.floor(random() * 2000);
      return Buffer.concat([
        bytes.subarray(0, from),
        ...Array.from({ length: times }, () => piece),
        bytes.subarray(from),
      ]);
    }
    case 4: {
      const text = bytes.toString('latin1');
      return Buffer.from(
        text.replace(/\d+/gu, (digits) =>
          random() < 0.2 ? pick(random, ['9'.repeat(400), '1e308', '-0', 'NaN', '0x10']) : digits,
        ),
        'latin1',
      );
    }
    default: {
      const out = Buffer.from(bytes);
      const i = Math.floor(random() * Math.max(1, out.length - 4));
      if (out.length >= 4) out.writeUInt32LE(Math.floor(random() * 2 ** 32), i);
      return out;
    }
  }
}

/**
 * A change inside an XLSX package that keeps the package sound (sizes and checksums rewritten), so
 * that it reaches the XML of the parts rather than stopping at the zip guard: a part's text
 * mutated, an entry duplicated or dropped, a nasty string written into a cell.
 */
export function mutateXlsx(bytes: Buffer, random: Random): Buffer {
  const parts = unzip(bytes);
  const xml = parts.filter((p) => p.name.endsWith('.xml') || p.name.endsWith('.rels'));
  switch (Math.floor(random() * 5)) {
    case 0: {
      const part = pick(random, xml);
      return zipOf(parts.map((p) => (p === part ? { name: p.name, data: mutateBytes(p.data, random) } : p)));
    }
    case 1: {
      const part = pick(random, parts);
      return zipOf([...parts, { name: part.name, data: part.data }].map((p) => ({ name: p.name, data: p.data })));
    }
    case 2: {
      const part = pick(random, parts);
      return zipOf(parts.filter((p) => p !== part));
    }
    case 3: {
      const part = pick(random, xml);
      const text = part.data
        .toString('utf8')
        .replace(/<(v|t|f)>([^<]*)</gu, (whole, tag: string) =>
          random() < 0.3 ? `<${tag}>${pick(random, nasty)}<` : whole,
        );
      return zipOf(parts.map((p) => (p === part ? { name: p.name, data: Buffer.from(text) } : p)));
    }
    default: {
      // Elements repeated: sheets listed again, rows and cells many times over.
      const part = pick(random, xml);
      const text = part.data
        .toString('utf8')
        .replace(/<(sheet|row|c|si) [^>]*\/?>/u, (element) => element.repeat(1 + Math.floor(random() * 3000)));
      return zipOf(parts.map((p) => (p === part ? { name: p.name, data: Buffer.from(text) } : p)));
    }
  }
}
