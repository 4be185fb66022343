import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readXlsx } from '../../../../src/report/read/xlsx/read-xlsx.ts';
import { readZipDirectory, type ZipEntry } from '../../../../src/report/read/zip/zip-directory.ts';
import { entryText } from '../../../../src/report/read/zip/zip-entry.ts';
import { defaultLimits, seededBytes, zipOf } from '../../../support/report-files.ts';

function entriesOf(bytes: Buffer): ZipEntry[] {
  const directory = readZipDirectory(bytes, Infinity);
  if (!('entries' in directory)) throw new Error('not a readable zip');
  return directory.entries;
}

async function textOf(bytes: Buffer, entry: ZipEntry): Promise<string[]> {
  const pieces: string[] = [];
  for await (const piece of entryText(bytes, entry)) pieces.push(piece);
  return pieces;
}

describe('entryText', () => {
  it('inflates an entry in pieces, never cutting a character in two, stored or deflated', async () => {
    // Three-byte characters, so that 16 KiB pieces fall inside some of them.
    const text = 'Bản Nậm Pồ ữ '.repeat(30_000);
    const bytes = zipOf([
      { name: 'deflated.xml', data: Buffer.from(text) },
      { name: 'stored.xml', data: Buffer.from(text), store: true },
    ]);
    for (const entry of entriesOf(bytes)) {
      const pieces = await textOf(bytes, entry);
      expect(pieces.length).toBeGreaterThan(3);
      expect(pieces.join('')).toBe(text);
    }
  });

  it('throws an error naming the entry when its deflate stream is cut short or damaged', async () => {
    const whole = deflateRawSync(seededBytes(200_000, 7));
    const cut = zipOf([{ name: 'xl/worksheets/sheet1.xml', data: whole.subarray(0, whole.length >> 1), store: true }]);
    // Stored bytes that are really half a deflate stream, read back as deflated.
    const [entry] = entriesOf(cut);
    const asDeflated = { ...entry!, method: 8 };
    await expect(textOf(cut, asDeflated)).rejects.toThrow(/^xl\/worksheets\/sheet1\.xml: .*damaged data/u);
    const garbage = zipOf([{ name: 'xl/sharedStrings.xml', data: seededBytes(5000, 3), store: true }]);
    await expect(textOf(garbage, { ...entriesOf(garbage)[0]!, method: 8 })).rejects.toThrow(
      'xl/sharedStrings.xml: dữ liệu nén bị hỏng / damaged data',
    );
  });

  it('makes a truncated worksheet a FILE_CORRUPT issue, not a crash', async () => {
    const sheet = Buffer.from(
      `<worksheet><sheetData>${'<row><c t="inlineStr"><is><t>x</t></is></c></row>'.repeat(1000)}</sheetData></worksheet>`,
    );
    const parts = [
      {
        name: 'xl/workbook.xml',
        data: Buffer.from('<workbook><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>'),
      },
      {
        name: 'xl/_rels/workbook.xml.rels',
        data: Buffer.from(
          '<Relationships><Relationship Id="rId1" Type="http://x/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        ),
      },
    ];
    const truncated = zipOf([
      ...parts,
      {
        name: 'xl/worksheets/sheet1.xml',
        data: deflateRawSync(sheet).subarray(0, 200),
        store: true,
        declaredSize: sheet.length,
      },
    ]);
    expect(await readXlsx(truncated, defaultLimits)).toEqual({
      issues: [expect.objectContaining({ code: 'FILE_CORRUPT' })],
    });
    // The XML itself cut in the middle of a tag.
    const cutXml = zipOf([...parts, { name: 'xl/worksheets/sheet1.xml', data: sheet.subarray(0, 500) }]);
    expect(await readXlsx(cutXml, defaultLimits)).toEqual({
      issues: [
        expect.objectContaining({
          code: 'FILE_CORRUPT',
          message: expect.objectContaining({ en: expect.stringContaining('truncated XML') }),
        }),
      ],
    });
  });
});
