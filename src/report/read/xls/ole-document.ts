import { openCompoundFile, type CompoundFile, type CompoundStream } from './compound-file.ts';

/**
 * What an OLE2 compound file holds, by its streams: an Excel 97–2003 workbook (`Workbook`), an
 * Excel 5/95 one (`Book`), an Office file saved with a password (`EncryptedPackage`), or some
 * other document (.doc, .ppt, .msg); `unreadable` when the container does not open.
 */
export function oleDocumentOf(bytes: Buffer): 'workbook' | 'old-workbook' | 'encrypted' | 'other' | 'unreadable' {
  let file: CompoundFile;
  try {
    file = openCompoundFile(bytes);
  } catch {
    return 'unreadable';
  }
  if (streamNamed(file, 'Workbook') !== undefined) return 'workbook';
  if (streamNamed(file, 'Book') !== undefined) return 'old-workbook';
  if (streamNamed(file, 'EncryptedPackage') !== undefined) return 'encrypted';
  return 'other';
}

/** A stream under the root, its name compared without case as [MS-CFB] 2.6.4 compares them. */
export function streamNamed(file: CompoundFile, name: string): CompoundStream | undefined {
  for (const [found, stream] of file.streams) if (found.toLowerCase() === name.toLowerCase()) return stream;
  return undefined;
}
