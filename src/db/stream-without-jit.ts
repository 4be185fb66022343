import { sql } from 'kysely';
import type { Db } from './connect.ts';

/**
 * A query's rows from a server-side cursor, in a transaction whose JIT is off. Postgres adds the
 * cost of every subquery in a CASE to a plan's estimate as if each row ran it, so a select list
 * with a rarely taken subquery per cell (export/csv-sql.ts) is priced past jit_above_cost, and
 * compiling its expressions took 6.9 s of a 7.7 s national export (measured on a bench:analyst
 * history) where running them takes 0.5 s. `set local` ends with the transaction: the pool's
 * connection goes back as it came, and a client that leaves mid-export ends it by rollback.
 */
export async function* streamWithoutJit<Row>(
  db: Db,
  rows: (trx: Db) => Promise<{ stream(chunkSize: number): AsyncIterableIterator<Row> }>,
  chunkRows: number,
): AsyncGenerator<Row> {
  const trx = await db.startTransaction().execute();
  let committed = false;
  try {
    await sql`set local jit = off`.execute(trx);
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
