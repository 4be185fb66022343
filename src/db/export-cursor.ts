import { sql } from 'kysely';
import type { Db } from './connect.ts';

/**
 * A query's every row from a server-side cursor, in a transaction planned for reading them all in
 * this one backend. Two settings, each measured on a national export (100,350 rows of a bench:analyst
 * history, bench/csv-export.ts):
 * - JIT off. Postgres adds the cost of every subquery in a CASE to a plan's estimate as if each row
 *   ran it, so a select list with a rarely taken subquery per cell (export/csv-sql.ts) is priced past
 *   jit_above_cost, and compiling its expressions took 6.9 s of a 7.7 s export.
 * - No parallel plan. A cursor's portal is run a batch of rows at a time, and Postgres then starts no
 *   parallel workers: a plan chosen for three processes (a parallel scan of all 5.6 M rows) ran in
 *   one, 1.5 CPU s of the backend per 100k rows where the plan through the primary key takes 0.6
 *   (59,705 → 148,922 rows/s).
 * `set local` ends with the transaction: the pool's connection goes back as it came, and a client
 * that leaves mid-export ends it by rollback.
 */
export async function* exportCursor<Row>(
  db: Db,
  rows: (trx: Db) => Promise<{ stream(chunkSize: number): AsyncIterableIterator<Row> }>,
  chunkRows: number,
): AsyncGenerator<Row> {
  const trx = await db.startTransaction().execute();
  let committed = false;
  try {
    await sql`set local jit = off`.execute(trx);
    await sql`set local max_parallel_workers_per_gather = 0`.execute(trx);
    yield* (await rows(trx)).stream(chunkRows);
    await trx.commit().execute();
    committed = true;
  } finally {
    // Ended early (a client that left), by an error, or by a commit that failed (the connection lost
    // after the last row), which releases nothing: a rollback releases the connection even when it
    // fails, and its own failure must not hide the error that brought us here.
    if (!committed)
      await trx
        .rollback()
        .execute()
        .catch(() => {});
  }
}
