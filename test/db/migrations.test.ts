import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { describe, expect, inject, it } from 'vitest';
import { connectDb, type Db } from '../../src/db/connect.ts';
import { latestMigration, migrateToLatest, migrationsCurrent } from '../../src/db/migrate.ts';
import { useServices } from '../support/services.ts';

const services = useServices();

const columnCount = async (db: Db) =>
  (
    await sql<{
      n: number;
    }>`select count(*)::int as n from information_schema.columns where table_schema in ('public', 'analytics')`.execute(
      db,
    )
  ).rows[0]!.n;

describe('migrations', () => {
  it('applied again do nothing and leave the schema current', async () => {
    const before = await columnCount(services.db);
    expect(await migrateToLatest(services.db)).toEqual([]);
    expect(await migrateToLatest(services.db)).toEqual([]);
    expect(await columnCount(services.db)).toBe(before);
    expect(await migrationsCurrent(services.db)).toBe(true);
  });

  it('build an empty database up to the latest, and a second run does nothing: the same schema as the template', async () => {
    const name = `tonghop_empty_${randomBytes(4).toString('hex')}`;
    const url = new URL(inject('databaseUrl'));
    const admin = new pg.Client({ connectionString: url.toString() });
    await admin.connect();
    await admin.query(`create database ${name}`);
    url.pathname = `/${name}`;
    const db = connectDb(url.toString(), { max: 1 });
    try {
      expect(await migrationsCurrent(db)).toBe(false);
      const applied = await migrateToLatest(db);
      expect(applied.at(-1)).toBe(latestMigration);
      expect(applied[0]).toMatch(/^0001-/u);
      expect(await migrationsCurrent(db)).toBe(true);
      expect(await migrateToLatest(db)).toEqual([]);
      expect(await columnCount(db)).toBe(await columnCount(services.db));
    } finally {
      await db.destroy();
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    }
  });
});
