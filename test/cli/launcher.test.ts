import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { waitFor } from '../support/builders.ts';
import { useServices } from '../support/services.ts';

const services = useServices();
const bin = fileURLToPath(new URL('../../bin/', import.meta.url));

/** A Node older than 24 on this machine (a distribution's 20, say), as a fresh clone's `npx tonghop` would meet it. */
const olderNode = ['/usr/bin/node', '/usr/local/bin/node'].find((path) => {
  const v = spawnSync(path, ['-p', 'process.versions.node'], { encoding: 'utf8' });
  return v.status === 0 && Number(v.stdout.split('.')[0]) < 24;
});

describe.skipIf(olderNode === undefined)(`bin/tonghop.js on an older Node (${olderNode})`, () => {
  const env = { ...process.env, ...services.env, LOG_LEVEL: 'info' };

  it('hands over to the Node that npm ci installed: same arguments, output and exit code', () => {
    const version = spawnSync(olderNode!, [join(bin, 'tonghop.js'), '--version'], { env, encoding: 'utf8' });
    // The tests themselves run on that Node (npm puts node_modules/.bin first).
    expect(version.stdout).toContain(` (Node ${process.versions.node})\n`);
    expect(version.status).toBe(0);
    const refused = spawnSync(olderNode!, [join(bin, 'tonghop.js'), 'token', 'create', '--commune', '99999'], {
      env,
      encoding: 'utf8',
    });
    expect(refused.stderr).toMatch(/^tonghop: no commune 99999/u);
    expect(refused.status).toBe(1);
  });

  it('passes SIGTERM on: a started pipeline stops cleanly and the exit code is its own', async () => {
    const child = spawn(olderNode!, [join(bin, 'tonghop.js'), 'start', '--role', 'ingest'], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await waitFor(async () => out.includes('listening on http://') || undefined, 'tonghop started', 60_000);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(out).toMatch(/"msg":"stopped"/u);
  }, 90_000);

  it('without a bundled Node, says which Node is needed and how to get it', () => {
    const alone = mkdtempSync(join(tmpdir(), 'tonghop-bin-'));
    for (const f of ['tonghop.js', 'hand-over.js']) copyFileSync(join(bin, f), join(alone, f));
    const run = spawnSync(olderNode!, [join(alone, 'tonghop.js'), '--version'], { env, encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('tonghop: needs Node.js 24 or newer; this is Node ');
    expect(run.stderr).toContain('tonghop: cần Node.js 24 trở lên');
    expect(run.stderr).toContain('install Node 26 (24 at least): https://nodejs.org/en/download');
  });
});
