import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import pg from 'pg';
import { pino } from 'pino';
import { afterAll, beforeAll, inject } from 'vitest';
import { loadConfig, type Config } from '../../src/config.ts';
import { connectDb, type Db } from '../../src/db/connect.ts';
import { start, type Role, type Running } from '../../src/start.ts';

export type TestServices = {
  /** The configuration a tonghop process of this test file runs with: its own database and Redis prefix. */
  config: Config;
  env: Record<string, string>;
  db: Db;
  /** Starts a tonghop process of the given role inside the test process; stopped after the file. `now` sets its clock. */
  start(role?: Role, overrides?: Partial<Config>, options?: { now?: () => Date }): Promise<Running>;
};

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/**
 * Gives the calling test file its own database, cloned from the migrated template, and its own
 * BullMQ key prefix, so files run in parallel on one Postgres and one Redis.
 */
export function useServices(settings: Record<string, string> = {}): TestServices {
  const id = `${process.pid}_${randomBytes(4).toString('hex')}`;
  const baseUrl = inject('databaseUrl');
  const redisUrl = inject('redisUrl');
  const name = `tonghop_test_${id}`;
  const env: Record<string, string> = {
    DATABASE_URL: withDatabase(baseUrl, name),
    REDIS_URL: redisUrl,
    QUEUE_PREFIX: `t${id}`,
    PORT: '0',
    HOST: '127.0.0.1',
    METRICS_PORT: '0',
    LOG_LEVEL: 'silent',
    ROLLUP_DEBOUNCE_MS: '50',
    // Test files share two cores with each other: a worker process lowered below them would starve (batch-priority.test.ts sets it).
    BATCH_NICE: '0',
    ...settings,
  };
  const running: Running[] = [];
  const services = { env, config: loadConfig(env) } as TestServices;

  beforeAll(async () => {
    const admin = new pg.Client({ connectionString: baseUrl });
    await admin.connect();
    await admin.query(`create database ${name} template ${inject('templateDatabase')}`);
    await admin.end();
    services.db = connectDb(env.DATABASE_URL!, { max: 4 });
  });

  services.start = async (role = 'all', overrides = {}, options = {}) => {
    const r = await start({ ...services.config, ...overrides }, role, {
      log: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
      now: options.now,
    });
    running.push(r);
    return r;
  };

  afterAll(async () => {
    for (const r of running.reverse()) await r.stop();
    await services.db?.destroy();
    const redis = new Redis(redisUrl);
    const keys = await redis.keys(`${env.QUEUE_PREFIX}:*`);
    for (let i = 0; i < keys.length; i += 500) await redis.del(...keys.slice(i, i + 500));
    redis.disconnect();
    const admin = new pg.Client({ connectionString: baseUrl });
    await admin.connect();
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  });

  return services;
}
