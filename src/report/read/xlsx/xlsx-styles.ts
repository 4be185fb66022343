import { builtInDateFormats, isDateFormat } from '../excel-date.ts';
import { attributesOf, scanXml } from '../xml/xml-scanner.ts';

/**
 * Which cell styles (`s` of a cell, an index into `cellXfs`) show a number as a date, read from
 * `xl/styles.xml` as exceljs reads it: a format code is a date when, out of quotes and brackets, it
 * has one of `y m d h M s b`; style 0 and format 0 are never dates.
 */
export async function dateStylesOf(text: AsyncIterable<string>): Promise<ReadonlySet<number>> {
  const customFormats = new Map<number, string>();
  const formatOfStyle: number[] = [];
  let inCellXfs = false;
  await scanXml(text, {
    open: (name, attributes) => {
      if (name === 'numFmt') {
        const { numFmtId, formatCode } = attributesOf(attributes);
        if (numFmtId !== undefined && formatCode !== undefined) customFormats.set(Number(numFmtId), formatCode);
      } else if (name === 'cellXfs') inCellXfs = true;
      else if (name === 'xf' && inCellXfs) formatOfStyle.push(Number(attributesOf(attributes).numFmtId ?? 0));
    },
    close: (name) => {
      if (name === 'cellXfs') inCellXfs = false;
    },
  });
  const dates = new Set<number>();
  formatOfStyle.forEach((format, style) => {
    if (style === 0 || !format) return;
    const code = customFormats.get(format);
    if (code !== undefined ? isDateFormat(code) : builtInDateFormats.has(format)) dates.add(style);
  });
  return dates;
}
