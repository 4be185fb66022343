import { sql, type Kysely } from 'kysely';

/**
 * A rollup reads the current version of every slot of a province-period. Its query started from
 * the slots of the period, nationwide, and scanned them all (113 ms with 40 quarters of a national
 * history, 848,000 slots): it now starts from the province-period's submissions and needs to find
 * the slot a submission is current in.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index report_slot_current on report_slot (current_submission_id)`.execute(db);
}
