// Reading time of sheets as offices lay them out (pure: no services).
//   node bench/office-layout.ts [--rows N]
// 1. 80,000 label rows above a header (issue #14 item 4: a 400 KB file that cost 15 s when labels
//    were concatenated per row): the header is looked for in the first rows only, so the file is
//    refused by name at once.
// 2. A large village table plain, and the same in an office layout (heading, title, labels, STT,
//    a header over two rows with merged cells, column numbers, blank rows, total row, signature
//    block): what the layout costs per row.
import { parseArgs } from 'node:util';
import ExcelJS from 'exceljs';
import { readTable } from '../src/report/read/read-rows.ts';
import { defaultLimits, rewriteXlsx, xlsxOf } from '../test/support/report-files.ts';
import { officeWorkbook, layouts } from '../test/support/office-layouts.ts';
import { shippedFormCatalog } from '../src/forms/shipped-forms.ts';

const shipped = shippedFormCatalog();
const htsBan = shipped.find('HTS-BAN')!;

const { values: args } = parseArgs({ options: { rows: { type: 'string', default: '100000' } } });
const rows = Number(args.rows);

async function time(name: string, bytes: Buffer, filename: string): Promise<void> {
  const started = performance.now();
  const read = await readTable(bytes, { filename, limits: { ...defaultLimits, maxRows: rows + 10 } });
  let count = 0;
  if ('table' in read) for await (const batch of read.table.rows()) count += batch.length;
  const ms = performance.now() - started;
  const outcome =
    'issues' in read
      ? read.issues.map((found) => found.code).join(',')
      : `${count} rows, ${read.table.totals.length} total row(s)`;
  console.log(`  ${name.padEnd(34)} ${(bytes.length / 1e6).toFixed(2)} MB: ${outcome} in ${ms.toFixed(0)} ms`);
}

console.log('office layout benchmark');
const inline = (ref: string, text: string) => `<c r="${ref}" t="inlineStr"><is><t>${text}</t></is></c>`;
const labelRows = Array.from(
  { length: 80_000 },
  (_, i) => `<row r="${i + 1}">${inline(`A${i + 1}`, `Mã xã: 0321${i % 10}`)}</row>`,
).join('');
const header = `<row r="80001">${inline('A80001', 'Tên thôn/bản')}${inline('B80001', 'Số hộ')}</row>`;
const labels = rewriteXlsx(
  await xlsxOf((wb) => void (wb.addWorksheet('S').getCell('A1').value = 'x')),
  'xl/worksheets/sheet1.xml',
  (xml) => xml.replace(/<sheetData>.*<\/sheetData>/su, `<sheetData>${labelRows}${header}</sheetData>`),
);
await time('80,000 label rows, XLSX', labels, 'labels.xlsx');

const village = (i: number) => [
  `Bản số ${i}`,
  50 + (i % 70),
  200 + (i % 300),
  i % 2 ? 'Có' : 'Không',
  'Có',
  i % 3 ? 'Có' : 'Không',
  100 + (i % 50),
  20 + (i % 40),
];
const villages = Array.from({ length: rows }, (_, i) => village(i));
const wb = new ExcelJS.Workbook();
const ws = wb.addWorksheet('S');
ws.addRow(['Mã xã:', '03156']);
ws.addRow(htsBan.fields.map((field) => field.header));
for (const row of villages) ws.addRow(row);
await time(`${rows} villages, plain XLSX`, Buffer.from(await wb.xlsx.writeBuffer()), 'plain.xlsx');
const office = await officeWorkbook(
  { form: htsBan, commune: '03156', period: 'Quý II/2023', rows: villages },
  layouts[0]!,
);
await time(`${rows} villages, office layout XLSX`, office, 'office.xlsx');
