import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeText } from '../../src/schema/text.ts';

const reference = (raw: string) => raw.normalize('NFC').replace(/\s+/gu, ' ').trim();
const piece = fc.constantFrom(
  'a',
  'Z',
  '1',
  '-',
  '~',
  ' ',
  '  ',
  '\t',
  '\n',
  '\u00a0',
  'ả',
  'a\u0309',
  'Có',
  '\u2028',
  '\x7f',
  '\x00',
);

describe('normalizeText', () => {
  it('gives plain ASCII text as it is and any other text NFC, spaces collapsed and trimmed, as before its shortcut', () => {
    fc.assert(
      fc.property(
        fc.array(piece, { maxLength: 12 }),
        (pieces) => normalizeText(pieces.join('')) === reference(pieces.join('')),
      ),
      { numRuns: 5000 },
    );
    expect(normalizeText(' Bản  Nậm\u00a0Pồ ')).toBe('Bản Nậm Pồ');
    expect(normalizeText('03214')).toBe('03214');
  });
});
