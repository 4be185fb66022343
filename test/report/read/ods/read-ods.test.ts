import { describe, expect, it } from 'vitest';
import type { ReadLimits } from '../../../../src/schema/raw-table.ts';
import { odsOf, odsRow, officeFile, spreadsheetCodes, spreadsheetTable } from '../../../support/office-files.ts';
import { banHeaders, defaultLimits, zipOf } from '../../../support/report-files.ts';

const table = (bytes: Buffer, limits: ReadLimits = defaultLimits) => spreadsheetTable(bytes, 'bao-cao.ods', limits);
const codes = (bytes: Buffer, limits: ReadLimits = defaultLimits) => spreadsheetCodes(bytes, 'bao-cao.ods', limits);

const labels = `${odsRow(['Mã xã:', '03156'])}${odsRow(['Kỳ báo cáo:', '2023-Q2'])}`;
const header = odsRow(banHeaders);
const village = odsRow(['Bản Nậm Pồ', 120, 540, 'có', 'có', 'có', 250, 130]);
/** What LibreOffice writes after the last row and column of every sheet. */
const libreOfficeTail =
  '<table:table-row table:number-rows-repeated="1048570"><table:table-cell table:number-columns-repeated="16384"/></table:table-row>';
const sheet = (rows: string, name = 'Báo cáo', attributes = '') =>
  `<table:table table:name="${name}"${attributes}><table:table-column table:number-columns-repeated="16384"/>${rows}</table:table>`;

describe('readOds', () => {
  it('reads a Nậm Pồ report saved by LibreOffice: label cells as meta, sheet row numbers, column letters, numbers as numbers', async () => {
    const read = await table(officeFile('nam-po/03156-hts-ban-2023-Q2.ods'));
    expect(read).toMatchObject({
      format: 'ods',
      meta: { commune: '03156', period: 'Quý II/2023' },
      headers: banHeaders,
      columnLabels: banHeaders.map((header, i) => `${'ABCDEFGH'[i]} (${header})`),
    });
    expect(read.rows).toHaveLength(9);
    expect(read.rows[0]).toEqual({ row: 6, cells: ['Bản Huổi Nậm 1', 50, 200, 'Có', 'Không', 'Không', 87, 45] });
  });

  it('gives dates as ISO, percentages, decimals as numbers, formula values, paragraphs joined by newlines, spaces kept; hidden sheet skipped', async () => {
    const read = await table(officeFile('features.ods'));
    expect(read.meta).toEqual({ commune: '03156' });
    expect(read.headers).toEqual([
      'Tên thôn/bản',
      'Số hộ',
      'Ngày lập',
      'Tỷ lệ',
      'Đúng',
      'Công thức',
      'Chữ công thức',
      'Ghi chú',
    ]);
    expect(read.rows.slice(0, 2)).toEqual([
      {
        row: 5,
        cells: [
          'Bản Nậm Pồ',
          120,
          '2023-06-30',
          0.25,
          { formula: 'TRUE()', result: 1 },
          { formula: 'B5*2', result: 240 },
          { formula: 'A5&"!"', result: 'Bản Nậm Pồ!' },
          'dòng 1\ndòng 2',
        ],
      },
      {
        row: 6,
        cells: [
          'Huoi Lech',
          85.5,
          '2023-01-02 10:30:00',
          1.5,
          { formula: 'FALSE()', result: 0 },
          { formula: 'SUM(B5:B6)', result: 205.5 },
          null,
          'a  b   c',
        ],
      },
    ]);
    expect(read.rows).toHaveLength(402);
    expect(read.rows.at(-1)).toEqual({
      row: 406,
      cells: ['Thôn số 400 — ghi chú dài để bảng chuỗi vượt 8 KB', 400, null, null, null, null, null, 'Latin 400 café'],
    });
  });

  it('expands repeated cells and rows that hold something, keeps merged and covered cells in their columns, and leaves comments out', async () => {
    const rows = [
      labels,
      `<table:table-row><table:table-cell office:value-type="string" table:number-columns-spanned="2"><text:p>Tên ` +
        `thôn/bản</text:p></table:table-cell><table:covered-table-cell/>` +
        `${odsRow(banHeaders.slice(1)).replace(/^<table:table-row>|<\/table:table-row>$/gu, '')}</table:table-row>`,
      '<table:table-row table:number-rows-repeated="3"><table:table-cell office:value-type="string"><text:p>Bản ' +
        '<text:span>A</text:span><text:s text:c="2"/>B</text:p><office:annotation><text:p>ghi chú của cán ' +
        'bộ</text:p></office:annotation></table:table-cell><table:table-cell/><table:table-cell ' +
        'office:value-type="float" office:value="7" table:number-columns-repeated="2"><text:p>7</text:p></table:table-cell></table:table-row>',
      libreOfficeTail,
    ];
    const read = await table(odsOf(sheet(rows.join(''))));
    expect(read.headers).toEqual(['Tên thôn/bản', '', ...banHeaders.slice(1)]);
    expect(read.rows).toEqual(
      [4, 5, 6].map((row) => ({ row, cells: ['Bản A  B', null, 7, 7, null, null, null, null, null] })),
    );
  });

  it('reads the first visible sheet, a sheet hidden by its table style being passed over', async () => {
    const styles =
      '<style:style style:name="ta2" style:family="table"><style:table-properties table:display="false"/></style:style>';
    const read = await table(
      odsOf(
        `${sheet(odsRow(['có', 'không']), 'Danh mục', ' table:style-name="ta2"')}${sheet(labels + header + village)}`,
        styles,
      ),
    );
    expect(read.rows).toEqual([{ row: 4, cells: ['Bản Nậm Pồ', 120, 540, 'có', 'có', 'có', 250, 130] }]);
  });

  it('costs nothing for the million repeated empty rows and columns LibreOffice ends a sheet with', async () => {
    const started = performance.now();
    const read = await table(odsOf(sheet(labels + header + village + libreOfficeTail + libreOfficeTail)));
    expect(read.rows).toHaveLength(1);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('refuses hostile packages with a named code, quickly: row and cell repeat bombs, deep nesting, a zip bomb, giant cell, many sheets, damage', async () => {
    const limits = { ...defaultLimits, maxRows: 500, maxColumns: 40, maxCellChars: 300 };
    const bombRow =
      '<table:table-row table:number-rows-repeated="1000000000"><table:table-cell ' +
      'office:value-type="string"><text:p>Bản</text:p></table:table-cell></table:table-row>';
    const bombCells =
      '<table:table-row table:number-rows-repeated="400"><table:table-cell office:value-type="string" ' +
      'table:number-columns-repeated="16000"><text:p>x</text:p></table:table-cell></table:table-row>';
    const deep =
      `<table:table-row><table:table-cell ` +
      `office:value-type="string"><text:p>${'<text:span>'.repeat(100_000)}x${'</text:span>'.repeat(100_000)}</text:p></table:table-cell></table:table-row>`;
    const spaces =
      '<table:table-row><table:table-cell office:value-type="string"><text:p>A<text:s text:c="2000000000"/></text:p></table:table-cell></table:table-row>';
    const amplified = [
      odsOf(sheet(labels + header + bombRow)),
      odsOf(sheet(labels + header + bombCells)),
      odsOf(sheet(labels + header + deep)),
      odsOf(sheet(labels + header + village + spaces)),
    ];
    // What a few hundred bytes ask to expand to a billion is refused before it is expanded.
    const started = performance.now();
    const refused = [];
    for (const bytes of amplified) refused.push(await codes(bytes, limits));
    expect(performance.now() - started).toBeLessThan(5000);
    expect(refused).toEqual([['LIMIT_EXCEEDED'], ['LIMIT_EXCEEDED'], ['FILE_CORRUPT'], ['LIMIT_EXCEEDED']]);
    expect(await codes(odsOf(sheet(labels + header + odsRow(['A'.repeat(5000), 1]))), limits)).toEqual([
      'LIMIT_EXCEEDED',
    ]);
    expect(await codes(odsOf(Array.from({ length: 11 }, (_, i) => sheet(header, `S${i}`)).join('')), limits)).toEqual([
      'LIMIT_EXCEEDED',
    ]);
    expect(
      await codes(
        odsOf(sheet(header), '', [{ name: 'Thumbnails/thumbnail.png', data: Buffer.alloc(300 * 1024 * 1024) }]),
        limits,
      ),
    ).toEqual(['LIMIT_EXCEEDED']);
    expect(
      await codes(
        odsOf(sheet(header), '', [{ name: 'styles.xml', data: Buffer.from('<x/>'), declaredSize: 4_000_000_000 }]),
        limits,
      ),
    ).toEqual(['LIMIT_EXCEEDED']);

    const good = officeFile('nam-po/03156-hts-ban-2023-Q2.ods');
    for (let k = 1; k <= 6; k += 1)
      expect(await codes(good.subarray(0, Math.floor((good.length * k) / 7)))).toEqual(['FILE_CORRUPT']);
    const cut = zipOf([
      { name: 'mimetype', data: Buffer.from('application/vnd.oasis.opendocument.spreadsheet'), store: true },
      {
        name: 'content.xml',
        data: Buffer.from(
          '<office:document-content><office:body><office:spreadsheet><table:table table:name="a"><table:table-row><table:table-cell office:value',
        ),
      },
    ]);
    expect(await codes(cut)).toEqual(['FILE_CORRUPT']);
    const text = zipOf([
      { name: 'mimetype', data: Buffer.from('application/vnd.oasis.opendocument.text'), store: true },
      { name: 'content.xml', data: Buffer.from('<x/>') },
    ]);
    expect(await codes(text)).toEqual(['FILE_FORMAT_UNKNOWN']);
  }, 60_000);
});
