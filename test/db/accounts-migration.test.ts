import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { useServices } from '../support/services.ts';

const services = useServices();

describe('migration 0003-accounts', () => {
  it('is applied, applying the migrations again does no harm, and the analyst role reads no account', async () => {
    const applied = await sql<{ name: string }>`select name from kysely_migration`.execute(services.db);
    expect(applied.rows.map((r) => r.name)).toContain('0003-accounts');
    expect(await migrateToLatest(services.db)).toEqual([]);
    await services.db.connection().execute(async (conn) => {
      await sql`set role analyst`.execute(conn);
      try {
        for (const table of ['user_account', 'user_session', 'login_failure']) {
          await expect(sql`select count(*) from ${sql.table(table)}`.execute(conn)).rejects.toThrow(
            /permission denied/u,
          );
        }
      } finally {
        await sql`reset role`.execute(conn);
      }
    });
  });

  it('a username is unique whatever its case', async () => {
    await sql`insert into user_account (username, password_hash, scope_level, scope_code) values ('Xa.NamTin', 'x', 'commune', '03156')`.execute(
      services.db,
    );
    await expect(
      sql`insert into user_account (username, password_hash, scope_level, scope_code) values ('xa.namtin', 'x', 'commune', '03156')`.execute(
        services.db,
      ),
    ).rejects.toThrow(/unique/u);
  });
});
