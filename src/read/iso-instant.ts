import { sql, type RawBuilder } from 'kysely';

/**
 * An instant as the JSON of its Date reads (`toISOString`: UTC to the millisecond, the
 * microseconds cut as node-postgres cuts them), written by Postgres. For answers that only send
 * their instants on: a Date costs a parse on the way in and a `toJSON` on the way out, and its
 * `toJSON` keeps V8's JSON.stringify off its fast path for the whole answer (issue 22: a
 * province's lineage holds ~1,600 instants). For years 1000–9999, which every instant tonghop
 * writes is in.
 */
export function isoInstant(column: string): RawBuilder<string> {
  return sql<string>`to_char(${sql.ref(column)} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}
