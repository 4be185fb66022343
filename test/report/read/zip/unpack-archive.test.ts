import { describe, expect, it } from 'vitest';
import {
  unpackArchive,
  type ArchiveLimits,
  type ArchiveProblem,
} from '../../../../src/report/read/zip/unpack-archive.ts';
import { zipOf } from '../../../support/report-files.ts';

const limits: ArchiveLimits = { maxEntries: 10, maxBytes: 100_000, maxRatio: 100, maxFileBytes: 10_000 };
const part = (name: string, data: string | Buffer) => ({ name, data: Buffer.from(data) });

/** Every file of an archive, taken and refused apart, or why the archive is refused. */
async function unpack(bytes: Buffer, l: ArchiveLimits) {
  const unpacked = unpackArchive(bytes, l);
  if ('problem' in unpacked) return unpacked;
  const files: { name: string; bytes: Buffer }[] = [];
  const refused: { name: string; problem: ArchiveProblem }[] = [];
  for await (const file of unpacked.files)
    if ('problem' in file) refused.push(file);
    else files.push(file);
  return { files, refused };
}

describe('the files of a ZIP archive', () => {
  it('are taken from nested folders, skipping folders, __MACOSX, dot-files and Windows clutter', async () => {
    const unpacked = await unpack(
      zipOf([
        part('huyen/', ''),
        part('huyen/xa-a/a.csv', 'a,b\n1,2\n'),
        part('__MACOSX/huyen/xa-a/._a.csv', 'x'),
        part('huyen/.DS_Store', 'x'),
        part('huyen/Thumbs.db', 'x'),
        part('huyen\\xa-b\\b.json', '[]'),
      ]),
      limits,
    );
    expect('files' in unpacked && unpacked.files.map((f) => [f.name, f.bytes.toString()])).toEqual([
      ['huyen/xa-a/a.csv', 'a,b\n1,2\n'],
      ['huyen/xa-b/b.json', '[]'],
    ]);
  });

  it('have their Vietnamese names whether the tool that made it set the UTF-8 flag or not, and an old code page byte for byte', async () => {
    const unflagged = (name: string, bytes = Buffer.from(name, 'utf8')) => ({ ...part(name, 'a\n'), rawName: bytes });
    const unpacked = await unpack(
      zipOf([
        part('Báo cáo xã/Nậm Tin.csv', 'a\n'),
        unflagged('Báo cáo xã/Nậm Pồ.csv'),
        unflagged('caf\u00e9.csv', Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x2e, 0x63, 0x73, 0x76])),
      ]),
      limits,
    );
    expect('files' in unpacked && unpacked.files.map((f) => f.name)).toEqual([
      'Báo cáo xã/Nậm Tin.csv',
      'Báo cáo xã/Nậm Pồ.csv',
      'café.csv',
    ]);
  });

  it('refuse the whole archive over its limits before inflating, and one file that lies about its size or checksum by name', async () => {
    const problem = async (bytes: Buffer, l: Partial<ArchiveLimits> = {}) => {
      const r = await unpack(bytes, { ...limits, ...l });
      return 'problem' in r ? [r.problem.kind, r.problem.issue.message.en] : null;
    };
    expect(await problem(zipOf(['a', 'b', 'c'].map((n) => part(`${n}.csv`, 'a'))), { maxEntries: 2 })).toEqual([
      'limit',
      expect.stringMatching(/files in the ZIP archives of one upload limit: 3 \(at most 2\)/u),
    ]);
    expect(await problem(zipOf([{ ...part('a.csv', 'a'), declaredSize: 4_000_000_000 }]))).toEqual([
      'limit',
      expect.stringMatching(/uncompressed size.*4000000000/u),
    ]);
    expect(await problem(zipOf([part('a.csv', Buffer.alloc(90_000, 0x20))]))).toEqual([
      'limit',
      expect.stringMatching(/compression ratio/u),
    ]);
    expect(await problem(Buffer.from('PK\x03\x04 not really'))).toEqual([
      'corrupt',
      expect.stringMatching(/no zip directory/u),
    ]);

    const mixed = await unpack(
      zipOf([
        part('ok.csv', 'a,b\n'),
        { ...part('bad-crc.csv', 'a,b\n'), crc: 1 },
        { ...part('big.csv', 'x'.repeat(400)), declaredSize: 10 },
        part('huge.csv', 'y'.repeat(20_000)),
      ]),
      limits,
    );
    expect('files' in mixed && mixed.files.map((f) => f.name)).toEqual(['ok.csv']);
    expect('refused' in mixed && mixed.refused.map((r) => [r.name, r.problem.kind, r.problem.issue.code])).toEqual([
      ['bad-crc.csv', 'corrupt', 'FILE_CORRUPT'],
      ['big.csv', 'corrupt', 'FILE_CORRUPT'],
      ['huge.csv', 'tooLarge', 'FILE_TOO_LARGE'],
    ]);
  });
});
