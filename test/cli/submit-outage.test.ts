import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fetchRetrying, type RetryNotice } from '../../src/cli/retrying-fetch.ts';
import { freePort } from '../chaos/redis-server.ts';
import { namPo, tokenFor, waitFor } from '../support/builders.ts';
import { spawnTonghop } from '../support/child.ts';
import { useOwnServices } from '../support/own-services.ts';

const own = useOwnServices();

describe('tonghop submit through an outage', () => {
  it('started while Postgres is down, it says so on a line of its own, waits, and finishes by itself once Postgres is back, with one submission', {
    timeout: 180_000,
  }, async () => {
    // A province's token: the summary then shows the district and province figures the file changed.
    const token = await tokenFor(own.db, 'province', '11');
    await own.cluster.crash();
    const submit = spawnTonghop(['submit', join(namPo, '03156-hts-xa-2023-Q2.json')], {
      TONGHOP_URL: own.running.url!,
      TONGHOP_TOKEN: token,
      LOG_LEVEL: 'silent',
    });
    // It heard 503 and told the person what is happening and when it tries again.
    await waitFor(
      async () =>
        submit.lines.some((l) => l.startsWith('Hệ thống đang gián đoạn (503), tệp chưa được nhận; sẽ thử lại sau')),
      'the outage notice',
      60_000,
    );
    const notice = submit.lines.find((l) => l.startsWith('Hệ thống đang gián đoạn'))!;
    expect(notice).toMatch(
      /sẽ thử lại sau \d+ giây \(lúc \d{2}:\d{2}:\d{2}, lần \d+\)\. \/ the service is interrupted \(503\); the file was not received; trying again in \d+ s/u,
    );
    await own.cluster.start();
    expect(await submit.exited, submit.lines.join('\n') + submit.stderr.join('')).toBe(0);
    const out = submit.lines.join('\n');
    expect(out).toContain('accepted');
    const stored = await own.db
      .selectFrom('submission')
      .select(['status'])
      .where('filename', '=', '03156-hts-xa-2023-Q2.json')
      .execute();
    expect(stored).toEqual([{ status: 'accepted' }]);
  });

  it('a refused connection is tried again with growing waits, each told, and given up after the bound with the error', async () => {
    const port = await freePort();
    const notices: RetryNotice[] = [];
    const waits: number[] = [];
    const error = await fetchRetrying(
      new URL(`http://127.0.0.1:${port}/v1/forms`),
      () => ({}),
      (n) => notices.push(n),
      {
        giveUpAfterMs: 5000,
        // The waits are noted, not waited: a tenth of a second each.
        sleep: async (ms) => {
          waits.push(ms);
          await new Promise((r) => setTimeout(r, 100));
        },
      },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect(notices.length).toBeGreaterThan(1);
    // 1 s, then 2 s: growing (each cut to what is left of the bound).
    expect(waits[0]).toBe(1000);
    expect(waits[1]).toBeGreaterThan(1000);
    expect(notices[0]!.trouble.vi).toContain(`Không kết nối được tới http://127.0.0.1:${port} (ECONNREFUSED)`);
    expect(waits[0]).toBeLessThanOrEqual(1000);
  });

  it('a connection dropped before the answer is tried again and then answered', async () => {
    let dropped = 0;
    const server = createServer((socket) => {
      if (dropped < 2) {
        dropped += 1;
        socket.destroy();
        return;
      }
      socket.end(
        'HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{}',
      );
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as { port: number };
    const notices: RetryNotice[] = [];
    try {
      const r = await fetchRetrying(
        new URL(`http://127.0.0.1:${port}/`),
        () => ({}),
        (n) => notices.push(n),
        { sleep: async () => {} },
      );
      expect(r.status).toBe(200);
      expect(notices.map((n) => n.attempt)).toEqual([1, 2]);
    } finally {
      server.close();
    }
  });
});
