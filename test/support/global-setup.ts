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

/**
 * Where the tests' Postgres and Redis are: TEST_DATABASE_URL / TEST_REDIS_URL when set, else the
 * local servers on their default ports. (Containers started by the tests themselves were dropped
 * with testcontainers: see docs/library-choices.md.)
 */
function services(): { databaseUrl: string; redisUrl: string } {
  const env = process.env;
  return {
    databaseUrl: env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    redisUrl: env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
  };
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Migrates a template database once; each test file clones it (test/support/services.ts). */
export default async function setup(project: TestProject) {
  const { databaseUrl, redisUrl } = services();
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
  };
}
