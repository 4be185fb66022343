import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { connectDb } from '../../src/db/connect.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
    redisUrl: string;
    templateDatabase: string;
  }
}

const run = promisify(execFile);

async function dockerAnswers(): Promise<boolean> {
  try {
    await run('docker', ['info'], { timeout: 5000 });
    return true;
  } catch {
    return false;
  }
}

/**
 * Where the tests' Postgres and Redis are: TEST_DATABASE_URL / TEST_REDIS_URL when set; else
 * containers, when a Docker engine answers; else the local servers on their default ports.
 */
async function services(): Promise<{ databaseUrl: string; redisUrl: string; stop: () => Promise<void> }> {
  const env = process.env;
  if (env.TEST_DATABASE_URL && env.TEST_REDIS_URL) return { databaseUrl: env.TEST_DATABASE_URL, redisUrl: env.TEST_REDIS_URL, stop: async () => {} };
  if (await dockerAnswers()) {
    const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
    const { RedisContainer } = await import('@testcontainers/redis');
    const [postgres, redis] = await Promise.all([new PostgreSqlContainer('postgres:17').start(), new RedisContainer('redis:7').start()]);
    return {
      databaseUrl: env.TEST_DATABASE_URL ?? postgres.getConnectionUri(),
      redisUrl: env.TEST_REDIS_URL ?? redis.getConnectionUrl(),
      stop: async () => {
        await Promise.all([postgres.stop(), redis.stop()]);
      },
    };
  }
  return {
    databaseUrl: env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    redisUrl: env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
    stop: async () => {},
  };
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Migrates a template database once; each test file clones it (test/support/services.ts). */
export default async function setup(project: TestProject) {
  const { databaseUrl, redisUrl, stop } = await services();
  const template = `tonghop_tpl_${process.pid}`;
  const admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${template}`);
  await admin.query(`create database ${template}`);
  const db = connectDb(withDatabase(databaseUrl, template), { max: 1 });
  await migrateToLatest(db);
  await db.destroy();
  project.provide('databaseUrl', databaseUrl);
  project.provide('redisUrl', redisUrl);
  project.provide('templateDatabase', template);

  return async () => {
    await admin.query(`drop database if exists ${template} with (force)`);
    await admin.end();
    await stop();
  };
}
