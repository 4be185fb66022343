import type { ReadLimits } from '../../../schema/raw-table.ts';
import { limitExceeded, LimitExceededError } from '../limit-exceeded.ts';
import { sharedStringsOf } from './shared-strings.ts';
import { dateStylesOf } from './xlsx-styles.ts';
import { attributesOf, scanXml } from '../xml/xml-scanner.ts';
import { readZipDirectory, type ZipEntry } from '../zip/zip-directory.ts';
import { entryText } from '../zip/zip-entry.ts';

/** What reading a sheet's cells needs from the rest of the workbook. */
export type CellContext = {
  readonly sharedStrings: readonly string[];
  /** Cell styles whose number format shows a date. */
  readonly dateStyles: ReadonlySet<number>;
  /** Dates counted from 1904 (old Mac workbooks) rather than 1900. */
  readonly date1904: boolean;
  /** The configured cell length; reading a cell stops a little past it (cellReadCap). */
  readonly maxCellChars: number;
};

export type XlsxSheet = { readonly name: string; readonly visible: boolean; readonly entry: ZipEntry };

/** An opened workbook: its bytes, its worksheets in workbook order, and what reading their cells needs. */
export type XlsxBook = { readonly bytes: Buffer; readonly sheets: readonly XlsxSheet[]; readonly cells: CellContext };

const relationshipTypes = {
  worksheet: '/worksheet',
  sharedStrings: '/sharedStrings',
  styles: '/styles',
} as const;

/**
 * Opens an XLSX package `guardXlsx` has passed: the workbook part lists the sheets (names, hidden
 * or not) and its relationships say where they are; the shared strings and the styles are read
 * whole (within the uncompressed limit the guard checked), the sheets are left to be read in
 * pieces. Throws on a package that does not hold together, and LimitExceededError past the
 * sheet limit, counted as the workbook lists its sheets (what would be read), not as zip entries.
 */
export async function openXlsxBook(
  bytes: Buffer,
  limits: Pick<ReadLimits, 'maxSheets' | 'maxCellChars'>,
): Promise<XlsxBook> {
  const directory = readZipDirectory(bytes, Infinity);
  if (!('entries' in directory)) throw new Error('mục lục tệp nén sai / bad zip directory');
  const entries = new Map(directory.entries.map((entry) => [entry.name.replace(/^\//u, ''), entry]));
  const text = (name: string): AsyncIterable<string> => {
    const entry = entries.get(name);
    if (entry === undefined) throw new Error(`thiếu / missing ${name}`);
    return entryText(bytes, entry);
  };

  const workbook = await workbookOf(text('xl/workbook.xml'), limits.maxSheets);
  const relationships = entries.has('xl/_rels/workbook.xml.rels')
    ? await relationshipsOf(text('xl/_rels/workbook.xml.rels'))
    : [];
  const partOf = (type: string, fallback: string | null): string | null =>
    relationships.find((r) => r.type.endsWith(type))?.target ??
    (fallback !== null && entries.has(fallback) ? fallback : null);
  const sharedStringsPart = partOf(relationshipTypes.sharedStrings, 'xl/sharedStrings.xml');
  const stylesPart = partOf(relationshipTypes.styles, 'xl/styles.xml');

  const sheets: XlsxSheet[] = [];
  const used = new Set<ZipEntry>();
  for (const sheet of workbook.sheets) {
    const relationship = relationships.find(
      (r) => r.id === sheet.relationship && r.type.endsWith(relationshipTypes.worksheet),
    );
    const entry = relationship === undefined ? undefined : entries.get(relationship.target);
    // A chart sheet, or a sheet whose part is missing: nothing to read. A part that a sheet
    // listed before already points at is not read a second time (Excel never writes that).
    if (entry !== undefined && !used.has(entry)) {
      used.add(entry);
      sheets.push({ name: sheet.name, visible: sheet.state === 'visible', entry });
    }
  }
  return {
    bytes,
    sheets,
    cells: {
      sharedStrings:
        sharedStringsPart !== null && entries.has(sharedStringsPart)
          ? await sharedStringsOf(text(sharedStringsPart), limits.maxCellChars)
          : [],
      dateStyles: stylesPart !== null && entries.has(stylesPart) ? await dateStylesOf(text(stylesPart)) : new Set(),
      date1904: workbook.date1904,
      maxCellChars: limits.maxCellChars,
    },
  };
}

type WorkbookPart = { sheets: { name: string; state: string; relationship: string }[]; date1904: boolean };

async function workbookOf(text: AsyncIterable<string>, maxSheets: number): Promise<WorkbookPart> {
  const part: WorkbookPart = { sheets: [], date1904: false };
  await scanXml(text, {
    open: (name, attributes) => {
      if (name === 'workbookPr') {
        const value = attributesOf(attributes).date1904;
        part.date1904 = value === '1' || value === 'true';
      } else if (name === 'sheet') {
        const found = attributesOf(attributes);
        const relationship = Object.entries(found).find(([key]) => key === 'id' || key.endsWith(':id'))?.[1] ?? '';
        // Stopped at the first sheet past the limit: a workbook.xml listing thousands is not held.
        if (part.sheets.length >= maxSheets)
          throw new LimitExceededError(limitExceeded('sheets', part.sheets.length + 1, maxSheets));
        part.sheets.push({ name: found.name ?? '', state: found.state ?? 'visible', relationship });
      }
    },
  });
  return part;
}

type Relationship = { id: string; type: string; target: string };

/** The workbook's relationships, targets resolved to part names (`worksheets/sheet1.xml` → `xl/worksheets/sheet1.xml`). */
async function relationshipsOf(text: AsyncIterable<string>): Promise<Relationship[]> {
  const found: Relationship[] = [];
  await scanXml(text, {
    open: (name, attributes) => {
      if (name !== 'Relationship') return;
      const { Id, Type, Target, TargetMode } = attributesOf(attributes);
      if (Id === undefined || Type === undefined || Target === undefined || TargetMode === 'External') return;
      found.push({ id: Id, type: Type, target: partName(Target) });
    },
  });
  return found;
}

function partName(target: string): string {
  const segments: string[] = target.startsWith('/') ? [] : ['xl'];
  for (const segment of target.split('/')) {
    if (segment === '..') segments.pop();
    else if (segment !== '' && segment !== '.') segments.push(segment);
  }
  return segments.join('/');
}
