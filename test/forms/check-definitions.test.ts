import { describe, expect, it } from 'vitest';
import { checkDefinitions } from '../../src/forms/check-definitions.ts';
import { shippedFormCatalog } from '../../src/forms/shipped-forms.ts';
import { definitionOf } from '../../src/schema/form.ts';

const stored = shippedFormCatalog().versions().map(definitionOf);

const broken = `
code: ATTT-XA
title: { vi: An toàn thông tin cấp xã, en: Commune information security }
periodicity: quarter
rows: one
fields:
  - { key: computers_checked, header: Số máy tính được rà soát, type: integer, min: 0 }
  - { key: officer, header: Cán bộ phụ trách, type: text }
  - { key: computers_checked, header: Số máy được quét mã độc, type: integer }
  - { key: antivirus, header: Có phần mềm diệt virus, type: yesno }
  - { key: incidents, header: Số sự cố, type: colour }
rules:
  - check: computers_checked <= computers_total_owned
measures:
  checked: { sum: computers_checked }
  officers: { sum: officer }
indicators:
  - { code: computers_total, name: { vi: Số máy tính, en: Computers }, numerator: checked }
  - { code: antivirus_rate, name: { vi: Tỷ lệ, en: Rate }, numerator: antivirus_communes, denominator: communes_reporting }
`;

describe('an invalid form definition', () => {
  it('with a field of an unknown type is refused with that problem at its path, and the indicator code another form has', () => {
    const out = checkDefinitions([{ name: 'attt-xa.yaml', text: broken }], stored);
    expect('problems' in out).toBe(true);
    const problems = 'problems' in out ? out.problems : [];
    // A shape problem stops the schema's own cross-checks; what the other forms say is still told.
    expect(problems.map((p) => p.path)).toEqual(['fields[4].type', 'indicators[0].code']);
    expect(problems[0]!.message.en).toMatch(/text|integer|decimal/u);
    expect(problems[0]!.message.vi).not.toBe('');
  });

  it('lists a duplicate field key, an indicator code of another form, a rule naming an unknown field, a measure over a text field, all at once', () => {
    const out = checkDefinitions(
      [{ name: 'attt-xa.yaml', text: broken.replace('type: colour', 'type: integer') }],
      stored,
    );
    const problems = 'problems' in out ? out.problems : [];
    expect(problems.map((p) => `${p.file} ${p.path}: ${p.message.en}`)).toEqual([
      'attt-xa.yaml fields[2].key: duplicate field key "computers_checked"',
      'attt-xa.yaml rules[0].check: there is no field "computers_total_owned"',
      'attt-xa.yaml measures.officers: the field "officer" is text, not integer or decimal',
      'attt-xa.yaml indicators[1].numerator: there is no measure "antivirus_communes"',
      'attt-xa.yaml indicators[0].code: The indicator code "computers_total" belongs to form HTS-XA.',
    ]);
    expect(problems.every((p) => p.message.vi.length > 0 && p.message.vi !== p.message.en)).toBe(true);
  });

  it('a row key that is not a text field, and a measure of a yes/no count over a number, are refused too', () => {
    const text = `
code: X-1
title: { vi: a, en: a }
periodicity: year
rows: many
row_key: n
fields:
  - { key: n, header: N, type: integer }
measures:
  m: { count_yes: n }
`;
    const out = checkDefinitions([{ name: 'x.yaml', text }], stored);
    expect('problems' in out ? out.problems.map((p) => p.path) : []).toEqual(['row_key', 'measures.m']);
  });

  it('unreadable YAML is one problem of the whole file', () => {
    const out = checkDefinitions([{ name: 'bad.yaml', text: 'code: [unclosed' }], stored);
    expect('problems' in out ? out.problems.map((p) => [p.file, p.path]) : []).toEqual([['bad.yaml', '']]);
  });

  it('the shipped definitions pass, and importing them again is each identical to itself', () => {
    const out = checkDefinitions(
      stored.map((value, i) => ({ name: String(i), value })),
      stored,
    );
    expect('definitions' in out ? out.definitions.map((d) => d.code) : out.problems).toEqual([
      'CDS-XA',
      'HTS-BAN',
      'HTS-XA',
    ]);
  });
});

describe('consistency checks across forms (SPEC §8)', () => {
  const form = (consistency: string) => `
code: SO-THON
title: { vi: Số thôn, en: Villages }
periodicity: quarter
rows: one
fields:
  - { key: villages, header: Số thôn khai báo, type: integer, min: 0 }
measures:
  declared: { sum: villages }
consistency:
${consistency}
`;
  it('name this form’s measure and another form’s measure that exists, each problem at its path', () => {
    const ok = checkDefinitions(
      [{ name: 'so-thon.yaml', text: form("  - { measure: declared, op: '<=', form: HTS-BAN, other: villages }") }],
      stored,
    );
    expect(ok).toEqual({
      definitions: [
        expect.objectContaining({
          consistency: [{ measure: 'declared', op: '<=', form: 'HTS-BAN', other: 'villages' }],
        }),
      ],
    });
    const out = checkDefinitions(
      [
        {
          name: 'so-thon.yaml',
          text: form(
            "  - { measure: nope, op: '=', form: HTS-BAN, other: villages }\n  - { measure: declared, op: '=', " +
              "form: NO-FORM, other: villages }\n  - { measure: declared, op: '=', form: HTS-BAN, other: nope }",
          ),
        },
      ],
      stored,
    );
    const problems = 'problems' in out ? out.problems : [];
    expect(problems.map((p) => p.path)).toEqual(['consistency[0].measure']);
    const later = checkDefinitions(
      [
        {
          name: 'so-thon.yaml',
          text: form(
            "  - { measure: declared, op: '=', form: NO-FORM, other: villages }\n  - { measure: declared, op: '=', form: HTS-BAN, other: nope }",
          ),
        },
      ],
      stored,
    );
    expect('problems' in later ? later.problems.map((p) => `${p.path}: ${p.message.en}`) : []).toEqual([
      'consistency[0].form: There is no form NO-FORM.',
      'consistency[1].other: Form HTS-BAN has no measure "nope".',
    ]);
  });
});
