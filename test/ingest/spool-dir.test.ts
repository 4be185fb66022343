import { chown, lstat, mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { zipOf } from '../support/report-files.ts';

/**
 * The spool lies in the shared temporary directory, and an archive waits there for its turn: a
 * directory another user made (or a link to one) lets that user swap the archive for their own,
 * stored under the uploader's token. Each case has a temporary directory of its own (TMPDIR),
 * so the spool of other test files is never touched.
 */
let root: string;
const archive = zipOf([{ name: '03157.csv', data: Buffer.from('village,households\nBản A,1\n') }]);

async function spoolIn(prepare: (spoolDir: string) => Promise<void>) {
  const tmp = await mkdtemp(join(root, 'case-'));
  vi.stubEnv('TMPDIR', tmp);
  vi.resetModules();
  const spool = await import('../../src/ingest/submissions/spool.ts');
  await prepare(spool.spoolDir);
  const read = spool.readPart(
    (async function* () {
      yield archive;
    })(),
    'huyen.zip',
  );
  return { spool, read };
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'tonghop-spool-dir-'));
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await rm(root, { recursive: true, force: true });
});

describe('the spool directory is the process user’s own', () => {
  // Only root can give a directory to another user.
  it.skipIf(process.getuid?.() !== 0)(
    'one another user made, writable by all, is refused (500), not written into',
    async () => {
      const { spool, read } = await spoolIn(async (dir) => {
        await mkdir(dir, { mode: 0o777 });
        await chown(dir, 65534, 65534);
      });
      await expect(read).rejects.toBeInstanceOf(spool.SpoolFailure);
      expect(await readdir(spool.spoolDir)).toEqual([]);
    },
  );

  it('a link to another directory is refused', async () => {
    const elsewhere = await mkdtemp(join(root, 'elsewhere-'));
    const { spool, read } = await spoolIn((dir) => symlink(elsewhere, dir));
    await expect(read).rejects.toBeInstanceOf(spool.SpoolFailure);
    expect(await readdir(elsewhere)).toEqual([]);
  });

  it('at start, a link in its place is not swept: the files of the directory it points to stay', async () => {
    const elsewhere = await mkdtemp(join(root, 'elsewhere-'));
    await writeFile(join(elsewhere, 'precious.conf'), 'kept');
    const { spool, read } = await spoolIn((dir) => symlink(elsewhere, dir));
    await read.catch(() => undefined);
    await spool.sweepSpool();
    expect(await readdir(elsewhere)).toEqual(['precious.conf']);
  });

  it('its own is made, or left, readable and writable by its user alone', async () => {
    const { spool, read } = await spoolIn((dir) => mkdir(dir, { mode: 0o755 }));
    const part = await read;
    expect('archive' in part).toBe(true);
    expect((await lstat(spool.spoolDir)).mode & 0o777).toBe(0o700);
    await spool.removeSpooled(['archive' in part ? part.archive : '']);
  });
});
