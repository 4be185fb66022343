import { attributesOf, scanXml } from '../xml/xml-scanner.ts';

/** Built-in number formats that show a date or a time (ECMA-376 §18.8.30), as exceljs knows them. */
const builtInDateFormats = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 45, 46, 47]);

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

function isDateFormat(code: string): boolean {
  return /[ymdhMsb]/u.test(code.replace(/\[[^\]]*\]/gu, '').replace(/"[^"]*"/gu, ''));
}
