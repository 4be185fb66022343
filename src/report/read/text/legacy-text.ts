import { fromTcvn3 } from './tcvn3.ts';
import { scoreVietnamese, type VietnameseScore } from './vietnamese-score.ts';
import { fromVni } from './vni.ts';

export type LegacyEncoding = 'TCVN3' | 'VNI';

/** The legacy Vietnamese encodings and their tables, from text read as Latin-1 to Unicode. */
export const legacyEncodings: readonly {
  readonly name: LegacyEncoding;
  readonly toUnicode: (latin1: string) => string;
}[] = [
  { name: 'TCVN3', toUnicode: fromTcvn3 },
  { name: 'VNI', toUnicode: fromVni },
];

function net(score: VietnameseScore): number {
  return score.valid - score.invalid;
}

/**
 * Which legacy encoding Unicode text was typed in, if any: a spreadsheet or a UTF-8 file whose
 * Vietnamese was typed in a .VnTime or VNI-Times font holds `B¶n NËm På` or `Baûn Naäm Poà`.
 * It is legacy text when reading it through that encoding's table leaves fewer words that are no
 * Vietnamese syllable and more that are. Such text is reported, not converted: legacy-font cells may
 * sit beside true Unicode cells, and the table would damage those.
 */
export function detectLegacyText(text: string): LegacyEncoding | null {
  const asIs = scoreVietnamese(text);
  if (asIs.invalid === 0) return null;
  let best: { name: LegacyEncoding; score: VietnameseScore } | null = null;
  for (const { name, toUnicode } of legacyEncodings) {
    const score = scoreVietnamese(text, toUnicode);
    const better = score.invalid < asIs.invalid && score.valid > asIs.valid;
    if (better && (best === null || net(score) > net(best.score))) best = { name, score };
  }
  return best?.name ?? null;
}
