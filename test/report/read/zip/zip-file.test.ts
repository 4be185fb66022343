import { open, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { zipKind } from '../../../../src/report/read/file-kind.ts';
import { unpackArchive } from '../../../../src/report/read/zip/unpack-archive.ts';
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

describe('a ZIP on disk whose records claim more stored bytes than their content can take', () => {
  it('refuses each such record without reading its data: a thousand records of 1 byte over the same 4 MB read KiBs, not 4 GB', async () => {
    // One stored entry of 4 MB, and a thousand directory records pointing at it, each declaring 1 byte
    // of content: every limit (entries, declared bytes, ratio) passes.
    const data = Buffer.alloc(4 * 1024 * 1024, 0x41);
    const name = Buffer.from('a.csv');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(1, 22);
    local.writeUInt16LE(name.length, 26);
    const records: Buffer[] = [];
    for (let i = 0; i < 1000; i += 1) {
      const file = Buffer.from(`${String(i).padStart(4, '0')}.csv`);
      const record = Buffer.alloc(46);
      record.writeUInt32LE(0x02014b50, 0);
      record.writeUInt32LE(crc32(Buffer.from('A')), 16);
      record.writeUInt32LE(data.length, 20);
      record.writeUInt32LE(1, 24);
      record.writeUInt16LE(file.length, 28);
      records.push(record, file);
    }
    const directory = Buffer.concat(records);
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(1000, 8);
    end.writeUInt16LE(1000, 10);
    end.writeUInt32LE(directory.length, 12);
    end.writeUInt32LE(30 + name.length + data.length, 16);
    const zip = Buffer.concat([local, name, data, directory, end]);
    const path = join(dir, 'chong-lan.zip');
    await writeFile(path, zip);
    const handle = await open(path, 'r');
    try {
      const source = zipFile(handle.fd, zip.length);
      const unpacked = unpackArchive(source, {
        maxEntries: 1000,
        maxBytes: 50 * 2 ** 20,
        maxRatio: 100,
        maxFileBytes: 10 * 2 ** 20,
      });
      if ('problem' in unpacked) throw new Error('refused whole');
      const problems: string[] = [];
      for await (const file of unpacked.files)
        problems.push('problem' in file ? file.problem.issue.message.en : 'read');
      expect(problems).toHaveLength(1000);
      expect(new Set(problems).size).toBe(1);
      expect(problems[0]).toMatch(/compressed size out of proportion/u);
      expect(source.bytesRead).toBeLessThan(1024 * 1024);
    } finally {
      await handle.close();
    }
  });
});
