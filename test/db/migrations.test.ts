import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { migrateToLatest, migrationsCurrent } from '../../src/db/migrate.ts';
import { useServices } from '../support/services.ts';

const services = useServices();

describe('migrations', () => {
  it('applied again do nothing and leave the schema current', async () => {
    const before = await sql<{ n: number }>`select count(*)::int as n from information_schema.columns where table_schema in ('public', 'analytics')`.execute(services.db);
    expect(await migrateToLatest(services.db)).toEqual([]);
    expect(await migrateToLatest(services.db)).toEqual([]);
    const after = await sql<{ n: number }>`select count(*)::int as n from information_schema.columns where table_schema in ('public', 'analytics')`.execute(services.db);
    expect(after.rows[0]!.n).toBe(before.rows[0]!.n);
    expect(await migrationsCurrent(services.db)).toBe(true);
  });
});
