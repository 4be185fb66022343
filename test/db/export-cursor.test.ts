import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { connectDb, type Db } from '../../src/db/connect.ts';
import { exportCursor } from '../../src/db/export-cursor.ts';
import { useServices } from '../support/services.ts';

const services = useServices();

/** A query of n rows each saying whether JIT is on where it runs, and how many parallel workers a plan may have. */
const jitRows = (n: number) => async (trx: Db) =>
  trx
    .selectFrom(sql`generate_series(1, ${n})`.as('g'))
    .select([
      sql<string>`current_setting('jit')`.as('jit'),
      sql<string>`current_setting('max_parallel_workers_per_gather')`.as('parallel'),
    ]);

describe('exportCursor', () => {
  it('runs the query with JIT off and no parallel plan, and leaves the connection as it was, read whole or left midway', async () => {
    // One connection: what the stream's transaction set would show in the next query on it.
    const db = connectDb(services.env.DATABASE_URL!, { max: 1 });
    try {
      await sql`set jit = on`.execute(db);
      const all: string[] = [];
      for await (const row of exportCursor(db, jitRows(5), 2)) all.push(`${row.jit} ${row.parallel}`);
      expect(all).toEqual(Array(5).fill('off 0'));
      expect((await sql<{ jit: string }>`select current_setting('jit') as jit`.execute(db)).rows[0]!.jit).toBe('on');

      // A client that leaves after the first row: the transaction is rolled back, nothing stays open.
      for await (const row of exportCursor(db, jitRows(10_000), 100)) {
        expect(row.jit).toBe('off');
        break;
      }
      const after = await sql<{ jit: string; open: number }>`select current_setting('jit') as jit,
          (select count(*)::int from pg_stat_activity where datname = current_database() and state like 'idle in transaction%') as open`.execute(
        db,
      );
      expect(after.rows[0]).toEqual({ jit: 'on', open: 0 });
    } finally {
      await db.destroy();
    }
  });

  it('gives its connection back when the commit fails (the backend gone after the last row), and says why', async () => {
    const db = connectDb(services.env.DATABASE_URL!, { max: 1 });
    try {
      let pid = 0;
      const rows = async (trx: Db) => {
        pid = (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx)).rows[0]!.pid;
        return trx.selectFrom(sql`generate_series(1, 3)`.as('g')).select(sql<number>`g`.as('n'));
      };
      const read = async () => {
        for await (const row of exportCursor(db, rows, 10))
          if (row.n === 3) await sql`select pg_terminate_backend(${pid})`.execute(services.db);
      };
      await expect(read()).rejects.toThrow();
      // The pool's one connection is back: a leaked one would leave this waiting for ever.
      const next = await Promise.race([
        sql<{ one: number }>`select 1 as one`.execute(db).then((r) => r.rows[0]!.one),
        new Promise((resolve) => setTimeout(() => resolve('pool exhausted'), 5000)),
      ]);
      expect(next).toBe(1);
    } finally {
      await db.destroy();
    }
  });
});
