import { request } from 'node:http';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Running } from '../../src/start.ts';
import { importUnitFile, namPo, namPoFiles, settled, tokenFor, upload } from '../support/builders.ts';
import { useServices } from '../support/services.ts';

const services = useServices();
let running: Running;
let token: string;
/** A stored CSV report, as uploaded. */
let stored: { id: number; bytes: Buffer };

beforeAll(async () => {
  running = await services.start('all');
  await importUnitFile(services.db, join(namPo, 'units.csv'));
  token = await tokenFor(services.db, 'province', '11');
  for (const file of await namPoFiles()) {
    const sent = await upload(running.url!, token, [file]);
    expect(sent.status).toBe(202);
    if (file.name.endsWith('.csv')) stored ??= { id: sent.body.submissions[0].id, bytes: Buffer.from(file.bytes) };
  }
  await settled(services.db, running.deps.queues);
});

/** A GET as a client sends it, the bytes as they come over the wire (fetch would inflate them). */
function raw(path: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }>(
    (resolve, reject) => {
      const req = request(new URL(path, running.url!), { headers: { authorization: `Bearer ${token}`, ...headers } });
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
      });
      req.on('error', reject);
      req.end();
    },
  );
}

const inflate = (encoding: string | string[] | undefined, body: Buffer) =>
  encoding === 'br' ? brotliDecompressSync(body) : encoding === 'gzip' ? gunzipSync(body) : body;

describe('answers travel compressed to a client that asks', () => {
  it('JSON and CSV answers in brotli or gzip, the same bytes once inflated, and much smaller', async () => {
    for (const path of ['/v1/snapshots?province=11&period=2023-Q2', '/v1/snapshots?province=11&format=csv']) {
      const plain = await raw(path);
      expect(plain.status).toBe(200);
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(plain.body.length).toBeGreaterThan(10_000);
      for (const [asked, got] of [
        ['br, gzip', 'gzip'],
        ['deflate, gzip', 'gzip'],
        ['br', 'br'],
        ['gzip;q=0, br', 'br'],
      ] as const) {
        const packed = await raw(path, { 'accept-encoding': asked });
        expect([packed.status, packed.headers['content-encoding']], `${path} ${asked}`).toEqual([200, got]);
        expect(String(packed.headers.vary)).toMatch(/accept-encoding/iu);
        expect(inflate(packed.headers['content-encoding'], packed.body).equals(plain.body), path).toBe(true);
        expect(packed.body.length).toBeLessThan(plain.body.length / 4);
      }
    }
  });

  it('leaves alone what is compressed already (a workbook), a stored report, and what a client did not ask for', async () => {
    const xlsx = await raw('/v1/snapshots?province=11&format=xlsx', { 'accept-encoding': 'br, gzip' });
    expect([xlsx.status, xlsx.headers['content-encoding']]).toEqual([200, undefined]);
    expect(xlsx.body.subarray(0, 2).toString()).toBe('PK');

    const identity = await raw('/v1/snapshots?province=11&period=2023-Q2', { 'accept-encoding': 'identity' });
    expect([identity.status, identity.headers['content-encoding']]).toEqual([200, undefined]);

    // A stored report goes back byte for byte under its sha256 (its ETag), CSV text though it is.
    const report = await raw(`/v1/submissions/${stored.id}/file`, { 'accept-encoding': 'gzip, br' });
    expect([report.status, report.headers['content-encoding']]).toEqual([200, undefined]);
    expect(report.body.equals(stored.bytes)).toBe(true);
  });

  it('never inflates a request body: its limits count the bytes as sent', async () => {
    // A login is JSON: inflated, this would be read as a wrong password (401).
    const { gzipSync } = await import('node:zlib');
    const sent = await fetch(new URL('/v1/session', running.url!), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      body: gzipSync(JSON.stringify({ username: 'nobody', password: 'wrong' })),
    });
    expect(sent.status).toBe(400);
  });
});
