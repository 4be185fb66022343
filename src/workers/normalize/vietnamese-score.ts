import { isVietnameseSyllable } from './vietnamese-syllable.ts';

/**
 * A word is what lies between spaces, ASCII punctuation and digits, and general punctuation
 * (dashes, quotes). Latin-1 symbols such as `¶` stay inside words: TCVN3 text read as Latin-1 is
 * full of them (`B¶n`). A run longer than any syllable is cut into pieces, none of them a
 * syllable: unbounded, a 50 MB run overflows the regular expression engine's stack.
 */
const word = /[^\s\u0000-\u0040\u005b-\u0060\u007b-\u007f\u2000-\u206f]{1,40}/gu;
const nonAscii = /[^\u0000-\u007f]/u;

/** How many words with a non-ASCII letter a text has that read as Vietnamese syllables, and how many do not. */
export type VietnameseScore = { readonly valid: number; readonly invalid: number };

/** Characters looked at: the header and the first rows, where an encoding shows itself. */
const sampleChars = 1 << 20;

/**
 * Scores the words of `text` that hold a non-ASCII character, each after `convert` (a legacy
 * encoding's table, say); ASCII words say nothing about the encoding. Looks at the first MiB and
 * at most `maxWords` such words, which is plenty to tell encodings apart and keeps a large file cheap.
 */
export function scoreVietnamese(text: string, convert: (word: string) => string = (w) => w, maxWords = 4000): VietnameseScore {
  let valid = 0;
  let invalid = 0;
  for (const [found] of text.slice(0, sampleChars).matchAll(word)) {
    if (!nonAscii.test(found)) continue;
    if (isVietnameseSyllable(convert(found).normalize('NFC'))) valid += 1;
    else invalid += 1;
    if (valid + invalid >= maxWords) break;
  }
  return { valid, invalid };
}
