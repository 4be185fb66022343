import { createHash, randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { spoolDir, sweepSpool } from '../../src/ingest/submissions/spool.ts';
import { start, type Running } from '../../src/start.ts';
import { abandonUpload, importUnitFile, namPo, namPoFiles, tokenFor, upload, validate } from '../support/builders.ts';
import { zipOf } from '../support/report-files.ts';
import { useServices } from '../support/services.ts';

const services = useServices();
let running: Running;
let token: string;

beforeAll(async () => {
  running = await services.start('ingest');
  await importUnitFile(services.db, join(namPo, 'units.csv'));
  token = await tokenFor(services.db, 'province', '11');
});

/** This process's spool files: the ingest of these tests runs in it, and other test files' processes have their own. */
const ours = async () =>
  (await readdir(spoolDir).catch(() => [] as string[])).filter((name) => name.startsWith(`${process.pid}-`));

describe('ZIP archives wait on disk, not in memory, and leave nothing there', () => {
  it('an archive stored beside a workbook, one damaged, one cut off by its client, one over the size limit: no spool file remains', async () => {
    const files = await namPoFiles((n) => n.startsWith('0315'));
    const archive = zipOf(files.map((f) => ({ name: f.name, data: Buffer.from(f.bytes) })));
    // A workbook is a ZIP too: spooled while read, then taken as the one report it is, not opened.
    const workbook = zipOf([{ name: 'xl/workbook.xml', data: Buffer.from('<workbook/>') }]);
    const stored = await upload(running.url!, token, [
      { name: 'huyen.zip', bytes: archive },
      { name: 'bang.xlsx', bytes: workbook },
    ]);
    expect(stored.status).toBe(202);
    expect(stored.body.submissions.map((s: { filename: string }) => s.filename)).toEqual([
      ...files.map((f) => f.name),
      'bang.xlsx',
    ]);

    // A damaged archive (its directory cut off) is refused by name, as before spooling.
    const damaged = await upload(running.url!, token, [{ name: 'hong.zip', bytes: archive.subarray(0, 200) }]);
    expect(damaged.status, JSON.stringify(damaged.body)).toBeGreaterThanOrEqual(400);

    // A client that goes away in the middle of its archive.
    await abandonUpload(running.url!, token, '/v1/submissions', archive.subarray(0, 300));
    await new Promise((r) => setTimeout(r, 300));

    // An archive over the file size limit is cut while read, refused by name, and its spool file goes with it.
    const small = await start({ ...services.config, MAX_FILE_BYTES: 300 }, 'ingest');
    try {
      const cut = await upload(small.url!, token, [{ name: 'lon.zip', bytes: archive }]);
      expect([cut.status, cut.body.error.code]).toEqual([413, 'TONGHOP_ERR_FILE_TOO_LARGE']);
    } finally {
      await small.stop();
    }
    expect(await ours()).toEqual([]);
  });

  it('at start, the spool files of a process no longer running are removed, a running one’s kept', async () => {
    const gone = spawnSync(process.execPath, ['-e', '']).pid;
    await mkdir(spoolDir, { recursive: true });
    const stale = join(spoolDir, `${gone}-left-by-a-crash.zip`);
    const live = join(spoolDir, `${process.pid}-in-use.zip`);
    await writeFile(stale, 'PK');
    await writeFile(live, 'PK');
    await sweepSpool();
    const left = await readdir(spoolDir);
    expect(left).not.toContain(`${gone}-left-by-a-crash.zip`);
    expect(left).toContain(`${process.pid}-in-use.zip`);
    await rm(live);
  });
});

describe('POST /v1/validate reads archives as POST /v1/submissions does', () => {
  /** A verdict as the answer gives it, without what says where the file came from or when its check expires. */
  const verdicts = (body: { results: Record<string, unknown>[] }) =>
    body.results.map(({ archive: _archive, ...verdict }) => verdict);

  it('a ZIP of several reports: the same verdicts as its files sent one by one, and no spool file left', async () => {
    const files = await namPoFiles((n) => n.startsWith('0316'));
    // One of them wrong, to have more than one kind of verdict.
    files.push({ name: '03169-hts-ban-2023-Q2.csv', bytes: 'commune,period\n03169,2023-Q2\n' });
    // With what a Mac adds (skipped), 2.5 MB of it: the archive goes to Postgres in several pieces when kept.
    const archive = zipOf([
      ...files.map((f) => ({ name: f.name, data: Buffer.from(f.bytes) })),
      { name: '__MACOSX/._huyen', data: randomBytes(2_500_000), store: true },
    ]);
    const one = await validate(running.url!, token, files);
    const zipped = await validate(running.url!, token, [{ name: 'huyen.zip', bytes: archive }]);
    expect([one.status, zipped.status]).toEqual([200, 200]);
    expect(zipped.body.results.length).toBe(files.length);
    expect(new Set(zipped.body.results.map((r: { archive: string }) => r.archive))).toEqual(new Set(['huyen.zip']));
    expect(new Set(zipped.body.results.map((r: { valid: boolean }) => r.valid))).toEqual(new Set([true, false]));
    expect(verdicts(zipped.body)).toEqual(verdicts(one.body));
    expect(await ours()).toEqual([]);
    // Kept whole for "send by check", as sent, though read from the spool a piece at a time.
    const sha256 = createHash('sha256').update(archive).digest('hex');
    expect(zipped.body.checked.map((c: { filename: string; check: string }) => [c.filename, c.check])).toEqual([
      ['huyen.zip', sha256],
    ]);
    const kept = await services.db
      .selectFrom('checked_file')
      .select(['bytes', 'byte_size'])
      .where('sha256', '=', sha256)
      .executeTakeFirstOrThrow();
    expect([kept.byte_size, Buffer.compare(kept.bytes, archive)]).toEqual([archive.length, 0]);
  });

  it('a damaged archive is refused by name, and a client gone mid-archive leaves nothing: its archive was on disk, not in memory', async () => {
    const files = await namPoFiles((n) => n.startsWith('0315'));
    const archive = zipOf(files.map((f) => ({ name: f.name, data: Buffer.from(f.bytes) })));
    const damaged = await validate(running.url!, token, [{ name: 'hong.zip', bytes: archive.subarray(0, 200) }]);
    expect([damaged.status, damaged.body.error.code]).toEqual([400, 'TONGHOP_ERR_ARCHIVE_CORRUPT']);
    expect(await ours()).toEqual([]);

    let spooled: string[] = [];
    await abandonUpload(running.url!, token, '/v1/validate', archive.subarray(0, 300), async () => {
      for (let i = 0; i < 50 && spooled.length === 0; i++) {
        await new Promise((r) => setTimeout(r, 20));
        spooled = await ours();
      }
    });
    expect(spooled).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 300));
    expect(await ours()).toEqual([]);
  });
});
