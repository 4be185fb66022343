import { spawnSync } from 'node:child_process';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { spoolDir, sweepSpool } from '../../src/ingest/submissions/spool.ts';
import { start, type Running } from '../../src/start.ts';
import { importUnitFile, namPo, namPoFiles, tokenFor, upload } from '../support/builders.ts';
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
    await new Promise<void>((resolve, reject) => {
      const url = new URL(running.url!);
      const socket = connect(Number(url.port), url.hostname, () => {
        socket.write(
          `POST /v1/submissions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\nContent-Type: ` +
            'multipart/form-data; boundary=B\r\nContent-Length: 100000\r\n\r\n' +
            '--B\r\nContent-Disposition: form-data; name="file"; filename="a.zip"\r\nContent-Type: application/zip\r\n\r\n',
        );
        socket.write(archive.subarray(0, 300));
        setTimeout(() => socket.destroy(), 200);
      });
      socket.on('close', () => resolve());
      socket.on('error', reject);
    });
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
