import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { useServices } from '../support/services.ts';

const services = useServices();

async function asAnalyst<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: services.env.DATABASE_URL });
  await client.connect();
  try {
    await client.query('set role analyst');
    return await work(client);
  } finally {
    await client.end();
  }
}

describe('the analyst role', () => {
  it('reads every analytics view', async () => {
    for (const view of ['indicator_snapshot', 'indicator_snapshot_history', 'completeness', 'snapshot_lineage']) {
      const r = await asAnalyst((c) => c.query(`select * from analytics.${view} limit 1`));
      expect(r.rowCount).toBe(0);
    }
  });

  it('cannot write, nor read the tables behind the views', async () => {
    await expect(
      asAnalyst((c) => c.query(`insert into snapshot_head values ('11', '2023-Q2', '2023-06-30', 1, 'x', now())`)),
    ).rejects.toThrow(/permission denied/u);
    await expect(asAnalyst((c) => c.query(`delete from analytics.indicator_snapshot_history`))).rejects.toThrow(
      /permission denied/u,
    );
    await expect(asAnalyst((c) => c.query(`select * from submission_file`))).rejects.toThrow(/permission denied/u);
    await expect(asAnalyst((c) => c.query(`create table analytics.mine (x int)`))).rejects.toThrow(
      /permission denied/u,
    );
  });
});
