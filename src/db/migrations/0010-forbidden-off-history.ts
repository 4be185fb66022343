import { sql, type Kysely } from 'kysely';

/**
 * A report rejected because it names a commune outside its sender's scope (META_FORBIDDEN) was
 * filed under that commune: it showed in the commune's history, and the commune could download
 * its bytes. Such a report is no longer filed there (evaluate.ts); those already stored are taken
 * off that commune too, and stay with their sender (and admin). The issue still names the commune.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    update submission
       set commune_code = null
     where status = 'rejected'
       and commune_code is not null
       and errors @> '[{"code": "META_FORBIDDEN"}]'::jsonb`.execute(db);
}
