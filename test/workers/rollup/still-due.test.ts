import { shippedFormCatalog } from '../../../src/forms/shipped-forms.ts';
import { join } from 'node:path';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Running } from '../../../src/start.ts';
import { rollupProvincePeriod } from '../../../src/workers/rollup/persist.ts';
import { importUnitFile, namPo, namPoFiles, settled, tokenFor, upload } from '../../support/builders.ts';
import { useServices } from '../../support/services.ts';

const services = useServices();
let running: Running;
let token: string;

const header =
  'commune,period,Tên thôn/bản,Số hộ,Số nhân khẩu,Có internet cáp quang,Có sóng di động,Có sóng 3G trở lên,Số ' +
  'người dùng điện thoại thông minh,Số người có tài khoản thanh toán điện tử';
const correction = (households: number) => [header, `03156,2023-Q2,Bản Một,${households},50,có,có,có,20,5`].join('\n');

beforeAll(async () => {
  // No reconciler sweep during the file: the second test leaves a due row for itself.
  running = await services.start('all', { RECONCILE_INTERVAL_S: 3600 });
  await importUnitFile(services.db, join(namPo, 'units.csv'));
  token = await tokenFor(services.db, 'province', '11');
  for (const file of await namPoFiles()) expect((await upload(running.url!, token, [file])).status).toBe(202);
  await settled(services.db, running.deps.queues);
  // A report accepted while a rollup runs, made certain: the next snapshot version written bumps the
  // province-period's due_seq in the rollup's own transaction, once, as a worker's commit would.
  await sql`create table bump_once (armed boolean)`.execute(services.db);
  await sql`
    create function bump_due() returns trigger language plpgsql as $$
    begin
      if exists (select 1 from bump_once) then
        delete from bump_once;
        insert into rollup_due (province_code, period) values (new.province_code, new.period)
          on conflict (province_code, period) do update set due_seq = rollup_due.due_seq + 1;
      end if;
      return new;
    end $$`.execute(services.db);
  await sql`create trigger bump_due after insert or update on snapshot_head for each row execute function bump_due()`.execute(
    services.db,
  );
});

const runsOf = async () =>
  services.db
    .selectFrom('rollup_run')
    .select(['snapshot_version', 'started_at'])
    .where('province_code', '=', '11')
    .where('period', '=', '2023-Q2')
    .orderBy('id')
    .execute();

describe('a change that comes while a rollup runs', () => {
  it('leaves the province-period due, and the rollup queue runs one more rollup that includes it', async () => {
    const before = (await runsOf()).length;
    await sql`insert into bump_once values (true)`.execute(services.db);
    expect((await upload(running.url!, token, [{ name: 'fix-1.csv', bytes: correction(11) }])).status).toBe(202);
    await settled(services.db, running.deps.queues);
    const after = (await runsOf()).slice(before);
    // The first rollup wrote a version; the one after it found nothing new and wrote none.
    expect(after.map((r) => r.snapshot_version === null)).toEqual([false, true]);
    expect(await services.db.selectFrom('rollup_due').selectAll().execute()).toEqual([]);
  });

  it('restarts the wait of the row it leaves at the rollup’s start, not at the first change it already included', async () => {
    // The stored hash no longer matches, so the rollup writes a version (and the trigger fires).
    await services.db
      .updateTable('snapshot_head')
      .set({ content_hash: 'stale' })
      .where('province_code', '=', '11')
      .execute();
    await sql`insert into bump_once values (true)`.execute(services.db);
    await services.db
      .insertInto('rollup_due')
      .values({ province_code: '11', period: '2023-Q2', due_since: new Date(Date.now() - 60_000) })
      .execute();

    const now = new Date();
    const result = await rollupProvincePeriod(
      services.db,
      shippedFormCatalog(),
      { provinceCode: '11', period: '2023-Q2' },
      now,
    );
    expect(result.changed).toBe(true);
    expect(result.stillDue).toEqual(now);
    const row = await services.db
      .selectFrom('rollup_due')
      .select('due_since')
      .where('province_code', '=', '11')
      .executeTakeFirstOrThrow();
    expect(row.due_since).toEqual(now);
  });
});
