import { sql, type Insertable, type Selectable } from 'kysely';
import type { Database } from '../schema/database.ts';
import type { Db } from './connect.ts';

/** The tables (not views) of the schema. */
type TableName = Exclude<keyof Database, `analytics.${string}`>;

/** A row as it goes into JSON: a jsonb column takes its value itself, not the text Kysely would send. */
export type JsonRow<T extends TableName> = {
  [K in keyof Insertable<Database[T]>]:
    | Insertable<Database[T]>[K]
    | (K extends keyof Selectable<Database[T]> ? Selectable<Database[T]>[K] : never);
};

/**
 * Inserts many rows as one JSON parameter that Postgres turns into rows of the table's own type
 * (`json_populate_recordset`): one statement whatever the count, far cheaper to build, send and
 * plan than a VALUES list of thousands of parameters (a province's 1,100 snapshot rows: 42 → a few
 * ms). As `json`, not `jsonb`: the text is read once into the rows rather than first converted to
 * jsonb (1,900 snapshot rows: about 60 → 49 ms). Every row must have the same keys; columns left
 * out take their defaults' place as null, so leave out only nullable ones.
 */
export async function insertRows<T extends TableName>(db: Db, table: T, rows: readonly JsonRow<T>[]): Promise<void> {
  const first = rows[0];
  if (!first) return;
  const columns = sql.join(Object.keys(first).map((c) => sql.ref(c)));
  await sql`insert into ${sql.table(table)} (${columns}) select ${columns} from
    json_populate_recordset(null::${sql.table(table)}, ${JSON.stringify(rows)}::json)`.execute(db);
}

/**
 * `insertRows` for rows the caller has already written as JSON (`json`, the text of `rows`), with
 * the columns every row shares (`shared`: a version's key, its time) given once rather than on each
 * row: Postgres fills them in from a base record. A rollup hashes its figures' JSON to see whether
 * they changed; sending that same text writes them without serializing a thousand rows again.
 */
export async function insertRowsAsJson<T extends TableName>(
  db: Db,
  table: T,
  shared: Partial<JsonRow<T>>,
  rows: readonly Partial<JsonRow<T>>[],
  json: string,
): Promise<void> {
  const first = rows[0];
  if (!first) return;
  const columns = sql.join([...Object.keys(shared), ...Object.keys(first)].map((c) => sql.ref(c)));
  await sql`insert into ${sql.table(table)} (${columns}) select ${columns} from json_populate_recordset(
    json_populate_record(null::${sql.table(table)}, ${JSON.stringify(shared)}::json), ${json}::json)`.execute(db);
}
