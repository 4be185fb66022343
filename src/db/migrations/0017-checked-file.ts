import { sql, type Kysely } from 'kysely';

/**
 * A file that passed "check before sending" (POST /v1/validate), kept for a short while so that
 * "send this file" names it instead of uploading it again over a slow link. Keyed by who checked
 * it and its sha256: only that principal may send it. Rows past `expires_at` are of no use and
 * are deleted by the next check; in Postgres, they outlive a restart of the service.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table checked_file (
      principal text not null,
      sha256 text not null,
      filename text,
      content_type text,
      byte_size integer not null,
      bytes bytea not null,
      checked_at timestamptz not null,
      expires_at timestamptz not null,
      primary key (principal, sha256)
    );
    create index checked_file_expires on checked_file (expires_at);
  `.execute(db);
}
