import { PassThrough, type Readable } from 'node:stream';
import { spreadsheetValue } from './neutralize-formula.ts';
import { Utf8Chunks } from './utf8-chunks.ts';
import { ZipWriter } from './zip-writer.ts';

/** A column with a header other than its key, and a cell format (Excel's numFmt) for its numbers or dates. */
export type SheetColumn = { readonly key: string; readonly header: string; readonly numFmt?: string };

/** Rows a worksheet holds below its header (Excel's 1,048,576 rows): a larger export goes on in another sheet. */
export const rowsPerSheet = 1_048_575;

/**
 * What needs work before it goes into a cell's XML text: markup; the controls and non-characters
 * XML 1.0 forbids, and the carriage return XML readers turn into a line feed, which OOXML spells
 * `_xHHHH_`; and a `_xHHHH_` already in the text, which Excel and LibreOffice would read as such a
 * spelling unless its `_` is spelled `_x005F_`.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: the characters XML 1.0 forbids are what this finds
const forbidden = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/gu;
const xmlSpecial = new RegExp(`[&<>\\r${forbidden.source.slice(1, -1)}]|_x[0-9A-Fa-f]{4}_`, 'u');
const xmlSpecials = new RegExp(xmlSpecial.source, 'gu');
const xmlEntity: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };
const escapeXml = (c: string) =>
  c.length > 1 ? `_x005F${c}` : (xmlEntity[c] ?? `_x${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}_`);

/**
 * Text as a cell's XML character data, every character kept: a control character is spelled as
 * OOXML spells it, and half a surrogate pair (no character at all) becomes U+FFFD.
 */
export function xmlText(text: string): string {
  const whole = text.isWellFormed() ? text : text.toWellFormed();
  return xmlSpecial.test(whole) ? whole.replace(xmlSpecials, escapeXml) : whole;
}

/** An attribute's value (a sheet name, a number format): markup escaped, characters XML forbids left out. */
const xmlAttribute = (text: string) =>
  text
    .toWellFormed()
    .replace(forbidden, '')
    .replace(/[&<>"]/gu, (c) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot' }[c]};`);

/** Column letters: 0 → A, 25 → Z, 26 → AA. */
function columnLetters(index: number): string {
  let letters = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26))
    letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  return letters;
}

/** Days since Excel's epoch (1899-12-30, the 1900 date system) as a spreadsheet stores a date: the instant's UTC wall clock. */
const excelSerial = (date: Date) => date.getTime() / 86_400_000 + 25_569;

/** Excel's built-in short date (numFmtId 14), which exceljs gave a date in a column without a format. */
const shortDate = 14;

/**
 * The styles: 0 plain, 1 the bold header, then one per column number format (a date in a column
 * without one takes the short date, as exceljs gave it).
 */
function stylesOf(columns: readonly SheetColumn[]) {
  const formats = [...new Set(columns.flatMap((c) => (c.numFmt ? [c.numFmt] : [])))];
  const styleOf = (numFmt: string) => 3 + formats.indexOf(numFmt);
  const xml =
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' +
    (formats.length === 0
      ? ''
      : `<numFmts count="${formats.length}">${formats.map((f, i) => `<numFmt numFmtId="${164 + i}" formatCode="${xmlAttribute(f)}"/>`).join('')}</numFmts>`) +
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>' +
    '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>' +
    '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>' +
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>' +
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
    `<cellXfs count="${3 + formats.length}">` +
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>' +
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>' +
    `<xf numFmtId="${shortDate}" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>` +
    formats
      .map((_, i) => `<xf numFmtId="${164 + i}" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>`)
      .join('') +
    '</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>';
  return { xml, styleOf, dateStyle: 2 };
}

/** A cell's XML, or '' for an empty one. `ref` is its address, `style` its column's ` s="n"` or ''. */
function cellXml(value: unknown, ref: string, style: string, dateStyle: string): string {
  const safe = spreadsheetValue(value);
  if (safe === null) return '';
  if (typeof safe === 'string') {
    const text = xmlText(safe);
    const space = /^\s|\s$/u.test(text) ? ' xml:space="preserve"' : '';
    return `<c r="${ref}"${style} t="inlineStr"><is><t${space}>${text}</t></is></c>`;
  }
  if (typeof safe === 'boolean') return `<c r="${ref}"${style} t="b"><v>${safe ? 1 : 0}</v></c>`;
  const number = typeof safe === 'number' ? safe : excelSerial(safe);
  // NaN, ±Infinity and an Invalid Date's serial are no xsd:double a reader takes: Excel's error for a number that is none.
  if (!Number.isFinite(number)) return `<c r="${ref}"${style} t="e"><v>#NUM!</v></c>`;
  return typeof safe === 'number'
    ? `<c r="${ref}"${style}><v>${number}</v></c>`
    : `<c r="${ref}"${style || dateStyle}><v>${number}</v></c>`;
}

/**
 * A workbook with a bold, frozen header row on each sheet, its sheet XML written as the rows are
 * read (inline strings: no table of strings held) into a ZIP deflated as it goes (zip-writer.ts), so an
 * export of any size is held in bounded memory. Text cells are neutralized as in CSV: an XLSX
 * string cell is not a formula, but the sheet is often saved on as CSV or pasted elsewhere, where
 * it would be. The reading waits whenever the client has not taken what was written.
 */
export function xlsxStream(
  columnsOrKeys: readonly (string | SheetColumn)[],
  rows: AsyncIterable<Record<string, unknown>>,
  sheetName = 'tonghop',
  perSheet = rowsPerSheet,
): Readable {
  const columns = columnsOrKeys.map((c) => (typeof c === 'string' ? { key: c, header: c } : c));
  const styles = stylesOf(columns);
  const letters = columns.map((_, i) => columnLetters(i));
  const cellStyles = columns.map((c) => (c.numFmt ? ` s="${styles.styleOf(c.numFmt)}"` : ''));
  const dateStyle = ` s="${styles.dateStyle}"`;
  const output = new PassThrough();
  const zip = new ZipWriter(output);
  const names: string[] = [];

  const sheetStart = () =>
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' +
    '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>' +
    '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>' +
    '<sheetFormatPr defaultRowHeight="15"/><cols>' +
    columns
      .map(
        (c, i) =>
          `<col min="${i + 1}" max="${i + 1}" width="${Math.min(40, Math.max(10, c.header.length + 2))}" customWidth="1"/>`,
      )
      .join('') +
    '</cols><sheetData>' +
    `<row r="1" s="1" customFormat="1">` +
    columns
      .map((c, i) => `<c r="${letters[i]}1" s="1" t="inlineStr"><is><t>${xmlText(c.header)}</t></is></c>`)
      .join('') +
    '</row>';

  void (async () => {
    const text = new Utf8Chunks();
    const send = async (all = false) => {
      for (const chunk of text.take(all)) await sheet.write(chunk);
    };
    let sheet = await openSheet();
    let inSheet = 0;
    async function openSheet() {
      names.push(names.length === 0 ? sheetName : `${sheetName} (${names.length + 1})`);
      const entry = await zip.entry(`xl/worksheets/sheet${names.length}.xml`);
      text.add(sheetStart());
      return entry;
    }
    for await (const row of rows) {
      if (inSheet === perSheet) {
        text.add('</sheetData></worksheet>');
        await send(true);
        await sheet.end();
        sheet = await openSheet();
        inSheet = 0;
      }
      inSheet += 1;
      const r = inSheet + 1;
      let xml = `<row r="${r}">`;
      for (let i = 0; i < columns.length; i += 1)
        xml += cellXml(row[columns[i]!.key], `${letters[i]}${r}`, cellStyles[i]!, dateStyle);
      if (text.add(`${xml}</row>`)) await send();
    }
    text.add('</sheetData></worksheet>');
    await send(true);
    await sheet.end();
    for (const [path, xml] of workbookParts(names, styles.xml)) await zip.file(path, xml);
    await zip.finish();
  })().catch((error: unknown) => output.destroy(error instanceof Error ? error : new Error(String(error))));
  return output;
}

/** The parts around the sheets: the workbook naming them, its relationships, the styles, the content types. */
function workbookParts(names: readonly string[], stylesXml: string): [string, string][] {
  const head = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
  const sheetType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml';
  const relBase = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
  return [
    [
      'xl/workbook.xml',
      `${head}<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="${relBase}">` +
        '<bookViews><workbookView/></bookViews><sheets>' +
        names.map((n, i) => `<sheet name="${xmlAttribute(n)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join('') +
        '</sheets></workbook>',
    ],
    [
      'xl/_rels/workbook.xml.rels',
      `${head}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
        names
          .map(
            (_, i) =>
              `<Relationship Id="rId${i + 1}" Type="${relBase}/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`,
          )
          .join('') +
        `<Relationship Id="rId${names.length + 1}" Type="${relBase}/styles" Target="styles.xml"/></Relationships>`,
    ],
    ['xl/styles.xml', stylesXml],
    [
      '_rels/.rels',
      `${head}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
        `<Relationship Id="rId1" Type="${relBase}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    ],
    [
      '[Content_Types].xml',
      `${head}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
        '<Default Extension="xml" ContentType="application/xml"/>' +
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
        '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>' +
        names
          .map((_, i) => `<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="${sheetType}"/>`)
          .join('') +
        '</Types>',
    ],
  ];
}

/** The workbook of rows already in memory, as one buffer. */
export async function toXlsx(
  columns: readonly string[],
  rows: readonly Record<string, unknown>[],
  sheetName = 'tonghop',
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of xlsxStream(
    columns,
    (async function* () {
      yield* rows;
    })(),
    sheetName,
  ))
    chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
