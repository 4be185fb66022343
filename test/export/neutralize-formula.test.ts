import { describe, expect, it } from 'vitest';
import { toCsv } from '../../src/export/csv.ts';
import { neutralizeFormula, spreadsheetValue } from '../../src/export/neutralize-formula.ts';

describe('exports neutralize formula injection', () => {
  it('text starting with = + - @ (or tab, carriage return) is kept as text by a leading apostrophe', () => {
    for (const text of ['=1+1', '+84 912', '-2+3', '@SUM(A1)', '\t=1', '\r=1', '=HYPERLINK("http://x","bấm")'])
      expect(neutralizeFormula(text)).toBe(`'${text}`);
    for (const text of ['Xã Nậm Tin', '03156', '', 'a=b']) expect(neutralizeFormula(text)).toBe(text);
  });

  it('typed numbers, dates and nulls are kept as they are, for CSV and XLSX alike', () => {
    expect(spreadsheetValue(-0.5)).toBe(-0.5);
    expect(spreadsheetValue(121)).toBe(121);
    const d = new Date('2023-06-30T00:00:00Z');
    expect(spreadsheetValue(d)).toBe(d);
    expect(spreadsheetValue(null)).toBeNull();
    expect(spreadsheetValue('=cmd|/c calc!A1')).toBe("'=cmd|/c calc!A1");
  });

  it('a CSV export of a hostile unit name opens as text', () => {
    const csv = toCsv(['unit_name', 'value'], [{ unit_name: '=HYPERLINK("http://evil","Xã")', value: -0.25 }]);
    expect(csv.split('\r\n')[1]).toBe(`"'=HYPERLINK(""http://evil"",""Xã"")",-0.25`);
  });
});
