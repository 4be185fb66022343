import { open, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { zipKind } from '../../../../src/report/read/file-kind.ts';
import { zipFile } from '../../../../src/report/read/zip/zip-file.ts';
import { zipOf } from '../../../support/report-files.ts';

/**
 * A ZIP waiting on disk (the upload spool) is told apart, workbook or archive of reports, by its
 * directory alone: a first entry of 20 MB, stored, whose body is garbage, is never read.
 */
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tonghop-zip-file-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const huge = Buffer.alloc(20 * 1024 * 1024, 0xee);
const part = (name: string, data: string | Buffer, store = false) => ({ name, data: Buffer.from(data), store });

async function kindOnDisk(name: string, zip: Buffer) {
  const path = join(dir, name);
  await writeFile(path, zip);
  const handle = await open(path, 'r');
  try {
    const source = zipFile(handle.fd, zip.length);
    return { kind: zipKind(source, name), bytesRead: source.bytesRead };
  } finally {
    await handle.close();
  }
}

describe('a ZIP on disk told apart by its directory', () => {
  it('an archive, a workbook and an OpenDocument sheet behind a first entry of 20 MB: told as from memory, reading a few KiB', async () => {
    const cases = [
      ['huyen.zip', [part('00-lon.csv', huge, true), part('03156.csv', 'a,b\n1,2\n')], 'zip'],
      [
        'bang.xlsx',
        [
          part('00-lon.bin', huge, true),
          part('[Content_Types].xml', '<Types/>'),
          part('xl/workbook.xml', '<workbook/>'),
        ],
        'xlsx',
      ],
      [
        'bang.ods',
        [
          part('mimetype', 'application/vnd.oasis.opendocument.spreadsheet', true),
          part('00-lon.bin', huge, true),
          part('content.xml', '<office:document-content/>'),
          part('META-INF/manifest.xml', '<manifest/>'),
        ],
        'ods',
      ],
    ] as const;
    for (const [name, parts, kind] of cases) {
      const zip = zipOf(parts);
      // Its body is damaged, its directory sound: read, it would not even be the file it says.
      huge.copy(zip, 100, 0, 1000);
      expect(zipKind(zip, name), name).toBe(kind);
      const onDisk = await kindOnDisk(name, zip);
      expect(onDisk.kind, name).toBe(kind);
      // The tail searched for the directory's end (64 KiB at most) and the directory: nothing of the 20 MB entry.
      expect(onDisk.bytesRead, name).toBeLessThan(200 * 1024);
    }
  });

  it('a ZIP whose directory is cut off is told by its name, as from memory', async () => {
    const zip = zipOf([part('a.csv', 'a,b\n1,2\n')]).subarray(0, 40);
    expect((await kindOnDisk('hong.zip', zip)).kind).toBe('zip');
    expect((await kindOnDisk('hong.xlsx', zip)).kind).toBe('xlsx');
  });
});
