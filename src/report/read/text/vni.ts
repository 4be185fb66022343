/**
 * VNI (the VNI-Times fonts): a base letter followed by a mark byte, each read as Latin-1:
 * `a` + `ù` is á, `o` + `â` is ô, `o` + `á` is ố. A few letters are one byte: i with a tone,
 * ơ (`ô`), ư (`ö`), ỵ (`î`) and đ (`ñ`). Capitals use the capital mark bytes (`AÙ` is Á).
 */

type Tone = '' | 'sắc' | 'huyền' | 'hỏi' | 'ngã' | 'nặng';

const combining: Readonly<Record<Tone, string>> = {
  '': '',
  sắc: '\u0301',
  huyền: '\u0300',
  hỏi: '\u0309',
  ngã: '\u0303',
  nặng: '\u0323',
};

/** Mark bytes after a plain vowel, after a vowel with a circumflex, after a vowel with a breve. */
const plainMarks: Readonly<Record<Tone, string>> = { '': '', sắc: 'ù', huyền: 'ø', hỏi: 'û', ngã: 'õ', nặng: 'ï' };
const circumflexMarks: Readonly<Record<Tone, string>> = {
  '': 'â',
  sắc: 'á',
  huyền: 'à',
  hỏi: 'å',
  ngã: 'ã',
  nặng: 'ä',
};
const breveMarks: Readonly<Record<Tone, string>> = { '': 'ê', sắc: 'é', huyền: 'è', hỏi: 'ú', ngã: 'ü', nặng: 'ë' };

/** Each vowel of Unicode and how VNI writes it: a base byte and a set of marks. */
const vowels: readonly (readonly [string, string, Readonly<Record<Tone, string>>])[] = [
  ['a', 'a', plainMarks],
  ['ă', 'a', breveMarks],
  ['â', 'a', circumflexMarks],
  ['e', 'e', plainMarks],
  ['ê', 'e', circumflexMarks],
  ['o', 'o', plainMarks],
  ['ô', 'o', circumflexMarks],
  ['ơ', 'ô', plainMarks],
  ['u', 'u', plainMarks],
  ['ư', 'ö', plainMarks],
  ['y', 'y', plainMarks],
];

/** Letters VNI writes as a single byte. */
const singles: readonly (readonly [string, string])[] = [
  ['í', 'í'],
  ['ì', 'ì'],
  ['ỉ', 'æ'],
  ['ĩ', 'ó'],
  ['ị', 'ò'],
  ['ỵ', 'î'],
  ['đ', 'ñ'],
];

function buildTable(): ReadonlyMap<string, string> {
  const table = new Map<string, string>();
  const add = (vni: string, unicode: string): void => {
    table.set(vni, unicode.normalize('NFC'));
    table.set(vni.toUpperCase(), unicode.toUpperCase().normalize('NFC'));
  };
  for (const [unicode, base, marks] of vowels) {
    for (const tone of Object.keys(combining) as Tone[]) {
      // ỵ has its own byte; `y` + `ï` is not VNI.
      if (unicode === 'y' && tone === 'nặng') continue;
      if (base + marks[tone] !== unicode) add(base + marks[tone], unicode + combining[tone]);
    }
  }
  for (const [unicode, vni] of singles) add(vni, unicode);
  return table;
}

/** VNI sequence → Unicode letter; keys are one or two characters, none of them plain ASCII. */
const vniTable = buildTable();

const markBytes = [plainMarks, circumflexMarks, breveMarks].flatMap((marks) => Object.values(marks)).join('');

/** A base vowel and a mark byte, or a lone Latin-1 letter; only the table says which of them mean something. */
const sequence = new RegExp(`[aeouyôö][${markBytes}]|[AEOUYÔÖ][${markBytes.toUpperCase()}]|[\u00c0-\u00ff]`, 'gu');

/** Unicode text from VNI text read as Latin-1, which is also what a spreadsheet typed in a VNI font holds. */
export function fromVni(latin1: string): string {
  return latin1.replace(sequence, (found) => vniTable.get(found) ?? found);
}
