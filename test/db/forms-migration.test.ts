import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { Migrator, type Migration } from 'kysely/migration';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { connectDb, type Db } from '../../src/db/connect.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import * as m0001 from '../../src/db/migrations/0001-initial.ts';
import * as m0002 from '../../src/db/migrations/0002-reform.ts';
import * as m0003 from '../../src/db/migrations/0003-accounts.ts';
import * as m0004 from '../../src/db/migrations/0004-recast-alias.ts';
import * as m0005 from '../../src/db/migrations/0005-report-slot-current.ts';
import { storedFormCatalog } from '../../src/forms/form-catalog.ts';
import { seedShippedForms } from '../../src/forms/shipped-forms.ts';
import { rollupProvincePeriod } from '../../src/workers/rollup/persist.ts';

// An installation as it stood before forms were data: its own database, migrated up to 0005 only.
const name = `tonghop_test_old_${process.pid}_${randomBytes(3).toString('hex')}`;
const url = new URL(inject('databaseUrl'));
url.pathname = `/${name}`;
let db: Db;

afterAll(async () => {
  await db?.destroy();
  const admin = new pg.Client({ connectionString: inject('databaseUrl') });
  await admin.connect();
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.end();
});

const figures = (rows: Record<string, unknown>[]) =>
  rows.map((r) => ({
    level: r.level,
    unit_code: r.unit_code,
    indicator: r.indicator,
    numerator: r.numerator,
    denominator: r.denominator,
    value: r.value,
    communes_reporting: r.communes_reporting,
  }));

describe('migration 0007-forms-as-data on an existing installation', () => {
  it('keeps every figure exactly, says each covers the communes that reported, and a rollup with the shipped definitions gives the same figures', async () => {
    const admin = new pg.Client({ connectionString: inject('databaseUrl') });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    db = connectDb(url.toString(), { max: 2 });
    const old: Record<string, Migration> = {
      '0001-initial': m0001,
      '0002-reform': m0002,
      '0003-accounts': m0003,
      '0004-recast-alias': m0004,
      '0005-report-slot-current': m0005,
    };
    const { error } = await new Migrator({ db, provider: { getMigrations: async () => old } }).migrateToLatest();
    expect(error).toBeUndefined();

    // One commune's office report of 2023-Q2, rolled up by the code of that time: its figures as stored.
    await sql`
      insert into admin_unit (level, code, name, province_code, district_code, valid_from) values
        ('province', '11', 'Tỉnh Điện Biên', '11', null, '2020-01-01'),
        ('district', '103', 'Huyện Nậm Pồ', '11', '103', '2020-01-01'),
        ('commune', '03156', 'Xã Nậm Tin', '11', '103', '2020-01-01');
      insert into submission (id, status, form, commune_code, period, period_end, province_code, district_code,
        byte_size, sha256, version, fingerprint, measures, scope_level)
        overriding system value values
        (1, 'accepted', 'HTS-XA', '03156', '2023-Q2', '2023-06-30', '11', '103', 10, 'x', 1, 'f',
         '{"communes":1,"computers":16,"computers_broadband":15,"staff":22,"staff_with_computer":22,'
         '"communes_specialized_network":1,"communes_video_conference":0}', 'admin');
      insert into report_row values (1, 2, null,
        '{"computers":16,"computers_broadband":15,"staff":22,"staff_with_computer":22,"specialized_network":true,"video_conference":false}');
      insert into report_slot values ('03156', 'HTS-XA', '2023-Q2', 1, 1);
      insert into snapshot_head values ('11', '2023-Q2', '2023-06-30', 1, 'old', '2023-07-01');
      insert into snapshot_source values ('11', '2023-Q2', 1, 1, '03156', '103', 'HTS-XA');
    `.execute(db);
    const stored = [
      ['computers_total', 16, null, 16],
      ['broadband_computer_rate', 15, 16, 15 / 16],
      ['staff_computer_rate', 22, 22, 1],
      ['specialized_network_commune_rate', 1, 1, 1],
    ] as const;
    for (const level of [
      ['commune', '03156', '103'],
      ['district', '103', '11'],
      ['province', '11', null],
    ] as const) {
      for (const [indicator, numerator, denominator, value] of stored) {
        await sql`insert into snapshot_row values ('11', '2023-Q2', 1, ${level[0]}, ${level[1]},
          'x', ${level[2]}, ${indicator}, ${numerator}, ${denominator}, ${value}, 1, 1, '2023-07-01')`.execute(db);
      }
    }
    const before = figures(
      await db.selectFrom('analytics.indicator_snapshot').selectAll().orderBy(['level', 'indicator']).execute(),
    );

    expect(await migrateToLatest(db)).toContain('0007-forms-as-data');
    await seedShippedForms(db);
    const after = await db
      .selectFrom('analytics.indicator_snapshot')
      .selectAll()
      .orderBy(['level', 'indicator'])
      .execute();
    expect(figures(after)).toEqual(before);
    expect(after.every((r) => r.communes_covered === 1)).toBe(true);
    // Seeding marks nothing due: no snapshot was computed with another version of these forms.
    expect(await db.selectFrom('rollup_due').selectAll().execute()).toEqual([]);

    await rollupProvincePeriod(db, await storedFormCatalog(db), { provinceCode: '11', period: '2023-Q2' }, new Date());
    const recomputed = await db
      .selectFrom('analytics.indicator_snapshot')
      .selectAll()
      .where(
        'indicator',
        'in',
        stored.map((s) => s[0]),
      )
      .orderBy(['level', 'indicator'])
      .execute();
    expect(figures(recomputed)).toEqual(before);

    await db.connection().execute(async (conn) => {
      await sql`set role analyst`.execute(conn);
      try {
        await expect(
          sql`select communes_covered from analytics.indicator_snapshot`.execute(conn),
        ).resolves.toBeDefined();
        await expect(
          sql`select communes_covered from analytics.indicator_snapshot_recast`.execute(conn),
        ).resolves.toBeDefined();
        await expect(sql`select count(*) from analytics.snapshot_lineage`.execute(conn)).resolves.toBeDefined();
      } finally {
        await sql`reset role`.execute(conn);
      }
    });
  });
});
