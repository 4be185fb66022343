import type { ReadLimits } from '../../../schema/raw-table.ts';
import { limitExceeded } from '../limit-exceeded.ts';
import { ReadFailure } from '../read-failure.ts';
import { attributesNamed, scanXml } from '../xml/xml-scanner.ts';
import { readZipDirectory, type ZipEntry } from '../zip/zip-directory.ts';
import { entryText } from '../zip/zip-entry.ts';

/**
 * How deep `content.xml` may nest. LibreOffice writes about twelve levels; a crafted part nesting
 * a million is refused rather than walked (nothing here keeps a stack, but nothing needs one that deep).
 */
export const maxDepth = 256;

export type OdsSheet = { readonly name: string; readonly visible: boolean; readonly index: number };
export type OdsBook = { readonly content: ZipEntry; readonly sheets: readonly OdsSheet[] };

const styleAttributes = ['style:name', 'style:family'];
const displayAttributes = ['table:display'];
const tableAttributes = ['table:name', 'table:style-name'];

/**
 * Opens an ODS package `guardPackage` has passed: the sheets of `content.xml` in order, by name,
 * hidden when their table style says `table:display="false"`. One reading of the part, which also
 * checks its nesting and the sheet count (an ODS keeps all its sheets in one part, so the guard
 * cannot count them from part names). Throws on a part that does not hold together.
 */
export async function openOdsBook(bytes: Buffer, limits: ReadLimits): Promise<OdsBook> {
  const directory = readZipDirectory(bytes, Infinity);
  if (!('entries' in directory)) throw new Error('mục lục tệp nén sai / bad zip directory');
  const content = directory.entries.find((entry) => entry.name.replace(/^\//u, '') === 'content.xml');
  if (content === undefined) throw new Error('thiếu / missing content.xml');

  const hiddenStyles = new Set<string>();
  const tables: { name: string; style: string | undefined }[] = [];
  let style: string | null = null;
  let depth = 0;
  let tableDepth = 0;
  await scanXml(entryText(bytes, content), {
    open: (name, attributes) => {
      if (++depth > maxDepth) throw new Error(`XML lồng quá ${maxDepth} tầng / XML nested deeper than ${maxDepth}`);
      if (name === 'style') {
        const [styleName, family] = attributesNamed(attributes, styleAttributes);
        style = family === 'table' && styleName !== undefined ? styleName : null;
      } else if (name === 'table-properties' && style !== null) {
        if (attributesNamed(attributes, displayAttributes)[0] === 'false') hiddenStyles.add(style);
      } else if (name === 'table') {
        tableDepth += 1;
        if (tableDepth > 1) return;
        const [tableName, tableStyle] = attributesNamed(attributes, tableAttributes);
        tables.push({ name: tableName ?? '', style: tableStyle });
        if (tables.length > limits.maxSheets)
          throw new ReadFailure(limitExceeded('sheets', tables.length, limits.maxSheets));
      }
    },
    close: (name) => {
      depth -= 1;
      if (name === 'style') style = null;
      else if (name === 'table') tableDepth -= 1;
    },
  });
  return {
    content,
    sheets: tables.map((table, index) => ({
      name: table.name,
      visible: table.style === undefined || !hiddenStyles.has(table.style),
      index,
    })),
  };
}
