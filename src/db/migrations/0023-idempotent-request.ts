import { sql, type Kysely } from 'kysely';

/**
 * What request an Idempotency-Key was first given with (a sha256 over its fields and its files'
 * bytes): the same key again with another file is refused (422) rather than answered with the
 * first request's answer while the new file is dropped. Null for keys stored before: replayed as
 * they were.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table idempotency_key add column request_digest text`.execute(db);
}
