import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { Redis } from 'ioredis';
import pg from 'pg';
import { createToken } from '../src/accounts/tokens.ts';
import { loadConfig, type Config } from '../src/config.ts';
import { connectDb, ensureDatabase, type Db } from '../src/db/connect.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { importUnits, unitsFromCsv } from '../src/units/import.ts';
import type { Deps } from '../src/deps.ts';
import type { TonghopProcess } from '../test/support/processes.ts';
import { storeSubmissions } from '../src/ingest/submissions/store.ts';
import { normalizeSubmissions } from '../src/workers/normalize/normalize.ts';

/**
 * The run's database made ready for the service's processes: created, migrated, holding the units
 * of `unitsCsv` (the CSV `tonghop units import` reads); and an admin token for the run's requests.
 */
export async function benchDatabase(config: Config, unitsCsv: string): Promise<{ db: Db; token: string }> {
  await ensureDatabase(config.DATABASE_URL);
  const db = connectDb(config.DATABASE_URL, { max: 2 });
  await migrateToLatest(db);
  await importUnits(db, unitsFromCsv(unitsCsv));
  const { token } = await createToken(db, { level: 'admin', code: null });
  return { db, token };
}

/**
 * A throwaway database and Redis prefix for one benchmark run, on the local services (or
 * BENCH_DATABASE_URL / BENCH_REDIS_URL); `drop()` removes both.
 */
export async function benchEnvironment(
  name: string,
): Promise<{ config: Config; env: Record<string, string>; drop: () => Promise<void> }> {
  const id = `${name}_${process.pid}_${randomBytes(3).toString('hex')}`;
  const base = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const url = new URL(base);
  url.pathname = `/tonghop_bench_${id}`;
  const env = {
    DATABASE_URL: url.toString(),
    REDIS_URL: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379',
    QUEUE_PREFIX: `bench_${id}`,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
  };
  return {
    env,
    config: loadConfig(env),
    drop: async () => {
      const redis = new Redis(env.REDIS_URL);
      const keys = await redis.keys(`${env.QUEUE_PREFIX}:*`);
      for (let i = 0; i < keys.length; i += 500) await redis.del(...keys.slice(i, i + 500));
      redis.disconnect();
      const admin = new pg.Client({ connectionString: base });
      await admin.connect();
      await admin.query(`drop database if exists "tonghop_bench_${id}" with (force)`);
      await admin.end();
    },
  };
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** CPU seconds (user + system) a process has used, from /proc. */
export function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** CPU seconds of every process with this command name (Postgres backends, Redis): the services' share of the machine. */
export function cpuSecondsOf(command: string): number {
  let total = 0;
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/u.test(d))) {
    try {
      if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === command) total += cpuSeconds(Number(pid));
    } catch {
      // The process ended while we looked.
    }
  }
  return total;
}

/** Stores report files as an admin's uploads of 512 at a time and normalizes them in batches of 64, as the pipeline's functions do. */
export async function storeAndNormalize(deps: Deps, files: readonly { name: string; text: string }[]): Promise<void> {
  const principal = { level: 'admin' as const, code: null, id: 'bench' };
  for (let i = 0; i < files.length; i += 512) {
    const chunk = files.slice(i, i + 512);
    const stored = await storeSubmissions(
      deps.db,
      principal,
      {},
      chunk.map((f) => ({ filename: f.name, contentType: null, bytes: Buffer.from(f.text) })),
      null,
      new Date(),
    );
    const ids = stored.map((s) => s.id);
    for (let j = 0; j < ids.length; j += 64) await normalizeSubmissions(deps, ids.slice(j, j + 64));
  }
}

/** Waits for a tonghop process to answer /health/live at `base`; one that exits first fails with its output. */
export async function untilLive(base: string, p: TonghopProcess) {
  for (let i = 0; i < 1200; i++) {
    if (p.child.exitCode !== null) throw new Error(`process exited: ${p.output().slice(-2000)}`);
    if (
      await fetch(`${base}/health/live`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('process did not come up');
}
