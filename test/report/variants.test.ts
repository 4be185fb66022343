import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluateReport } from '../../src/report/evaluate.ts';
import type { Outcome } from '../../src/report/outcome.ts';
import { shippedFormCatalog } from '../../src/forms/shipped-forms.ts';
import { importUnitFile, namPo } from '../support/builders.ts';
import { cp1258Of, csvOf, defaultLimits, utf16Of, xlsxOf } from '../support/report-files.ts';
import { useServices } from '../support/services.ts';

const services = useServices();
const forms = shippedFormCatalog();
const htsBan = forms.find('HTS-BAN')!;
beforeAll(async () => {
  await importUnitFile(services.db, join(namPo, 'units.csv'));
});

/** The villages every variant encodes; the plain UTF-8 CSV of them is the reference. */
const villages = [
  {
    name: 'Bản Nậm Pồ',
    households: 1234,
    population: 5321,
    fiber: true,
    mobile: true,
    g3: true,
    smartphone: 2500,
    epayment: 1300,
  },
  {
    name: 'Huổi Lếch',
    households: 85,
    population: 390,
    fiber: false,
    mobile: true,
    g3: false,
    smartphone: 120,
    epayment: 60,
  },
  {
    name: 'Thôn Đề Bua',
    households: 40,
    population: 180,
    fiber: false,
    mobile: false,
    g3: false,
    smartphone: 30,
    epayment: 0,
  },
];

const headerStyles = {
  vietnamese: htsBan.fields.map((f) => f.header),
  'without diacritics': htsBan.fields.map((f) =>
    f.header
      .normalize('NFD')
      .replace(/\p{Mn}/gu, '')
      .replace(/đ/gu, 'd'),
  ),
  keys: htsBan.fields.map((f) => f.key),
  'upper case, extra spaces': htsBan.fields.map((f) => `  ${f.header.toUpperCase().replaceAll(' ', '   ')} `),
  'keys in capitals': htsBan.fields.map((f) => f.key.toUpperCase()),
} as const;

const numberStyles = {
  plain: (n: number) => String(n),
  'dot thousands': (n: number) => n.toLocaleString('de-DE'),
  'space thousands': (n: number) => n.toLocaleString('fr-FR').replace(/\u202f/gu, ' '),
} as const;
const yesNoStyles = {
  'có/không': ['có', 'không'],
  'co/khong': ['co', 'khong'],
  'C/K': ['C', 'K'],
  'yes/no': ['yes', 'no'],
  'TRUE/FALSE': ['TRUE', 'FALSE'],
  '1/0': ['1', '0'],
  'x/không': ['x', 'Không'],
} as const;
const periodStyles = ['2023-Q2', 'Q2/2023', 'Quý 2/2023', 'Quý II năm 2023', 'quý ii/2023'] as const;

type Style = {
  headers: readonly string[];
  number: (n: number) => string;
  yesNo: readonly [string, string];
  period: string;
};
const base: Style = {
  headers: headerStyles.vietnamese,
  number: numberStyles.plain,
  yesNo: ['có', 'không'],
  period: '2023-Q2',
};

function table(style: Style): string[][] {
  const yn = (b: boolean) => (b ? style.yesNo[0] : style.yesNo[1]);
  return [
    ['commune', 'period', ...style.headers],
    ...villages.map((v) => [
      '03156',
      style.period,
      v.name,
      style.number(v.households),
      style.number(v.population),
      yn(v.fiber),
      yn(v.mobile),
      yn(v.g3),
      style.number(v.smartphone),
      style.number(v.epayment),
    ]),
  ];
}

const encodings = {
  'UTF-8': (t: string) => Buffer.from(t, 'utf8'),
  'UTF-8 with BOM': (t: string) => Buffer.from(`\uFEFF${t}`, 'utf8'),
  'UTF-8, decomposed (macOS)': (t: string) => Buffer.from(t.normalize('NFD'), 'utf8'),
  'UTF-16 LE with BOM': (t: string) => utf16Of(t, 'le'),
  'UTF-16 BE with BOM': (t: string) => utf16Of(t, 'be'),
  'Windows-1258': (t: string) => cp1258Of(t),
} as const;
const separators = { comma: ',', semicolon: ';', tab: '\t' } as const;

async function normalizedRows(bytes: Buffer, filename: string): Promise<Extract<Outcome, { kind: 'valid' }>> {
  const outcome = await evaluateReport(
    { db: services.db, forms },
    { bytes, filename, given: {}, principal: { level: 'admin', code: null } },
    defaultLimits,
    '2026-11-25',
  );
  if (outcome.kind !== 'valid') throw new Error(`${filename}: ${JSON.stringify(outcome.issues)}`);
  return outcome;
}

async function xlsxFile(style: Style, labels: boolean): Promise<Buffer> {
  const rows = table(style);
  return xlsxOf((wb) => {
    const ws = wb.addWorksheet('Báo cáo');
    if (labels) {
      ws.addRow(['BÁO CÁO HẠ TẦNG SỐ CẤP THÔN, BẢN']);
      ws.addRow(['Biểu mẫu: HTS-BAN']);
      ws.addRow(['Mã xã:', '03156']);
      ws.addRow([`Kỳ báo cáo: ${style.period}`]);
      ws.addRow([]);
      for (const r of rows) ws.addRow(r.slice(2));
    } else for (const r of rows) ws.addRow(r);
  });
}

function jsonFile(style: Style): Buffer {
  const [header, ...rows] = table(style);
  const objects = rows.map((r) => Object.fromEntries(header!.slice(2).map((h, i) => [h, r[i + 2]])));
  return Buffer.from(JSON.stringify({ form: 'HTS-BAN', commune: '03156', period: style.period, rows: objects }));
}

let reference: Extract<Outcome, { kind: 'valid' }>;
beforeAll(async () => {
  reference = await normalizedRows(Buffer.from(csvOf(table(base))), 'reference.csv');
});

describe('every spelling of a report of SPEC §3 gives the same normalized rows as the plain UTF-8 CSV', () => {
  it('the reference is what the officer meant', () => {
    expect(reference.rows.map((r) => r.data)).toEqual(
      villages.map((v) => ({
        village: v.name,
        households: v.households,
        population: v.population,
        fiber: v.fiber,
        mobile_signal: v.mobile,
        mobile_3g: v.g3,
        smartphone_users: v.smartphone,
        epayment_users: v.epayment,
      })),
    );
    expect(reference.rows.map((r) => r.key)).toEqual(['nậm pồ', 'huổi lếch', 'đề bua']);
    expect(reference).toMatchObject({ form: 'HTS-BAN', communeCode: '03156', period: '2023-Q2' });
  });

  const csvCases: [string, Style, keyof typeof encodings, keyof typeof separators][] = [];
  for (const [encoding] of Object.entries(encodings)) {
    for (const [separator] of Object.entries(separators)) {
      for (const [headerStyle, headers] of Object.entries(headerStyles)) {
        csvCases.push([
          `${encoding}, ${separator}, ${headerStyle} headers`,
          { ...base, headers },
          encoding as keyof typeof encodings,
          separator as keyof typeof separators,
        ]);
      }
    }
  }
  for (const [name, number] of Object.entries(numberStyles))
    csvCases.push([`numbers with ${name}`, { ...base, number }, 'UTF-8', 'semicolon']);
  for (const [name, yesNo] of Object.entries(yesNoStyles))
    csvCases.push([`yes/no as ${name}`, { ...base, yesNo }, 'Windows-1258', 'comma']);
  for (const period of periodStyles)
    csvCases.push([`period as ${period}`, { ...base, period }, 'UTF-16 LE with BOM', 'tab']);

  it.each(csvCases)('CSV: %s', async (_name, style, encoding, separator) => {
    // A semicolon or tab file keeps dots and spaces inside numbers; a comma file quotes what needs it.
    const bytes = encodings[encoding](csvOf(table(style), separators[separator]));
    const outcome = await normalizedRows(bytes, 'report.csv');
    expect(outcome.rows).toEqual(reference.rows);
    expect(outcome.fingerprint).toBe(reference.fingerprint);
    expect(outcome.period).toBe('2023-Q2');
  });

  const xlsxCases: [string, Style, boolean][] = [];
  for (const [headerStyle, headers] of Object.entries(headerStyles))
    xlsxCases.push([`${headerStyle} headers, label cells above`, { ...base, headers }, true]);
  for (const [name, number] of Object.entries(numberStyles))
    xlsxCases.push([`numbers typed as text with ${name}`, { ...base, number }, false]);
  for (const [name, yesNo] of Object.entries(yesNoStyles))
    xlsxCases.push([`yes/no as ${name}`, { ...base, yesNo }, true]);
  for (const period of periodStyles) xlsxCases.push([`period as ${period} in a label cell`, { ...base, period }, true]);

  it.each(xlsxCases)('XLSX: %s', async (_name, style, labels) => {
    const outcome = await normalizedRows(await xlsxFile(style, labels), 'report.xlsx');
    expect(outcome.rows.map((r) => [r.key, r.data])).toEqual(reference.rows.map((r) => [r.key, r.data]));
    expect(outcome.fingerprint).toBe(reference.fingerprint);
  });

  const jsonCases: [string, Style][] = [];
  for (const [headerStyle, headers] of Object.entries(headerStyles))
    jsonCases.push([`${headerStyle} field names`, { ...base, headers }]);
  for (const [name, yesNo] of Object.entries(yesNoStyles)) jsonCases.push([`yes/no as ${name}`, { ...base, yesNo }]);
  for (const period of periodStyles) jsonCases.push([`period as ${period}`, { ...base, period }]);

  it.each(jsonCases)('JSON: %s', async (_name, style) => {
    const outcome = await normalizedRows(jsonFile(style), 'report.json');
    expect(outcome.rows.map((r) => [r.key, r.data])).toEqual(reference.rows.map((r) => [r.key, r.data]));
    expect(outcome.fingerprint).toBe(reference.fingerprint);
  });

  it('JSON numbers and booleans as JSON types read the same as text', async () => {
    const objects = villages.map((v) => ({
      village: v.name,
      households: v.households,
      population: v.population,
      fiber: v.fiber,
      mobile_signal: v.mobile,
      mobile_3g: v.g3,
      smartphone_users: v.smartphone,
      epayment_users: v.epayment,
    }));
    const outcome = await normalizedRows(
      Buffer.from(JSON.stringify(objects.map((o) => ({ commune: '03156', period: 'Quý II/2023', ...o })))),
      'report.json',
    );
    expect(outcome.fingerprint).toBe(reference.fingerprint);
  });
});
