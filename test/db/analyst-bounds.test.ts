import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { up as analystBounds } from '../../src/db/migrations/0006-analyst-bounds.ts';
import type { Running } from '../../src/start.ts';
import { importUnits, unitsFromCsv } from '../../src/units/import.ts';
import { settled, tokenFor, upload } from '../support/builders.ts';
import { banCsv, randomVillages, seeded } from '../support/reports.ts';
import { useServices } from '../support/services.ts';

// Roles are cluster-wide and test files run at once: this file's roles carry its own suffix.
const suffix = randomBytes(3).toString('hex');
const alice = `alice_${suffix}`;
const stranger = `stranger_${suffix}`;
const province98 = `analyst_98_${suffix}`;
const services = useServices();
let running: Running;

function as(user: string) {
  const url = new URL(services.env.DATABASE_URL!);
  url.username = user;
  url.password = 'pw';
  return new pg.Client({ connectionString: url.toString() });
}

async function query(user: string, text: string) {
  const client = as(user);
  await client.connect();
  try {
    return await client.query(text);
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  running = await services.start('all');
  // A database cloned from the template keeps none of its database-wide grants: as an installation's
  // database is migrated, so this one is once more (the migration is idempotent).
  await analystBounds(services.db as never);
  await importUnits(
    services.db,
    unitsFromCsv(
      'province_code,province_name,commune_code,commune_name\n98,Tỉnh Tám,90001,Xã Một\n99,Tỉnh Chín,90002,Xã Hai\n',
    ),
  );
  const token = await tokenFor(services.db, 'admin');
  for (const commune of ['90001', '90002']) {
    expect(
      (
        await upload(running.url!, token, [
          { name: `${commune}.csv`, bytes: banCsv(commune, '2023-Q2', randomVillages(seeded(2), 2)) },
        ])
      ).status,
    ).toBe(202);
  }
  await settled(services.db, running.deps.queues);
  const c = new pg.Client({ connectionString: services.env.DATABASE_URL });
  await c.connect();
  await c.query(`create role ${province98} nologin`);
  await c.query(`insert into analytics_by_province.scope values ('${province98}', '98')`);
  await c.query(`create role ${alice} login password 'pw' in role province_analyst, ${province98}`);
  await c.query(`create role ${stranger} login password 'pw'`);
  await c.end();
});

afterAll(async () => {
  const c = new pg.Client({ connectionString: services.env.DATABASE_URL });
  await c.connect();
  for (const role of [alice, stranger, province98]) await c.query(`drop role if exists ${role}`).catch(() => undefined);
  await c.end();
});

describe('SQL access for analysts', () => {
  it('a province analyst reads only the provinces of the roles it is a member of', async () => {
    const rows = await query(
      alice,
      'select distinct province_code from analytics_by_province.indicator_snapshot order by 1',
    );
    expect(rows.rows.map((r) => r.province_code)).toEqual(['98']);
    const lineage = await query(alice, 'select distinct province_code from analytics_by_province.snapshot_lineage');
    expect(lineage.rows.map((r) => r.province_code)).toEqual(['98']);
    await expect(query(alice, 'select * from analytics.indicator_snapshot limit 1')).rejects.toThrow(
      /permission denied/u,
    );
    await expect(query(alice, 'select * from analytics_by_province.scope')).rejects.toThrow(/permission denied/u);
  });

  it('a role without a grant cannot connect to a tonghop database, and analysts cannot create temp tables', async () => {
    await expect(query(stranger, 'select 1')).rejects.toThrow(/permission denied for database/u);
    await expect(query(alice, 'create temp table mine (x int)')).rejects.toThrow(
      /permission denied to create temporary tables/u,
    );
  });

  it('the analyst roles carry a statement timeout', async () => {
    const c = new pg.Client({ connectionString: services.env.DATABASE_URL });
    await c.connect();
    const r = await c.query(
      `select r.rolname, s.setconfig from pg_db_role_setting s join pg_roles r on r.oid = s.setrole where
        r.rolname in ('analyst', 'province_analyst') order by 1`,
    );
    await c.end();
    expect(r.rows).toEqual([
      { rolname: 'analyst', setconfig: ['statement_timeout=60s'] },
      { rolname: 'province_analyst', setconfig: ['statement_timeout=60s'] },
    ]);
  });
});
