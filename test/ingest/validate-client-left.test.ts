import { connect } from 'node:net';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.ts';
import { spoolDir } from '../../src/ingest/submissions/spool.ts';
import { start } from '../../src/start.ts';
import { importUnitFile, namPo, namPoFiles, tokenFor, upload } from '../support/builders.ts';
import { zipOf } from '../support/report-files.ts';
import { useServices } from '../support/services.ts';

const services = useServices();

/** This process's spool files (the ingest of this test runs in it). */
const ours = async () =>
  (await readdir(spoolDir).catch(() => [] as string[])).filter((name) => name.startsWith(`${process.pid}-`));

describe('POST /v1/validate whose client goes away while its archive is judged', () => {
  it('judges no further, leaves no spool file, and the next archive upload gets the turn', async () => {
    const lines: Record<string, any>[] = [];
    const log = createLogger(
      'info',
      new Writable({ write: (chunk, _enc, done) => void (lines.push(JSON.parse(String(chunk))), done()) }),
    );
    const ingest = await start(services.config, 'ingest', { log });
    try {
      await importUnitFile(services.db, join(namPo, 'units.csv'));
      const token = await tokenFor(services.db, 'province', '11');
      const [report] = await namPoFiles((n) => n.startsWith('03156') && n.endsWith('.csv'));
      // A district's worth of reports many times over: judging them takes a while, long after the upload is read.
      const count = 1000;
      const archive = zipOf(
        Array.from({ length: count }, (_, i) => ({
          name: `${String(i).padStart(4, '0')}-${report!.name}`,
          data: Buffer.from(report!.bytes),
        })),
      );
      const head = Buffer.from(
        '--B\r\nContent-Disposition: form-data; name="file"; filename="huyen.zip"\r\nContent-Type: application/zip\r\n\r\n',
      );
      const body = Buffer.concat([head, archive, Buffer.from('\r\n--B--\r\n')]);
      const url = new URL(ingest.url!);
      const socket = connect(Number(url.port), url.hostname);
      const answer: Buffer[] = [];
      socket.on('data', (c: Buffer) => answer.push(c));
      const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
      await new Promise<void>((resolve) => socket.on('connect', resolve));
      await new Promise<void>((resolve) =>
        socket.write(
          Buffer.concat([
            Buffer.from(
              `POST /v1/validate HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\n` +
                `Content-Type: multipart/form-data; boundary=B\r\nContent-Length: ${body.length}\r\n\r\n`,
            ),
            body,
          ]),
          () => resolve(),
        ),
      );
      // The whole upload is sent; the ingest writes the archive to its spool, then judges file after
      // file. The client leaves once the archive lies whole on disk: the judging has begun, or is
      // about to (the first file is then the one not judged), and lasts a second or more.
      let spooled = 0;
      for (let i = 0; i < 500 && spooled < archive.length; i++) {
        await new Promise((r) => setTimeout(r, 10));
        const [name] = await ours();
        spooled = name
          ? await stat(join(spoolDir, name)).then(
              (s) => s.size,
              () => 0,
            )
          : 0;
      }
      expect(spooled).toBe(archive.length);
      socket.destroy();
      await closed;
      expect(Buffer.concat(answer).length, 'answered before the client left: judging was too quick to test').toBe(0);

      // The next province's archive is stored: the turn was given back.
      const files = await namPoFiles((n) => n.startsWith('0315'));
      const next = await upload(ingest.url!, token, [
        { name: 'ke-tiep.zip', bytes: zipOf(files.map((f) => ({ name: f.name, data: Buffer.from(f.bytes) }))) },
      ]);
      expect(next.status).toBe(202);

      // A request with no socket of its own (Fastify's inject, as an embedding program sends) is no client gone.
      const injected = await ingest.app!.inject({
        method: 'POST',
        url: '/v1/validate',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'multipart/form-data; boundary=B' },
        payload: Buffer.concat([
          head,
          zipOf([{ name: report!.name, data: Buffer.from(report!.bytes) }]),
          Buffer.from('\r\n--B--\r\n'),
        ]),
      });
      expect([injected.statusCode, injected.json().results.length], injected.body).toEqual([200, 1]);

      const stopped = lines.find((l) => l.msg === 'validate stopped: the client went away');
      expect(stopped, JSON.stringify(lines.map((l) => l.msg))).toBeDefined();
      expect(stopped!.judged).toBeLessThan(count);
      // The request has its access line, as a request that ended with its client gone.
      const gone = lines.filter((l) => l.msg === 'request ended: the client went away');
      expect(gone.map((l) => [l.req?.method, l.req?.url, l.res?.statusCode])).toEqual([['POST', '/v1/validate', 499]]);
      expect(lines.filter((l) => l.msg === 'request completed').map((l) => l.res?.statusCode)).toEqual([202, 200]);
      // Stopping is no failure: nothing is logged as an error.
      expect(lines.filter((l) => l.level >= 50)).toEqual([]);
      // Spool files go once their requests are done, the one answered a moment ago too.
      let left = await ours();
      for (let i = 0; i < 50 && left.length > 0; i++) {
        await new Promise((r) => setTimeout(r, 20));
        left = await ours();
      }
      expect(left).toEqual([]);
    } finally {
      await ingest.stop();
    }
  });
});
