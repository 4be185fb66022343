import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Running } from '../../src/start.ts';
import {
  getJson,
  importUnitFile,
  namPo,
  namPoFiles,
  tokenFor,
  upload,
  waitFor,
  type FileToSend,
} from '../support/builders.ts';
import { spawnTonghop, type TonghopProcess } from '../support/processes.ts';
import { banHeaders, csvOf, seededBytes, utf16Of, xlsxOf, zipOf } from '../support/report-files.ts';
import {
  le,
  odsOf,
  odsRow,
  officeFile,
  withDirectoryEntry,
  withFatEntry,
  withWorkbookPatch,
} from '../support/office-files.ts';
import { useServices } from '../support/services.ts';

// Limits of this file's processes: small enough to reach with small files.
const services = useServices({ MAX_ROWS: '500', MAX_COLUMNS: '40', MAX_CELL_CHARS: '300' });
let ingest: Running;
let worker: TonghopProcess;
let token: string;

type Case = { name: string; file: FileToSend; fields?: Record<string, string>; code: string; at?: 'ingest' };

const meta = ['commune', 'period'];
const good = ['Bản Nậm Pồ', '120', '540', 'có', 'có', 'có', '250', '130'];
const good2 = ['Huổi Lếch', '85', '390', 'không', 'có', 'không', '120', '60'];
function ban(
  rows: readonly (readonly string[])[],
  headers: readonly string[] = banHeaders,
  commune = '03156',
  period = '2023-Q2',
): string {
  return csvOf([[...meta, ...headers], ...rows.map((r) => [commune, period, ...r])]);
}
function withCell(row: readonly string[], index: number, value: string): string[] {
  return row.map((c, i) => (i === index ? value : c));
}

async function corpus(): Promise<Case[]> {
  const cases: Case[] = [];
  const add = (
    name: string,
    text: string | Buffer,
    code: string,
    filename = 'bao-cao.csv',
    fields?: Record<string, string>,
    at?: 'ingest',
  ) =>
    cases.push({
      name,
      file: { name: filename, bytes: typeof text === 'string' ? Buffer.from(text) : text },
      code,
      ...(fields ? { fields } : {}),
      ...(at ? { at } : {}),
    });
  // What is no report by its content is refused at the door, by name, whatever its name says.
  const refuse = (name: string, bytes: string | Buffer, filename: string) =>
    add(name, bytes, 'TONGHOP_ERR_UNSUPPORTED_FILE', filename, undefined, 'ingest');

  // Whole files that are not reports.
  add('an empty file', '', 'FILE_EMPTY');
  add('whitespace only', ' \r\n \n', 'FILE_EMPTY');
  add('UTF-16 whitespace', utf16Of('  \r\n', 'le'), 'FILE_EMPTY');
  for (let seed = 1; seed <= 12; seed += 1)
    refuse(`random bytes #${seed}`, seededBytes(2000 + seed * 97, seed), 'bao-cao.bin');
  refuse(
    'a PNG renamed .csv',
    Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), seededBytes(3000, 77)]),
    'bao-cao.csv',
  );
  refuse(
    'a web page saved as .xlsx',
    '<html><body><table><tr><td>Tên thôn/bản</td></tr></table></body></html>',
    'bao-cao.xlsx',
  );
  const xlsx = await xlsxOf((wb) => {
    const ws = wb.addWorksheet('Số liệu');
    ws.addRow(['Mã xã:', '03156']);
    ws.addRow(['Kỳ báo cáo:', 'Quý II/2023']);
    ws.addRow(banHeaders);
    ws.addRow(good);
  });
  for (let k = 1; k <= 12; k += 1)
    add(
      `an XLSX cut at ${Math.round((k / 13) * 100)} %`,
      xlsx.subarray(0, Math.floor((xlsx.length * k) / 13)),
      'FILE_CORRUPT',
      'bao-cao.xlsx',
    );
  for (let k = 0; k < 10; k += 1) {
    const broken = Buffer.from(xlsx);
    broken.fill(0x55, 100 + k * 150, 220 + k * 150);
    add(`an XLSX with bytes ${100 + k * 150}–${220 + k * 150} overwritten`, broken, 'FILE_CORRUPT', 'bao-cao.xlsx');
  }
  // Excel 97–2003 files, damaged as they arrive damaged, each refused by name.
  const xls = officeFile('giant-cell.xls');
  const smallXls = officeFile('nam-po/03156-hts-ban-2023-Q2.xls');
  for (let k = 1; k <= 6; k += 1)
    add(
      `an XLS cut at ${Math.round((k / 7) * 100)} %`,
      xls.subarray(0, Math.floor((xls.length * k) / 7)),
      'FILE_CORRUPT',
      'bao-cao.xls',
    );
  add(
    'an XLS whose FAT chain loops',
    withFatEntry(xls, 'Workbook', (chain) => ({ sector: chain[3]!, next: chain[1]! })),
    'FILE_CORRUPT',
    'bao-cao.xls',
  );
  add(
    'an XLS whose mini stream chain loops',
    withFatEntry(smallXls, 'Root Entry', (chain) => ({ sector: chain[1]!, next: chain[0]! })),
    'FILE_CORRUPT',
    'bao-cao.xls',
  );
  add(
    'an XLS whose FAT points past the file',
    withFatEntry(xls, 'Workbook', (chain) => ({ sector: chain[2]!, next: 0x00ffffff })),
    'FILE_CORRUPT',
    'bao-cao.xls',
  );
  add(
    'an XLS declaring a 4 GB workbook stream',
    withDirectoryEntry(xls, 'Workbook', { size: 0xfffffff0 }),
    'LIMIT_EXCEEDED',
    'bao-cao.xls',
  );
  add(
    'an XLS declaring a stream longer than its sectors',
    withDirectoryEntry(xls, 'Workbook', { size: xls.length - 100 }),
    'FILE_CORRUPT',
    'bao-cao.xls',
  );
  add(
    'an XLS whose string table lies about its count',
    withWorkbookPatch(xls, (stream, records) => {
      const sst = records.find((record) => record.type === 0x00fc)!;
      return [{ at: sst.at + 8, data: le(stream.readUInt32LE(sst.at + 8) + 1_000_000, 4) }];
    }),
    'FILE_CORRUPT',
    'bao-cao.xls',
  );
  add('an XLS with a cell of 20,000 characters', xls, 'LIMIT_EXCEEDED', 'bao-cao.xls');
  add(
    'an Excel 5/95 workbook',
    withDirectoryEntry(smallXls, 'Workbook', { rename: 'Book' }),
    'FILE_XLS_OLD_VERSION',
    'bao-cao.xls',
  );
  add(
    'an XLSX saved with a password',
    withDirectoryEntry(smallXls, 'Workbook', { rename: 'EncryptedPackage' }),
    'FILE_ENCRYPTED',
    'bao-cao.xlsx',
  );
  add(
    'an OLE file of random bytes',
    Buffer.concat([smallXls.subarray(0, 8), seededBytes(6000, 8)]),
    'FILE_CORRUPT',
    'bao-cao.xls',
  );

  // ODS files: damage, bombs, depth.
  const odsLabels = `${odsRow(['Mã xã:', '03156'])}${odsRow(['Kỳ báo cáo:', '2023-Q2'])}${odsRow(banHeaders)}`;
  const odsSheet = (rows: string) => `<table:table table:name="Báo cáo">${odsLabels}${rows}</table:table>`;
  const ods = officeFile('nam-po/03156-hts-ban-2023-Q2.ods');
  for (let k = 1; k <= 6; k += 1)
    add(
      `an ODS cut at ${Math.round((k / 7) * 100)} %`,
      ods.subarray(0, Math.floor((ods.length * k) / 7)),
      'FILE_CORRUPT',
      'bao-cao.ods',
    );
  add(
    'an ODS zip bomb (300 MB of zeros)',
    odsOf(odsSheet(''), '', [{ name: 'Thumbnails/thumbnail.png', data: Buffer.alloc(300 * 1024 * 1024) }]),
    'LIMIT_EXCEEDED',
    'bao-cao.ods',
  );
  add(
    'an ODS zip bomb (declared 4 GB)',
    odsOf(odsSheet(''), '', [{ name: 'styles.xml', data: Buffer.from('<x/>'), declaredSize: 4_000_000_000 }]),
    'LIMIT_EXCEEDED',
    'bao-cao.ods',
  );
  add(
    'an ODS nested 200,000 deep',
    odsOf(
      odsSheet(
        `<table:table-row><table:table-cell ` +
          `office:value-type="string"><text:p>${'<text:span>'.repeat(200_000)}${'</text:span>'.repeat(200_000)}</text:p></table:table-cell></table:table-row>`,
      ),
    ),
    'FILE_CORRUPT',
    'bao-cao.ods',
  );
  add(
    'an ODS row repeated a billion times',
    odsOf(odsSheet(odsRow(good, ' table:number-rows-repeated="1000000000"'))),
    'LIMIT_EXCEEDED',
    'bao-cao.ods',
  );
  add(
    'an ODS cell repeated over every column of 400 rows',
    odsOf(
      odsSheet(
        '<table:table-row table:number-rows-repeated="400"><table:table-cell office:value-type="string" ' +
          'table:number-columns-repeated="16384"><text:p>x</text:p></table:table-cell></table:table-row>',
      ),
    ),
    'LIMIT_EXCEEDED',
    'bao-cao.ods',
  );
  add('an ODS with a cell of 20,000 characters', officeFile('giant-cell.ods'), 'LIMIT_EXCEEDED', 'bao-cao.ods');
  add(
    'an ODS of 11 sheets',
    odsOf(Array.from({ length: 11 }, () => odsSheet('')).join('')),
    'LIMIT_EXCEEDED',
    'bao-cao.ods',
  );

  add(
    'a zip bomb (declared 4 GB)',
    zipOf([{ name: 'xl/workbook.xml', data: Buffer.from('<w/>'), declaredSize: 4_000_000_000 }]),
    'LIMIT_EXCEEDED',
    'bao-cao.xlsx',
  );
  add(
    'a zip bomb (300 MB of zeros)',
    zipOf([{ name: 'xl/workbook.xml', data: Buffer.alloc(300 * 1024 * 1024) }]),
    'LIMIT_EXCEEDED',
    'bao-cao.xlsx',
  );
  refuse(
    'a Word document renamed .xlsx',
    zipOf([{ name: 'word/document.xml', data: Buffer.from('<w/>') }]),
    'bao-cao.xlsx',
  );
  add(
    'a workbook of 11 sheets',
    await xlsxOf((wb) => {
      for (let i = 0; i < 11; i++) wb.addWorksheet(`S${i}`).addRow(['a', 'b']);
    }),
    'LIMIT_EXCEEDED',
    'bao-cao.xlsx',
  );
  add(
    'text in no Vietnamese encoding',
    Buffer.from(Array.from({ length: 2000 }, (_, i) => (i % 5 === 0 ? 0x20 : 0xa0 + ((i * 13) % 0x5f)))),
    'ENCODING_UNKNOWN',
  );
  add(
    'a CSV typed in a VNI font, saved as UTF-8',
    'commune,period,Teân thoân/baûn,Soá hoä\n03156,2023-Q2,Baûn Naäm Poà,120\n',
    'ENCODING_LEGACY',
  );
  add('a CSV with an unclosed quote', `${ban([])}03156,2023-Q2,"Bản Nậm Pồ,1\n`, 'CSV_QUOTE_UNCLOSED');
  add('invalid JSON', '[{"Tên thôn/bản": "Bản Nậm Pồ",}]', 'JSON_INVALID', 'bao-cao.json');
  add('truncated JSON', '{"rows": [{"a": 1}', 'JSON_INVALID', 'bao-cao.json');
  add('JSON of the wrong shape', '{"villages": [{"a": 1}]}', 'JSON_SHAPE', 'bao-cao.json');
  add('JSON rows that are arrays', '[["Tên thôn/bản"], ["Bản A"]]', 'JSON_SHAPE', 'bao-cao.json');
  add('deeply nested JSON', `${'['.repeat(100_000)}${']'.repeat(100_000)}`, 'JSON_SHAPE', 'bao-cao.json');
  add(
    'a JSON cell that is an object',
    JSON.stringify({ commune: '03156', period: '2023-Q2', rows: [{ 'Tên thôn/bản': { name: 'A' } }] }),
    'JSON_VALUE_NESTED',
    'bao-cao.json',
  );

  // Limits.
  add('a million columns', `${Array.from({ length: 1_000_000 }, (_, i) => `c${i}`).join(',')}\n`, 'LIMIT_EXCEEDED');
  add('a cell of 5,000 characters', ban([withCell(good, 0, 'A'.repeat(5000))]), 'LIMIT_EXCEEDED');
  add(
    'more rows than allowed',
    ban(Array.from({ length: 600 }, (_, i) => withCell(good, 0, `Bản ${i}`))),
    'LIMIT_EXCEEDED',
  );
  add(
    '41 columns',
    ban([good], [...banHeaders, ...Array.from({ length: 33 }, (_, i) => `Cột ${i}`)]),
    'LIMIT_EXCEEDED',
  );

  // Headers.
  banHeaders.forEach((h, i) =>
    add(
      `the column "${h}" missing`,
      ban(
        [good.filter((_, j) => j !== i)],
        banHeaders.filter((_, j) => j !== i),
      ),
      'HEADER_MISSING',
    ),
  );
  for (const extra of ['Ghi chú khác', 'Số điện thoại', 'Trưởng bản', 'Tọa độ'])
    add(`an extra column "${extra}"`, ban([[...good, 'x']], [...banHeaders, extra]), 'HEADER_UNKNOWN');
  add('a repeated column', ban([[...good, '5']], [...banHeaders, 'Số hộ']), 'HEADER_DUPLICATE');
  add('a header only', ban([]), 'NO_ROWS');

  // Cells.
  const integers = [1, 2, 6, 7];
  for (const i of integers) {
    add(`a negative number in "${banHeaders[i]}"`, ban([withCell(good, i, '-5')]), 'VALUE_NEGATIVE');
    add(`a word in "${banHeaders[i]}"`, ban([withCell(good, i, 'nhiều')]), 'VALUE_NOT_INTEGER');
    add(`a decimal in "${banHeaders[i]}"`, ban([withCell(good, i, '12,5')]), 'VALUE_DECIMAL');
    add(`an empty "${banHeaders[i]}"`, ban([withCell(good, i, '')]), 'VALUE_REQUIRED');
    for (const [text, code] of [
      ['1.2.3', 'VALUE_NOT_INTEGER'],
      ['1e5', 'VALUE_NOT_INTEGER'],
      ['12.5', 'VALUE_DECIMAL'],
      ['1/2', 'VALUE_NOT_INTEGER'],
    ] as const) {
      add(`"${text}" in "${banHeaders[i]}"`, ban([withCell(good, i, text)]), code);
    }
  }
  for (const i of [3, 4, 5]) {
    for (const text of ['có thể', '?', '2', 'yes please', 'không rõ'])
      add(`"${text}" in "${banHeaders[i]}"`, ban([withCell(good, i, text)]), 'VALUE_NOT_YES_NO');
    add(`an empty "${banHeaders[i]}"`, ban([withCell(good, i, '')]), 'VALUE_REQUIRED');
  }
  add('an empty village name', ban([withCell(good, 0, '')]), 'VALUE_REQUIRED');
  add('3G without a mobile signal', ban([withCell(withCell(good, 4, 'không'), 5, 'có')]), 'RULE_REQUIRES');
  add('more smartphone users than people', ban([withCell(good, 6, '541')]), 'RULE_AT_MOST');
  add('more e-payment accounts than people', ban([withCell(good, 7, '9999')]), 'RULE_AT_MOST');
  add('the same village twice', ban([good, good2, withCell(good, 0, 'bản  nậm pồ')]), 'DUPLICATE_ROW_KEY');
  add('the same village with and without "Thôn"', ban([withCell(good, 0, 'Thôn Nậm Pồ'), good]), 'DUPLICATE_ROW_KEY');
  add(
    'a formula cell',
    await xlsxOf((wb) => {
      const ws = wb.addWorksheet('Số liệu');
      ws.addRow(['Mã xã:', '03156']);
      ws.addRow(['Kỳ báo cáo:', '2023-Q2']);
      ws.addRow(banHeaders);
      ws.addRow(good.map((c, i) => (i === 1 ? { formula: 'B5*2', result: 240 } : c)));
    }),
    'VALUE_FORMULA',
    'bao-cao.xlsx',
  );
  add(
    'HTS-XA with two rows',
    JSON.stringify({
      form: 'HTS-XA',
      commune: '03156',
      period: '2023-Q2',
      rows: [1, 2].map(() => ({
        computers: 3,
        computers_broadband: 2,
        staff: 10,
        staff_with_computer: 9,
        specialized_network: 'có',
        video_conference: 'không',
      })),
    }),
    'TOO_MANY_ROWS',
    'bao-cao.json',
  );
  add(
    'HTS-XA with more broadband computers than computers',
    JSON.stringify({
      form: 'HTS-XA',
      commune: '03156',
      period: '2023-Q2',
      rows: [
        {
          computers: 3,
          computers_broadband: 4,
          staff: 10,
          staff_with_computer: 9,
          specialized_network: 'có',
          video_conference: 'không',
        },
      ],
    }),
    'RULE_AT_MOST',
    'bao-cao.json',
  );

  // Metadata.
  for (const period of [
    'Q5/2023',
    '2023-13',
    'Quý 2',
    'năm hai nghìn',
    '23-Q2',
    'Tháng 13/2023',
    '2023/Q2',
    'II/2023',
    'Quý 0/2023',
    'Q2-23',
  ])
    add(`the period "${period}"`, ban([good], banHeaders, '03156', period), 'META_PERIOD_INVALID');
  add(
    'no period anywhere',
    csvOf([
      ['commune', ...banHeaders],
      ['03156', ...good],
    ]),
    'META_PERIOD_MISSING',
  );
  add(
    'no commune anywhere',
    csvOf([
      ['period', ...banHeaders],
      ['2023-Q2', ...good],
    ]),
    'META_COMMUNE_MISSING',
  );
  for (const commune of ['99999', '03157', '00001', 'ABCDE', '123456'])
    add(`the commune "${commune}"`, ban([good], banHeaders, commune), 'META_COMMUNE_UNKNOWN');
  add('two communes in one file', `${ban([good])}03165,2023-Q2,${good2.join(',')}\n`, 'META_CONFLICT');
  add('two periods in one file', `${ban([good])}03156,2023-Q3,${good2.join(',')}\n`, 'META_CONFLICT');
  add('a village file sent as the office form', ban([good]), 'HEADER_UNKNOWN', 'bao-cao.csv', { form: 'HTS-XA' });
  add(
    'a form field that contradicts the file',
    JSON.stringify({ form: 'HTS-BAN', commune: '03156', period: '2023-Q2', rows: [{ village: 'A' }] }),
    'META_CONFLICT',
    'bao-cao.json',
    { form: 'HTS-XA' },
  );
  add(
    'an unknown form in the file',
    JSON.stringify({ form: 'HTS-ABC', commune: '03156', period: '2023-Q2', rows: [{ village: 'A' }] }),
    'META_FORM_UNKNOWN',
    'bao-cao.json',
  );
  add(
    'headers that fit no form',
    csvOf([
      ['commune', 'period', 'Tên', 'Số'],
      ['03156', '2023-Q2', 'A', '1'],
    ]),
    'META_FORM_MISSING',
  );
  add('a commune the unit list does not have (03388)', ban([good], banHeaders, '03388'), 'META_COMMUNE_UNKNOWN');
  return cases;
}

beforeAll(async () => {
  ingest = await services.start('ingest');
  await services.start('rollup');
  worker = spawnTonghop(['start', '--role', 'worker'], { ...services.env, LOG_LEVEL: 'warn' });
  await importUnitFile(services.db, join(namPo, 'units.csv'));
  token = await tokenFor(services.db, 'province', '11');
});
afterAll(async () => {
  worker.child.kill('SIGTERM');
  await worker.exited;
});

async function decided(id: number) {
  return waitFor(
    async () => {
      const s = await getJson(ingest.url!, token, `/v1/submissions/${id}`);
      return ['queued', 'processing'].includes(s.body.status) ? null : s.body;
    },
    `submission ${id}`,
    60_000,
  );
}

describe('a corpus of malformed files', () => {
  it('each is rejected with its specific code and a Vietnamese and English message, the valid files between are accepted, and no process crashes', async () => {
    const cases = await corpus();
    expect(cases.length).toBeGreaterThanOrEqual(150);
    const valid = await namPoFiles((n) => n.endsWith('.json'));
    const outcomes: { name: string; expected: string; got: string[] }[] = [];
    let validSent = 0;
    for (const [i, c] of cases.entries()) {
      const r = await upload(ingest.url!, token, [c.file], c.fields ?? {});
      if (c.at === 'ingest') {
        expect(r.status, `${c.name}: ${JSON.stringify(r.body)}`).toBe(415);
        expect(
          r.body.error.details.map((d: any) => d.message.en),
          c.name,
        ).toEqual([expect.stringMatching(new RegExp(`^${c.file.name.replace('.', '\\.')}: `, 'u'))]);
        outcomes.push({ name: c.name, expected: c.code, got: [r.body.error.code] });
      } else {
        expect(r.status, `${c.name}: ${JSON.stringify(r.body)}`).toBe(202);
        const s = await decided(r.body.submissions[0].id);
        outcomes.push({ name: c.name, expected: c.code, got: s.errors.map((e: any) => e.code) });
        expect(s.status, c.name).toBe('rejected');
        for (const e of s.errors) {
          expect(e.message.vi, c.name).toMatch(/\S{2,}/u);
          expect(e.message.en, c.name).toMatch(/\S{2,}/u);
        }
      }
      if (i % 10 === 9 && validSent < valid.length) {
        const ok = await upload(ingest.url!, token, [valid[validSent]!]);
        validSent += 1;
        expect((await decided(ok.body.submissions[0].id)).status).toBe('accepted');
      }
    }
    const wrong = outcomes.filter((o) => !o.got.includes(o.expected));
    expect(wrong.map((o) => `${o.name}: expected ${o.expected}, got ${o.got.join(' ')}`)).toEqual([]);
    expect(validSent).toBeGreaterThanOrEqual(14);
    expect(worker.child.exitCode).toBeNull();
    expect(worker.output()).not.toMatch(/FATAL|uncaught|heap out of memory/iu);
    console.log(
      `malformed corpus: ${cases.length} files rejected with their codes (${cases.filter((c) => c.at === 'ingest').length} ` +
        `at the door), ${validSent} valid files between them accepted, worker pid ${worker.child.pid} never restarted`,
    );
  }, 600_000);
});
