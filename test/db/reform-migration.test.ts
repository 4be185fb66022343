import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { latestMigration, migrateToLatest } from '../../src/db/migrate.ts';
import { useServices } from '../support/services.ts';

const services = useServices();

describe('migration 0002-reform', () => {
  it('is applied, and applying the migrations again does no harm', async () => {
    // Later migrations (accounts, recast aliases) come after it.
    expect(latestMigration >= '0002-reform').toBe(true);
    const applied = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(services.db);
    expect(applied.rows.map((r) => r.name)).toContain('0002-reform');
    expect(await migrateToLatest(services.db)).toEqual([]);
  });

  it('lets the analyst role read the recast views and nothing of the tables behind them', async () => {
    // One connection throughout: a role is a setting of the session.
    await services.db.connection().execute(async (conn) => {
      await sql`set role analyst`.execute(conn);
      try {
        await expect(
          sql`select count(*) from analytics.indicator_snapshot_recast`.execute(conn),
        ).resolves.toBeDefined();
        await expect(
          sql`select count(*) from analytics.indicator_snapshot_recast_history`.execute(conn),
        ).resolves.toBeDefined();
        await expect(sql`select count(*) from analytics.recast_lineage`.execute(conn)).resolves.toBeDefined();
        await expect(sql`select count(*) from recast_row`.execute(conn)).rejects.toThrow(/permission denied/u);
        await expect(sql`select count(*) from recast_alias`.execute(conn)).rejects.toThrow(/permission denied/u);
        await expect(sql`select count(*) from village_assignment`.execute(conn)).rejects.toThrow(/permission denied/u);
      } finally {
        await sql`reset role`.execute(conn);
      }
    });
  });
});
