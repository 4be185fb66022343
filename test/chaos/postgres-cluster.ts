import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/** A Postgres cluster of our own: it can be crashed (SIGKILL of its postmaster) without touching anyone else's. */
export type PostgresCluster = {
  readonly port: number;
  /** The `postgres` database of the cluster, as user postgres (trust, loopback only). */
  readonly url: string;
  /** SIGKILL the postmaster and every backend: a crash; the next start runs crash recovery. */
  crash(): Promise<void>;
  /** Starts it again on the same directory and port; resolves once it accepts connections (after crash recovery), with the ms that took. */
  start(): Promise<number>;
  stop(): Promise<void>;
};

/** The newest installed server binaries (Debian's /usr/lib/postgresql/<major>/bin), or PG_BIN. */
function binDir(): string {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const majors = existsSync('/usr/lib/postgresql')
    ? readdirSync('/usr/lib/postgresql')
        .filter((d) => /^\d+$/u.test(d))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (majors.length === 0)
    throw new Error('no Postgres server binaries in /usr/lib/postgresql: install postgresql, or set PG_BIN');
  return `/usr/lib/postgresql/${majors[0]}/bin`;
}
const bin = (name: string) => join(binDir(), name);

/** Postgres refuses to run as root: as root, the cluster belongs to the `postgres` user. */
function owner(): { uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null;
  return {
    uid: Number(execFileSync('id', ['-u', 'postgres']).toString().trim()),
    gid: Number(execFileSync('id', ['-g', 'postgres']).toString().trim()),
  };
}

/** Polls until the cluster answers `select 1`, or throws after `timeoutMs`. */
async function waitUntilUp(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
    client.on('error', () => {});
    try {
      await client.connect();
      await client.query('select 1');
      await client.end();
      return;
    } catch (error) {
      await client.end().catch(() => undefined);
      if (Date.now() > deadline) throw new Error(`postgres on ${url} did not answer: ${String(error)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

/**
 * initdb into a fresh directory and start `postgres` on `port` (loopback, its socket in that
 * directory), with the server's defaults: fsync on, so a crash loses nothing committed and its
 * recovery takes as long as it would in production.
 */
export async function startPostgresCluster(port: number): Promise<PostgresCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'tonghop-pg-'));
  const data = join(dir, 'data');
  const who = owner();
  if (who) {
    chownSync(dir, who.uid, who.gid);
    chmodSync(dir, 0o700);
  }
  execFileSync(bin('initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8'], {
    stdio: 'ignore',
    ...(who ?? {}),
  });
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  let child: ChildProcess | null = null;
  let exited: Promise<void> = Promise.resolve();
  const orphaned = () => child?.kill('SIGKILL');
  process.on('exit', orphaned);

  const launch = async (): Promise<number> => {
    const began = performance.now();
    const c = spawn(
      bin('postgres'),
      [
        '-D',
        data,
        '-p',
        String(port),
        '-k',
        dir,
        '-c',
        'listen_addresses=127.0.0.1',
        '-c',
        'max_connections=200',
        '-c',
        'logging_collector=off',
      ],
      {
        stdio: ['ignore', 'ignore', 'pipe'],
        ...(who ?? {}),
      },
    );
    let log = '';
    c.stderr!.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-4000)));
    child = c;
    exited = new Promise((resolve) => c.once('exit', () => resolve()));
    try {
      await waitUntilUp(url, 120_000);
    } catch (error) {
      throw new Error(`${String(error)}\n${log}`);
    }
    return performance.now() - began;
  };

  /** The postmaster's children (backends, checkpointer, walwriter…), which outlive a SIGKILLed postmaster for a moment. */
  const children = (pid: number): number[] => {
    try {
      return execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)])
        .toString()
        .split('\n')
        .map((l) => Number(l.trim()))
        .filter((n) => n > 0);
    } catch {
      return [];
    }
  };

  await launch();
  return {
    port,
    url,
    crash: async () => {
      const c = child;
      if (!c?.pid) return;
      const backends = children(c.pid);
      c.kill('SIGKILL');
      for (const pid of backends) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // Gone already.
        }
      }
      await exited;
      // The shared memory is released once the last backend has gone; a start before that fails.
      for (let i = 0; i < 100 && backends.some(alive); i += 1) await new Promise((r) => setTimeout(r, 50));
    },
    start: launch,
    stop: async () => {
      child?.kill('SIGINT');
      await exited;
      process.off('exit', orphaned);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
