import { describe, expect, it } from 'vitest';
import { sharedStringsOf } from '../../../../src/report/read/xlsx/shared-strings.ts';
import { sheetHandler } from '../../../../src/report/read/xlsx/sheet-rows.ts';
import type { GridRow } from '../../../../src/report/read/sheet-table.ts';
import type { CellContext } from '../../../../src/report/read/xlsx/xlsx-book.ts';
import { dateStylesOf } from '../../../../src/report/read/xlsx/xlsx-styles.ts';
import { xmlScanner } from '../../../../src/report/read/xml/xml-scanner.ts';

const context: CellContext = {
  sharedStrings: ['Tên thôn/bản', 'Bản Nậm Pồ'.normalize('NFC')],
  dateStyles: new Set([2]),
  date1904: false,
  maxCellChars: 1000,
};

function rowsOf(sheetData: string, cells: CellContext = context): GridRow[] {
  const rows: GridRow[] = [];
  const scanner = xmlScanner(sheetHandler(cells, (row) => rows.push(row)));
  scanner.feed(`<worksheet><sheetData>${sheetData}</sheetData></worksheet>`);
  scanner.end();
  return rows;
}

async function* pieces(text: string): AsyncGenerator<string> {
  yield* [text.slice(0, 7), text.slice(7)];
}

describe('sheetHandler', () => {
  it('reads shared, inline, rich and formula strings, booleans, errors and numbers by their type', () => {
    const [row] = rowsOf(
      '<row r="3">' +
        '<c r="A3" t="s"><v>1</v></c>' +
        '<c r="B3" t="inlineStr"><is><t>Huổi &amp; Lếch_x000D_</t></is></c>' +
        '<c r="C3" t="inlineStr"><is><r><t>Bản </t></r><r><rPr><b/></rPr><t>Nà Hỳ</t></r><rPh sb="0" eb="1"><t>ふりがな</t></rPh></is></c>' +
        '<c r="D3" t="str"><v>văn bản</v></c>' +
        '<c r="E3" t="b"><v>0</v></c>' +
        '<c r="F3" t="e"><v>#N/A</v></c>' +
        '<c r="G3"><v>1.5E3</v></c>' +
        '<c r="H3" t="inlineStr"><is><t>' +
        'Na\u0300'.normalize('NFD') +
        '</t></is></c>' +
        '</row>',
    );
    expect(row).toEqual({
      row: 3,
      cells: [
        { column: 1, value: 'Bản Nậm Pồ' },
        { column: 2, value: 'Huổi & Lếch\r' },
        { column: 3, value: 'Bản Nà Hỳ' },
        { column: 4, value: 'văn bản' },
        { column: 5, value: false },
        { column: 6, value: '#N/A' },
        { column: 7, value: 1500 },
        { column: 8, value: 'Nà' },
      ],
    });
  });

  it('keeps formulas as formulas with their cached results, and moves a shared formula to each cell', () => {
    const [row2, row3] = rowsOf(
      '<row r="2"><c r="A2"><f>SUM(B2:C2)</f><v>3</v></c><c r="B2" t="str"><f>A2&amp;"x"</f><v>3x</v></c><c r="C2" t="b"><f>TRUE()</f><v>1</v></c>' +
        '<c r="D2" t="e"><f>1/0</f><v>#DIV/0!</v></c><c r="E2"><f t="shared" ref="E2:E3" si="0">A2/2+$A$1</f><v>1.5</v></c><c ' +
        'r="F2" s="2"><f>DATE(2023,6,30)</f><v>45107</v></c></row>' +
        '<row r="3"><c r="E3"><f t="shared" si="0"/><v>2</v></c><c r="F3"><f>NOW()</f></c></row>',
    );
    expect(row2?.cells.map((cell) => cell.value)).toEqual([
      { formula: 'SUM(B2:C2)', result: 3 },
      { formula: 'A2&"x"', result: '3x' },
      { formula: 'TRUE()', result: true },
      { formula: '1/0', result: '#DIV/0!' },
      { formula: 'A2/2+$A$1', result: 1.5 },
      { formula: 'DATE(2023,6,30)', result: '2023-06-30' },
    ]);
    expect(row3?.cells).toEqual([
      { column: 5, value: { formula: 'A3/2+$A$1', result: 2 } },
      { column: 6, value: { formula: 'NOW()', result: null } },
    ]);
  });

  it('turns numbers of a date style into ISO text, counting from 1904 when the workbook does', () => {
    const sheet =
      '<row r="1"><c r="A1" s="2"><v>45107</v></c><c r="B1" s="2"><v>45107.34375</v></c><c r="C1" s="1"><v>45107</v></c></row>';
    expect(rowsOf(sheet)[0]?.cells.map((cell) => cell.value)).toEqual(['2023-06-30', '2023-06-30 08:15:00', 45107]);
    expect(rowsOf(sheet, { ...context, date1904: true })[0]?.cells[0]?.value).toBe('2027-07-01');
  });

  it('skips empty and self-closing cells and rows, places cells and rows without a reference after the previous ones, and orders cells by column', () => {
    const rows = rowsOf(
      '<row r="1"><c r="A1" s="1"/><c r="B1"><v></v></c><c r="C1" t="inlineStr"><is><t/></is></c></row>' +
        '<row r="4"/>' +
        '<row r="5"><c r="C5"><v>3</v></c><c><v>4</v></c><c r="A5"><v>1</v></c></row>' +
        '<row><c t="inlineStr"><is><t>x</t></is></c></row>',
    );
    expect(rows).toEqual([
      {
        row: 5,
        cells: [
          { column: 1, value: 1 },
          { column: 3, value: 3 },
          { column: 4, value: 4 },
        ],
      },
      { row: 6, cells: [{ column: 1, value: 'x' }] },
    ]);
  });

  it('refuses a cell pointing past the shared strings, and a row of more cells than a sheet has columns', () => {
    expect(() => rowsOf('<row r="1"><c r="A1" t="s"><v>7</v></c></row>')).toThrow('no shared string 7');
    expect(() => rowsOf(`<row r="1">${'<c r="A1"><v>1</v></c>'.repeat(16_385)}</row>`)).toThrow(
      'row 1 has more than 16384 cells',
    );
  });
});

describe('sharedStringsOf', () => {
  it('joins rich text runs, leaves phonetic guides out, undoes escapes and composes NFC', async () => {
    const xml =
      '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="4" uniqueCount="4">' +
      `<si><t>${'Bản Nậm Pồ'.normalize('NFD')}</t></si>` +
      '<si><r><t xml:space="preserve">Thôn </t></r><r><rPr><i/></rPr><t>Mới&amp;Cũ</t></r></si>' +
      '<si><t>漢字</t><rPh sb="0" eb="2"><t>かんじ</t></rPh><phoneticPr fontId="1"/></si>' +
      '<si/><si><t>a_x000D__x000A_b</t></si></sst>';
    expect(await sharedStringsOf(pieces(xml), 1000)).toEqual(['Bản Nậm Pồ', 'Thôn Mới&Cũ', '漢字', '', 'a\r\nb']);
  });
});

describe('dateStylesOf', () => {
  it('finds the cell styles whose number format shows a date, built in or custom, as exceljs judges them', async () => {
    const xml =
      '<styleSheet><numFmts count="3"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/><numFmt numFmtId="165" formatCode="#,##0 &quot;hộ&quot;"/>' +
      '<numFmt numFmtId="166" formatCode="[Red]0.00"/></numFmts>' +
      '<cellStyleXfs count="1"><xf numFmtId="14"/></cellStyleXfs>' +
      '<cellXfs count="7"><xf numFmtId="14"/><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="164"/><xf ' +
      'numFmtId="165"/><xf numFmtId="166"/><xf numFmtId="3"/></cellXfs></styleSheet>';
    // Style 0 is never a date (exceljs skips it); the quoted "hộ" and the [Red] colour are not date letters.
    expect([...(await dateStylesOf(pieces(xml)))]).toEqual([2, 3]);
  });
});
