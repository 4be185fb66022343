import { sql } from 'kysely';
import type { Db } from './connect.ts';

/**
 * Lets this transaction's commit return before its WAL reaches disk. Only for work that can be
 * done again from what is already durable: a normalize or rollup outcome lost in a Postgres
 * crash leaves its submission `processing` or its rollup due, and the reconciler runs it again
 * with the same result. The ingest's commit of an upload is never relaxed: it precedes the 202.
 */
export async function relaxedCommit(tx: Db): Promise<void> {
  await sql`set local synchronous_commit = off`.execute(tx);
}
