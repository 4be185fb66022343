import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { detectDelimiter } from '../../../../src/report/read/csv/csv-delimiter.ts';

/** The separator counting as first written, character by character: what the faster counting must agree with. */
function referenceDelimiter(text: string): string {
  const lines: Record<string, number>[] = [];
  let counts: Record<string, number> = { ',': 0, ';': 0, '\t': 0 };
  let blank = true;
  let quoted = false;
  for (let i = 0; i < Math.min(text.length, 1 << 20) && lines.length < 20; i++) {
    const char = text.charAt(i);
    if (char === '"') quoted = !quoted;
    if (quoted) continue;
    if (char === '\n' || char === '\r') {
      if (!blank) lines.push(counts);
      counts = { ',': 0, ';': 0, '\t': 0 };
      blank = true;
    } else if (char === ',' || char === ';' || char === '\t') {
      counts[char]! += 1;
      blank = false;
    } else if (char.trim() !== '') blank = false;
  }
  if (!blank && lines.length < 20) lines.push(counts);
  const header = lines[0];
  if (header === undefined) return ',';
  let best = ',';
  let bestRank = [-1, -1];
  for (const candidate of [',', ';', '\t']) {
    const fields = header[candidate]!;
    const consistent = fields === 0 ? 0 : lines.filter((line) => line[candidate] === fields).length;
    if (consistent > bestRank[0]! || (consistent === bestRank[0] && fields > bestRank[1]!)) {
      best = candidate;
      bestRank = [consistent, fields];
    }
  }
  return best;
}

const piece = fc.constantFrom(
  ',',
  ';',
  '\t',
  '"',
  '\n',
  '\r',
  ' ',
  '\u00a0',
  '\u2028',
  '\u000b',
  '\f',
  'a',
  'Số',
  '1',
  '\ud800',
);

describe('detectDelimiter', () => {
  it('counts separators as the character-by-character reading does', () => {
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 200 }), (pieces) => {
        const text = pieces.join('');
        return detectDelimiter(text) === referenceDelimiter(text);
      }),
      { numRuns: 5000 },
    );
  });

  it('takes the separator that splits the lines alike', () => {
    expect(detectDelimiter('a;b,c\n1;2\n3;4\n')).toBe(';');
  });
});
