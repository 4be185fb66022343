import { createHash } from 'node:crypto';
import pg from 'pg';
import Cursor from 'pg-cursor';
import { Kysely, PostgresDialect } from 'kysely';
import type { Database } from '../schema/database.ts';
import { serviceUnreachable } from '../service-unreachable.ts';

// Our bigint columns hold counts and sums far below 2^53, so numbers serve better than strings;
// dates stay ISO text so a period's last day never shifts with the process time zone.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
pg.types.setTypeParser(pg.types.builtins.DATE, (v) => v);
// Figures are summed exactly as numeric (decimal fields) and written as decimal text; read back,
// a number is exact for what forms count and sum (integers below 2^53, a few decimal places).
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => Number(v));

export type Db = Kysely<Database>;

/**
 * A pool of connections. `relaxedCommit` lets commits return before their WAL reaches disk: only
 * for the workers, whose every write can be done again from what is already durable — a
 * normalize or rollup outcome lost in a Postgres crash leaves its submission `processing` or its
 * rollup due, and the reconciler runs it again with the same result. The ingest's pool is never
 * relaxed: its commit of an upload precedes the 202.
 */
export function connectDb(
  url: string,
  options: { max?: number; relaxedCommit?: boolean; name?: string; prepare?: boolean } = {},
): Db {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    // A server that takes connections but never answers (a hung host, a lost route) is reported
    // after this long as unavailable (db/unavailable.ts), instead of holding a request for minutes.
    connectionTimeoutMillis: 10_000,
    // Shown in pg_stat_activity: which process of the pipeline a Postgres backend serves.
    ...(options.name ? { application_name: options.name } : {}),
    ...(options.relaxedCommit ? { options: '-c synchronous_commit=off' } : {}),
  });
  // An idle client that loses its server (a Postgres restart) must not crash the process.
  pool.on('error', () => {});
  // A client checked out of the pool (a transaction between two statements) has no pool listener:
  // a terminated connection would end the process. With this one, its next query fails instead,
  // as a transient fault, and the pool discards the client on release.
  pool.on('connect', (client) => {
    client.on('error', () => {});
    if (options.prepare) prepareSelects(client);
  });
  // The cursor lets exports stream rows (`.stream()`) instead of holding a whole result.
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool, cursor: Cursor }) });
}

/** Statements a connection keeps prepared, at most: a serving process sends a few dozen kinds. */
const preparedPerConnection = 100;

/**
 * Sends the SELECTs of a connection as named prepared statements (`prepare` in connectDb), so that
 * Postgres parses each kind once per connection and, from its sixth run, may keep one plan for
 * it: for the small statements of a read (a token, a unit, a head) planning cost more CPU than
 * running them (test/db/prepared-selects.test.ts). Only a single SELECT without `*` whose
 * parameters are few: a list of hundreds of codes makes a new text at each length, and a `*`
 * would fail once a migration adds a column (`cached plan must not change result type`).
 */
function prepareSelects(client: pg.PoolClient): void {
  const names = new Map<string, string>();
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  (client as { query: unknown }).query = (text: unknown, values?: unknown, callback?: unknown) => {
    if (typeof text === 'string' && Array.isArray(values) && callback === undefined) {
      let name = names.get(text);
      if (
        name === undefined &&
        names.size < preparedPerConnection &&
        values.length <= 32 &&
        /^\s*select\s/iu.test(text) &&
        !text.includes('*') &&
        !text.includes(';')
      ) {
        // Named by the text: behind a pooler that shares server connections, a name never stands for another statement.
        name = `tonghop_${createHash('sha256').update(text).digest('base64url').slice(0, 32)}`;
        names.set(text, name);
      }
      if (name !== undefined) return query({ name, text, values });
    }
    return query(text, values, callback);
  };
}

/** Creates the database named in `url` when it does not exist yet (SPEC §5: a working default). */
export async function ensureDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.replace(/^\//, ''));
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  try {
    await client.connect();
  } catch (error) {
    throw serviceUnreachable('postgres', url, error);
  }
  try {
    const found = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (found.rowCount === 0) {
      try {
        await client.query(`create database "${name.replaceAll('"', '""')}"`);
      } catch (error) {
        // Two processes starting at once may both try; the loser finds it made.
        if ((error as { code?: string }).code !== '42P04') throw error;
      }
    }
  } finally {
    await client.end();
  }
}
