import { banCsv } from './reports.ts';
import { zipOf } from './report-files.ts';

/**
 * Files an attacker would send, one per class the security review found (issue 14), built in
 * memory so that tests and bench/hostile-upload.ts send the same bytes.
 */

/** An HTS-BAN CSV of `rows` villages with all seven of their typed cells wrong: 7 × rows issues. */
export function everyCellWrongCsv(rows: number, commune = '03166'): Buffer {
  const [header] = banCsv(commune, '2023-Q2', []).split('\n');
  const lines = Array.from({ length: rows }, (_, i) => `${commune},2023-Q2,Bản ${i},x,x,?,?,?,x,x`);
  return Buffer.from(`${[header, ...lines].join('\n')}\n`);
}

const main =
  'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';
const relationship = (id: string, type: string, target: string) =>
  `<Relationship Id="${id}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/${type}" Target="${target}"/>`;

/** A workbook of the given `<sheet>` count whose sheets all point at one worksheet part, and optional shared strings. */
export function workbookOf(
  sheetData: Buffer | string,
  options: { sheets?: number; sharedStrings?: Buffer | string } = {},
): Buffer {
  const sheets = Array.from(
    { length: options.sheets ?? 1 },
    (_, i) => `<sheet name="S${i + 1}" sheetId="${i + 1}" r:id="rId1"/>`,
  ).join('');
  const rels =
    relationship('rId1', 'worksheet', 'worksheets/sheet1.xml') +
    (options.sharedStrings ? relationship('rId2', 'sharedStrings', 'sharedStrings.xml') : '');
  const sheet = Buffer.concat([
    Buffer.from(`<worksheet ${main}><sheetData>`),
    Buffer.from(sheetData),
    Buffer.from('</sheetData></worksheet>'),
  ]);
  return zipOf([
    { name: 'xl/workbook.xml', data: Buffer.from(`<workbook ${main}><sheets>${sheets}</sheets></workbook>`) },
    {
      name: 'xl/_rels/workbook.xml.rels',
      data: Buffer.from(
        `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${rels}</Relationships>`,
      ),
    },
    { name: 'xl/worksheets/sheet1.xml', data: sheet },
    ...(options.sharedStrings
      ? [
          {
            name: 'xl/sharedStrings.xml',
            data: Buffer.concat([
              Buffer.from(`<sst ${main}>`),
              Buffer.from(options.sharedStrings),
              Buffer.from('</sst>'),
            ]),
          },
        ]
      : []),
  ]);
}

const header =
  '<row r="1"><c r="A1" t="inlineStr"><is><t>Tên thôn/bản</t></is></c><c r="B1" t="inlineStr"><is><t>Số hộ</t></is></c></row>';

/** One cell of `chars` characters in a sheet otherwise tiny: as a number `<v>`, a formula, an inline string or a shared string. */
export function hugeCellXlsx(chars: number, as: 'value' | 'formula' | 'inline' | 'shared'): Buffer {
  const huge = Buffer.alloc(chars, as === 'value' ? '9' : 'A');
  const open = {
    value: '<c r="B2"><v>',
    formula: '<c r="B2"><f>',
    inline: '<c r="B2" t="inlineStr"><is><t>',
    shared: '<c r="B2" t="s"><v>0</v></c>',
  }[as];
  const close = { value: '</v></c>', formula: '</f></c>', inline: '</t></is></c>', shared: '' }[as];
  const row =
    as === 'shared'
      ? Buffer.from(`<row r="2">${open}</row>`)
      : Buffer.concat([Buffer.from(`<row r="2">${open}`), huge, Buffer.from(`${close}</row>`)]);
  return workbookOf(
    Buffer.concat([Buffer.from(header), row]),
    as === 'shared' ? { sharedStrings: Buffer.concat([Buffer.from('<si><t>'), huge, Buffer.from('</t></si>')]) } : {},
  );
}

/** A small sheet listed `sheets` times by the workbook, every `<sheet>` pointing at the same part. */
export function sheetListedManyTimes(sheets: number): Buffer {
  return workbookOf(
    `${header}<row r="2"><c r="A2" t="inlineStr"><is><t>Bản 1</t></is></c><c r="B2"><v>5</v></c></row>`,
    { sheets },
  );
}

/** Shared strings adding up to `total` characters, each as long as Excel allows: a heap attack below the cell cap. */
export function manySharedStringsXlsx(total: number): Buffer {
  const one = `<si><t>${'A'.repeat(32_000)}</t></si>`;
  return workbookOf('<row r="1"><c r="A1" t="s"><v>0</v></c></row>', {
    sharedStrings: one.repeat(Math.floor(total / 32_000)),
  });
}
