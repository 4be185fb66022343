import { sql } from 'kysely';
import type { Db } from './connect.ts';

/**
 * Takes transaction-scoped advisory locks on the named keys, held until the transaction ends.
 * Several keys are taken in one order (by their hash), so two transactions wanting overlapping
 * sets queue up rather than deadlock. Names are namespaced by the caller (`rollup:11:2023-Q2`).
 */
export async function lockKeys(tx: Db, keys: readonly string[]): Promise<void> {
  if (keys.length === 0) return;
  if (keys.length === 1) {
    await sql`select pg_advisory_xact_lock(hashtextextended(${keys[0]}, 0))`.execute(tx);
    return;
  }
  await sql`select pg_advisory_xact_lock(h) from (select distinct hashtextextended(k, 0) as h from unnest(${keys}::text[]) as k) as keys order by h`.execute(
    tx,
  );
}
