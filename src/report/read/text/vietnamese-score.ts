import { isVietnameseSyllable } from './vietnamese-syllable.ts';

/**
 * A word is what lies between spaces, ASCII punctuation and digits, and general punctuation
 * (dashes, quotes). Latin-1 symbols such as `¶` stay inside words: TCVN3 text read as Latin-1 is
 * full of them (`B¶n`). A run longer than any syllable is cut into pieces, none of them a
 * syllable: unbounded, a 50 MB run overflows the regular expression engine's stack.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: the ranges name all of ASCII but letters
const word = /[^\s\u0000-\u0040\u005b-\u0060\u007b-\u007f\u2000-\u206f]{1,40}/gu;
// biome-ignore lint/suspicious/noControlCharactersInRegex: not ASCII is anything above U+007F
const nonAscii = /[^\u0000-\u007f]/u;

/** How many words with a non-ASCII letter a text has that read as Vietnamese syllables, and how many do not. */
export type VietnameseScore = { readonly valid: number; readonly invalid: number };

const asIs = (w: string) => w;

/**
 * Verdicts on words already seen, per reading: reports repeat the same few words (`Bản`, `Có`,
 * `Không`, place names) file after file, and judging a syllable was a tenth of a worker's time.
 * Bounded, so odd files cannot grow it without end.
 */
const verdicts = new WeakMap<(word: string) => string, Map<string, boolean>>();
const maxKnownWords = 20_000;
function verdictsOf(convert: (word: string) => string): Map<string, boolean> {
  let known = verdicts.get(convert);
  if (known === undefined) {
    known = new Map();
    verdicts.set(convert, known);
  }
  return known;
}

/** Characters looked at: the header and the first rows, where an encoding shows itself. */
const sampleChars = 1 << 20;

/**
 * Scores the words of `text` that hold a non-ASCII character, each after `convert` (a legacy
 * encoding's table, say); ASCII words say nothing about the encoding. Looks at the first MiB and
 * at most `maxWords` such words, which is plenty to tell encodings apart and keeps a large file cheap.
 */
export function scoreVietnamese(
  text: string,
  convert: (word: string) => string = asIs,
  maxWords = 4000,
): VietnameseScore {
  let valid = 0;
  let invalid = 0;
  const known = verdictsOf(convert);
  for (const [found] of text.slice(0, sampleChars).matchAll(word)) {
    if (!nonAscii.test(found)) continue;
    let syllable = known.get(found);
    if (syllable === undefined) {
      syllable = isVietnameseSyllable(convert(found).normalize('NFC'));
      if (known.size >= maxKnownWords) known.clear();
      known.set(found, syllable);
    }
    if (syllable) valid += 1;
    else invalid += 1;
    if (valid + invalid >= maxWords) break;
  }
  return { valid, invalid };
}
