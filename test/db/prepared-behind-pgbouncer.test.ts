import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { connectDb } from '../../src/db/connect.ts';
import { useServices } from '../support/services.ts';

/**
 * docs/operations.md offers PgBouncer in transaction pooling in front of Postgres: there, the
 * client connections of the serving processes take turns on the same server connections, whose
 * prepared statements they share. PgBouncer before 1.21 (Debian 12 ships 1.18) passes statement
 * names through as they are.
 */
const pgbouncer = ['/usr/sbin/pgbouncer', '/usr/bin/pgbouncer'].find((p) => existsSync(p));
const services = useServices();
let dir: string;
let bouncer: ChildProcess;
let bouncerUrl: string;

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

beforeAll(async () => {
  if (!pgbouncer) return;
  dir = await mkdtemp(join(tmpdir(), 'tonghop-pgbouncer-'));
  await chmod(dir, 0o755);
  const target = new URL(services.env.DATABASE_URL!);
  const port = await freePort();
  await writeFile(join(dir, 'users.txt'), `"${target.username || 'postgres'}" ""\n`);
  await writeFile(
    join(dir, 'pgbouncer.ini'),
    `[databases]\n* = host=${target.hostname} port=${target.port || 5432}\n` +
      `[pgbouncer]\nlisten_addr = 127.0.0.1\nlisten_port = ${port}\nauth_type = trust\nauth_file = ${dir}/users.txt\n` +
      `pool_mode = transaction\ndefault_pool_size = 1\nunix_socket_dir =\n`,
  );
  // PgBouncer will not run as root: it drops to nobody, who reads the files above.
  bouncer = spawn(
    pgbouncer,
    process.getuid?.() === 0 ? ['-u', 'nobody', `${dir}/pgbouncer.ini`] : [`${dir}/pgbouncer.ini`],
    {
      stdio: 'ignore',
    },
  );
  target.port = String(port);
  bouncerUrl = target.toString();
  for (let i = 0; i < 50; i += 1) {
    const ready = await new Promise<boolean>((resolve) => {
      const probe = createServer();
      probe.once('error', () => resolve(true));
      probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(false)));
    });
    if (ready) break;
    await new Promise((r) => setTimeout(r, 100));
  }
});
afterAll(async () => {
  bouncer?.kill();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe.skipIf(!pgbouncer)('the serving pool behind PgBouncer in transaction pooling', () => {
  it('with DATABASE_PREPARE=off, as operations.md says there: two serving processes, every read answered, each right', async () => {
    const { DATABASE_PREPARE: prepare } = loadConfig({ ...services.env, DATABASE_PREPARE: 'off' });
    const a = connectDb(bouncerUrl, { max: 1, prepare });
    const b = connectDb(bouncerUrl, { max: 1, prepare });
    try {
      // Two SELECTs of the same shape, as a token lookup and a unit lookup are: one text parameter each.
      const upper = (text: string) => sql<{ v: string }>`select upper(${text}::text) as v`.execute(a);
      const lower = (text: string) => sql<{ v: string }>`select lower(${text}::text) as v`.execute(b);
      for (let i = 0; i < 3; i += 1) {
        expect((await upper(`Xã ${i}`)).rows).toEqual([{ v: `XÃ ${i}` }]);
        expect((await lower(`Xã ${i}`)).rows).toEqual([{ v: `xã ${i}` }]);
      }
    } finally {
      await a.destroy();
      await b.destroy();
    }
  });
});
