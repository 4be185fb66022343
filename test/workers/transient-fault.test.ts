import pg from 'pg';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { isTransientFault } from '../../src/workers/transient-fault.ts';
import { useServices } from '../support/services.ts';

const services = useServices();

async function errorOf(work: () => Promise<unknown>): Promise<unknown> {
  try {
    await work();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

describe('which faults are retried', () => {
  it('by SQLSTATE: serialization failures, deadlocks, shutdowns and connection exceptions are transient; data errors are not', () => {
    const withCode = (code: string) => Object.assign(new Error('x'), { code });
    for (const code of ['40001', '40P01', '57P01', '57P02', '57P03', '08006', '08001', '53300'])
      expect(isTransientFault(withCode(code)), code).toBe(true);
    for (const code of ['23505', '23503', '42601', '42P01', '22P02', 'XX000'])
      expect(isTransientFault(withCode(code)), code).toBe(false);
    for (const code of ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE'])
      expect(isTransientFault(withCode(code)), code).toBe(true);
    expect(isTransientFault(new Error('Connection is closed.'))).toBe(true);
    expect(isTransientFault(new TypeError("Cannot read properties of undefined (reading 'rows')"))).toBe(false);
    expect(isTransientFault(new Error('wrapped', { cause: withCode('40P01') }))).toBe(true);
  });

  it('a real terminated Postgres connection is transient, on the query it killed and on the next one', async () => {
    const client = new pg.Client({ connectionString: services.env.DATABASE_URL });
    client.on('error', () => {});
    await client.connect();
    const pid = (await client.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid;
    const sleeping = errorOf(() => client.query('select pg_sleep(10)'));
    await new Promise((r) => setTimeout(r, 200));
    await sql`select pg_terminate_backend(${pid})`.execute(services.db);
    const killed = await sleeping;
    expect((killed as { code?: string }).code).toBe('57P01');
    expect(isTransientFault(killed)).toBe(true);
    const next = await errorOf(() => client.query('select 1'));
    expect(isTransientFault(next), String(next)).toBe(true);
    await client.end().catch(() => undefined);
  });

  it('a real constraint violation is not', async () => {
    const error = await errorOf(() =>
      sql`insert into api_token (token_hash, scope_level, scope_code) values ('h', 'admin', '11')`.execute(services.db),
    );
    expect((error as { code?: string }).code).toBe('23514');
    expect(isTransientFault(error)).toBe(false);
  });
});
