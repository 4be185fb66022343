import { describe, expect, it } from 'vitest';
import { fileKind } from '../../../src/report/read/file-kind.ts';
import { seededBytes, utf16Of, xlsxOf, zipOf } from '../../support/report-files.ts';

const part = (name: string, data: string, store = false) => ({ name, data: Buffer.from(data), store });

describe('what a file is, by its content', () => {
  it('tells spreadsheets, text reports and archives from documents, pages, images and binary, whatever the name says', async () => {
    const xlsx = await xlsxOf((wb) => wb.addWorksheet('S').addRow(['a', 'b']));
    const cases: [string, Buffer | string, string | null, string][] = [
      ['an XLSX named .csv', xlsx, 'bao-cao.csv', 'xlsx'],
      ['an XLSX cut short', xlsx.subarray(0, 500), 'bao-cao.xlsx', 'xlsx'],
      ['a damaged archive named .zip', zipOf([part('a.csv', 'a,b\n')]).subarray(0, 40), 'huyen.zip', 'zip'],
      ['a ZIP of CSV files named .xlsx', zipOf([part('xa/a.csv', 'a,b\n')]), 'bao-cao.xlsx', 'zip'],
      [
        'an ODS spreadsheet',
        zipOf([part('mimetype', 'application/vnd.oasis.opendocument.spreadsheet', true), part('content.xml', '<x/>')]),
        'a.ods',
        'ods',
      ],
      [
        'an ODT text document',
        zipOf([part('mimetype', 'application/vnd.oasis.opendocument.text', true), part('content.xml', '<x/>')]),
        'a.ods',
        'document',
      ],
      [
        'a .docx',
        zipOf([part('[Content_Types].xml', '<Types/>'), part('word/document.xml', '<w/>')]),
        'a.docx',
        'document',
      ],
      [
        'an Excel 97–2003 file',
        Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(100)]),
        'a.csv',
        'xls',
      ],
      ['a PDF named .csv', '%PDF-1.7\n', 'a.csv', 'pdf'],
      ['a JPEG', Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]), 'a.xlsx', 'image'],
      ['a web page named .csv', '\ufeff  <!DOCTYPE html><html>', 'a.csv', 'markup'],
      ['random bytes', seededBytes(3000, 3), 'a.csv', 'binary'],
      ['a Windows program named .csv', Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200)]), 'a.csv', 'binary'],
      ['a CSV named .exe', 'commune,period\n03156,2023-Q2\n', 'a.exe', 'csv'],
      ['a UTF-16 CSV', utf16Of('commune\tperiod\r\n03156\t2023-Q2\r\n', 'le'), 'a.txt', 'csv'],
      ['JSON named .txt', ' [{"a": 1}]', 'a.txt', 'json'],
      ['an empty file', '', 'a.csv', 'empty'],
      ['blanks', ' \r\n', 'a.csv', 'empty'],
    ];
    for (const [name, bytes, filename, kind] of cases) expect(fileKind(Buffer.from(bytes), filename), name).toBe(kind);
  });
});
