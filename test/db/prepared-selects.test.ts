import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDb, type Db } from '../../src/db/connect.ts';
import { useServices } from '../support/services.ts';

const services = useServices();
let db: Db;

beforeAll(async () => {
  // One connection, so the statements it has prepared are the ones pg_prepared_statements lists.
  db = connectDb(services.env.DATABASE_URL!, { max: 1, prepare: true });
});
afterAll(async () => {
  await db.destroy();
});

const prepared = async () =>
  (await sql<{ statement: string }>`select statement from pg_prepared_statements`.execute(db)).rows.map((r) =>
    r.statement.replace(/\s+/gu, ' '),
  );

describe('connectDb({ prepare: true }): the SELECTs a serving process repeats, prepared per connection', () => {
  it('answers as an unprepared pool does, run after run, and keeps each statement prepared once', async () => {
    const plain = connectDb(services.env.DATABASE_URL!, { max: 1 });
    const lookup = (d: Db, code: string) =>
      d.selectFrom('form_definition').select(['code', 'version']).where('code', '=', code).orderBy('version').execute();
    for (let i = 0; i < 8; i += 1) {
      // Past the fifth run Postgres may plan it once for every value: the answers must not change.
      for (const code of ['HTS-BAN', 'nothing']) expect(await lookup(db, code)).toEqual(await lookup(plain, code));
    }
    await plain.destroy();
    const statements = await prepared();
    expect(statements.filter((s) => s.includes('from "form_definition"'))).toHaveLength(1);
  });

  it('leaves unprepared what could not stay valid or would pile up: `*`, long lists, writes, several statements', async () => {
    await db.selectFrom('form_definition').selectAll().execute();
    const codes = Array.from({ length: 40 }, (_, i) => `C${i}`);
    await db.selectFrom('admin_unit').select('code').where('code', 'in', codes).execute();
    await db.updateTable('admin_unit').set({ name: 'x' }).where('code', '=', 'none').execute();
    await sql`select 1 as a; select 2 as b`.execute(db);
    const statements = await prepared();
    expect(statements.some((s) => s.includes('*'))).toBe(false);
    expect(statements.some((s) => s.includes('"admin_unit"'))).toBe(false);
    expect(statements.some((s) => /^\s*update/iu.test(s))).toBe(false);
    expect(statements.some((s) => s.includes('select 2'))).toBe(false);
  });

  it('prepares at most 100 statements on a connection, and runs the others as before', async () => {
    for (let i = 0; i < 120; i += 1) {
      const r = await sql<{ n: number }>`select ${sql.lit(i)}::int as n`.execute(db);
      expect(r.rows).toEqual([{ n: i }]);
    }
    expect((await prepared()).length).toBeLessThanOrEqual(100);
  });
});
