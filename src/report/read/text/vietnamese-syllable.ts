/**
 * Whether a word is spelled like one Vietnamese syllable. Decoding guesses rest on it: the right
 * decoding of a Vietnamese file yields syllables, a wrong one yields words no Vietnamese writes
 * (`Sơì`, `B¶n`, `hoä`).
 */

const tones = new Map([
  ['\u0300', 'huyền'],
  ['\u0301', 'sắc'],
  ['\u0303', 'ngã'],
  ['\u0309', 'hỏi'],
  ['\u0323', 'nặng'],
]);

/** Vowels that carry a quality mark; when a nucleus has one, the tone sits on it (on ơ in ươ). */
const marked = new Set(['ă', 'â', 'ê', 'ô', 'ơ', 'ư']);

/** Every vowel nucleus of the written language, tone marks removed. */
const nuclei = new Set(
  (
    'a ă â e ê i o ô ơ u ư y ' +
    'ai ao au ay âu ây eo êu ia iê iu oa oă oe oi oo ôi ơi ua uâ uê ui uô uơ uy ưa ưi ưu ươ yê ' +
    'iêu oai oao oay oeo uây uôi uya uyê uyu ươi ươu yêu'
  ).split(' '),
);

/**
 * Initial consonants, final consonants, a vowel nucleus between. Place names of the Central
 * Highlands add consonant clusters and finals (`Krông`, `Plông`, `Đắk Lắk`, `Păh`, `Khươl`, `Tôr`):
 * they are spelled with Vietnamese letters and tones, so they count as syllables too.
 */
const shape = /^(ngh|ng|gh|gi|kh|nh|ph|qu|th|tr|ch|[bcdđghklmnprstvx][lr]?)?([aăâeêioôơuưy]+)(ng|nh|ch|[cmnptkhlr])?$/u;

/** Stop finals take only the rising or the heavy tone (`tốt`, `bạc`, `Đắk`), or none in some names. */
const stopFinals = new Set(['c', 'ch', 'p', 't', 'k']);

/** The longest syllables (`nghiêng`, `khuỷu`) have seven letters; a long word is no syllable. */
const longestWord = 16;

export function isVietnameseSyllable(word: string): boolean {
  if (word.length > longestWord) return false;
  let base = '';
  let letters = 0;
  let tone: string | undefined;
  let toneAt = -1;
  for (const char of word.toLowerCase().normalize('NFD')) {
    const name = tones.get(char);
    if (name !== undefined) {
      if (tone !== undefined || letters === 0) return false;
      tone = name;
      toneAt = letters - 1;
    } else {
      base += char;
      if (!/\p{M}/u.test(char)) letters += 1;
    }
  }
  const match = shape.exec(base.normalize('NFC'));
  if (match === null) return false;
  const initial = match[1] ?? '';
  const nucleus = match[2] ?? '';
  const final = match[3] ?? '';
  if (!nuclei.has(nucleus)) return false;
  if (tone === undefined) return true;
  if (stopFinals.has(final) && tone !== 'sắc' && tone !== 'nặng') return false;
  const at = toneAt - initial.length;
  if (at < 0 || at >= nucleus.length) return false;
  const vowels = [...nucleus];
  const lastMarked = vowels.findLastIndex((vowel) => marked.has(vowel));
  if (lastMarked >= 0) return at === lastMarked;
  // Without a quality mark the tone goes on the last vowel before a final consonant; in an open
  // syllable both the old (hóa) and the new (hoá) placements are in use.
  return final === '' || at === vowels.length - 1;
}
