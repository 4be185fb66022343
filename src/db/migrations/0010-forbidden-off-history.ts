import { sql, type Kysely } from 'kysely';

/**
 * A report rejected because it names a commune outside its sender's scope (META_FORBIDDEN), or a
 * code the units of its period do not have (META_COMMUNE_UNKNOWN, META_COMMUNE_RETIRED: a code
 * another era may give to another commune), was filed under that code: it showed in the history of
 * the commune holding it, which could download its bytes. Such a report is no longer filed there
 * (evaluate.ts); those already stored are taken off too, and stay with their sender (and admin).
 * The issue still names the code.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    update submission
       set commune_code = null
     where status = 'rejected'
       and commune_code is not null
       and (errors @> '[{"code": "META_FORBIDDEN"}]'::jsonb
         or errors @> '[{"code": "META_COMMUNE_UNKNOWN"}]'::jsonb
         or errors @> '[{"code": "META_COMMUNE_RETIRED"}]'::jsonb)`.execute(db);
}
