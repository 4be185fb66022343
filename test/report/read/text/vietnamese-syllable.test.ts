import { describe, expect, it } from 'vitest';
import { isVietnameseSyllable } from '../../../../src/report/read/text/vietnamese-syllable.ts';

describe('isVietnameseSyllable', () => {
  it.each([
    'Nậm',
    'Pồ',
    'người',
    'Huổi',
    'Lếch',
    'quý',
    'gì',
    'giữ',
    'nghiêng',
    'khuỷu',
    'thuở',
    'hoá',
    'hóa',
    'toán',
    'tốt',
    'ĐIỆN',
    'Ỵ',
  ])('accepts %s', (word) => expect(isVietnameseSyllable(word)).toBe(true));

  it.each(['Krông', 'Đắk', 'Lắk', 'Plông', 'Păh', 'Khươl'])(
    'accepts the Central Highlands place-name syllable %s',
    (word) => expect(isVietnameseSyllable(word)).toBe(true),
  );

  it.each([
    ['Sơì', 'the tone is not on the marked vowel'],
    ['tồt', 'a stop final with the falling tone'],
    ['hoä', 'ä is no Vietnamese letter'],
    ['B¶n', '¶ is no letter'],
    ['xyz', 'no vowel nucleus'],
    ['ốố', 'two tones'],
  ])('rejects %s: %s', (word) => expect(isVietnameseSyllable(word)).toBe(false));
});
