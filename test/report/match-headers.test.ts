import { describe, expect, it } from 'vitest';
import { shippedFormCatalog } from '../../src/forms/shipped-forms.ts';
import { fieldsNamed, matchHeaders } from '../../src/report/match-headers.ts';
import { compileForm, definitionOf } from '../../src/schema/form.ts';

const ban = shippedFormCatalog().find('HTS-BAN')!;
const headers = [
  'Tên thôn/bản',
  'Số hộ',
  'Số nhân khẩu',
  'Có internet cáp quang',
  'Có sóng di động',
  'Có sóng 3G trở lên',
  'Số người dùng điện thoại thông minh',
  'Số người có tài khoản thanh toán điện tử',
];
const letters = (n: number) => Array.from({ length: n }, (_, i) => String.fromCharCode(65 + i));

describe('matchHeaders', () => {
  it('maps the Vietnamese headers, the keys, and both without diacritics or case, onto the fields in file order', () => {
    const spelled = [
      'TEN THON/BAN',
      'households',
      'so nhan khau',
      'Có  internet  cáp quang',
      'mobile_signal',
      'co song 3g tro len',
      'smartphone_users',
      'epayment_users',
    ];
    const keys = ban.fields.map((f) => f.key);
    for (const [row, expected] of [
      [headers, keys],
      [spelled, keys],
      [[...spelled].reverse(), [...keys].reverse()],
    ] as const) {
      const matched = matchHeaders(ban, row, letters(row.length));
      expect('map' in matched && matched.map.columns.map((f) => f?.key)).toEqual(expected);
    }
  });

  it('skips the row number and notes columns officers add', () => {
    const matched = matchHeaders(ban, ['STT', ...headers, 'Ghi chú'], letters(10));
    expect('map' in matched && matched.map.columns.map((f) => f?.key ?? null)).toEqual([
      null,
      ...ban.fields.map((f) => f.key),
      null,
    ]);
  });

  it('keeps a form’s own field named like a notes column (`Ghi chú`, `notes`): its values are the form’s', () => {
    const definition = definitionOf(ban);
    const noted = compileForm(
      {
        ...definition,
        fields: [
          ...definition.fields,
          { key: 'notes', header: 'Ghi chú', aliases: [], en: 'Notes', type: 'text', required: false } as never,
        ],
      },
      2,
    );
    for (const header of ['Ghi chú', 'notes', 'GHI CHU']) {
      const matched = matchHeaders(noted, ['STT', ...headers, header], letters(10));
      expect('map' in matched && matched.map.columns.map((f) => f?.key ?? null)).toEqual([
        null,
        ...ban.fields.map((f) => f.key),
        'notes',
      ]);
    }
  });

  it('names every unknown, repeated and missing column at once, with the column the officer sees', () => {
    const matched = matchHeaders(ban, ['Tên thôn/bản', 'Số hộ', 'số hộ', 'Điện', 'Có sóng di động'], letters(5));
    expect('issues' in matched).toBe(true);
    if (!('issues' in matched)) return;
    const found = matched.issues.map((i) => [i.code, i.column]);
    expect(found).toEqual(
      expect.arrayContaining([
        ['HEADER_DUPLICATE', 'C'],
        ['HEADER_UNKNOWN', 'D'],
        ['HEADER_MISSING', 'Số nhân khẩu'],
        ['HEADER_MISSING', 'Có internet cáp quang'],
      ]),
    );
    expect(found.filter(([code]) => code === 'HEADER_MISSING')).toHaveLength(5);
  });

  it('counts how many fields a header row names (how a form is guessed)', () => {
    expect(fieldsNamed(ban, headers)).toBe(8);
    expect(fieldsNamed(ban, ['village', 'Số hộ', 'nothing'])).toBe(2);
  });
});
