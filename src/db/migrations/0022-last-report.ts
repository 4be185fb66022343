import { sql, type Kysely } from 'kysely';

/**
 * When each commune of a province last reported anything (GET /v1/reporting's `last_report`):
 * without an index that fits, it read and sorted every submission of the province's communes
 * (40,762 for Hà Nội over ten years: 320 ms, 4,000 buffers). With it, one short index probe per
 * commune (526 communes: 11 ms, 2,100 buffers), whatever the length of the history. Partial on the
 * statuses that count as having reported, so the worker's queued and rejected rows never enter it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create index submission_last_report on submission (commune_code, received_at desc)
      where status in ('accepted', 'superseded', 'duplicate');
  `.execute(db);
}
