import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { Redis } from 'ioredis';
import pg from 'pg';
import { loadConfig, type Config } from '../src/config.ts';

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
