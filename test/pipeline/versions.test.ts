import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Running } from '../../src/start.ts';
import { enqueueNormalize } from '../../src/queue/queues.ts';
import { normalizeSubmission, normalizeSubmissions } from '../../src/workers/normalize/normalize.ts';
import { storeSubmissions } from '../../src/ingest/submissions/store.ts';
import {
  getJson,
  importUnitFile,
  namPo,
  namPoFiles,
  settled,
  snapshotRow,
  tokenFor,
  upload,
  waitFor,
} from '../support/builders.ts';
import { useServices } from '../support/services.ts';

const services = useServices();
let running: Running;
let token: string;

async function statusOf(id: number) {
  return waitFor(async () => {
    const r = await getJson(running.url!, token, `/v1/submissions/${id}`);
    return ['queued', 'processing'].includes(r.body.status) ? null : r.body;
  }, `submission ${id}`);
}

async function headVersion(): Promise<number> {
  const head = await services.db
    .selectFrom('snapshot_head')
    .select('snapshot_version')
    .where('province_code', '=', '11')
    .where('period', '=', '2023-Q2')
    .executeTakeFirstOrThrow();
  return head.snapshot_version;
}

const header =
  'commune,period,Tên thôn/bản,Số hộ,Số nhân khẩu,Có internet cáp quang,Có sóng di động,Có sóng 3G trở lên,Số ' +
  'người dùng điện thoại thông minh,Số người có tài khoản thanh toán điện tử';

beforeAll(async () => {
  running = await services.start('all');
  await importUnitFile(services.db, join(namPo, 'units.csv'));
  token = await tokenFor(services.db, 'province', '11');
  for (const file of await namPoFiles()) expect((await upload(running.url!, token, [file])).status).toBe(202);
  await settled(services.db, running.deps.queues);
});

describe('versions of a commune report', () => {
  it('a rejected file lists every error with row, column, value and a message in Vietnamese and English', async () => {
    const csv = [
      header,
      '03156,2023-Q2,Bản Một,10,50,có,không,có,60,1.5',
      '03156,2023-Q2,Bản Hai,,40,x,có,có,10,abc',
      '03156,2023-Q2,bản một,5,20,có,có,có,-3,2',
    ].join('\n');
    const r = await upload(running.url!, token, [{ name: 'bad.csv', bytes: csv }]);
    expect(r.status).toBe(202);
    const status = await statusOf(r.body.submissions[0].id);
    expect(status.status).toBe('rejected');
    const found = status.errors.map((e: any) => [e.row, e.code]);
    expect(found).toEqual([
      [2, 'VALUE_DECIMAL'],
      [2, 'RULE_REQUIRES'],
      [2, 'RULE_AT_MOST'],
      [3, 'VALUE_REQUIRED'],
      [3, 'VALUE_NOT_INTEGER'],
      [4, 'VALUE_NEGATIVE'],
      [4, 'DUPLICATE_ROW_KEY'],
    ]);
    for (const e of status.errors) {
      expect(e.message.vi.length).toBeGreaterThan(5);
      expect(e.message.en.length).toBeGreaterThan(5);
      expect(e.column).toBeTruthy();
    }
    const rule = await upload(running.url!, token, [
      {
        name: 'rules.csv',
        bytes: [
          header,
          '03156,2023-Q2,Bản Một,10,50,có,không,có,60,2',
          '03156,2023-Q2,Thôn Một,10,50,có,có,có,6,2',
        ].join('\n'),
      },
    ]);
    const ruled = await statusOf(rule.body.submissions[0].id);
    expect(ruled.errors.map((e: any) => [e.row, e.code])).toEqual([
      [2, 'RULE_REQUIRES'],
      [2, 'RULE_AT_MOST'],
      [3, 'DUPLICATE_ROW_KEY'],
    ]);
  });

  it('an exact resubmission is a duplicate and leaves the snapshot version unchanged', async () => {
    const before = await headVersion();
    const [file] = await namPoFiles((n) => n.startsWith('03156-hts-ban'));
    const r = await upload(running.url!, token, [file!]);
    const status = await statusOf(r.body.submissions[0].id);
    expect(status).toMatchObject({ status: 'duplicate', version: null });
    expect(status.duplicate_of).toBeGreaterThan(0);
    await settled(services.db, running.deps.queues);
    expect(await headVersion()).toBe(before);
  });

  it('a correction becomes the next version and replaces the commune’s villages in the district snapshot', async () => {
    const before = await headVersion();
    const fiberBefore = await snapshotRow(services.db, 'district', '103', '2023-Q2', 'fiber_village_rate');
    const [file] = await namPoFiles((n) => n.startsWith('03156-hts-ban'));
    // The commune found a village it had left out, which has fibre.
    const fixed = `${file!.bytes.toString('utf8').trim()}\n03156,2023-Q2,Bản Mới Lập,20,80,Có,Có,Có,30,20\n`;
    const r = await upload(running.url!, token, [{ name: 'correction.csv', bytes: fixed }]);
    const status = await statusOf(r.body.submissions[0].id);
    expect(status).toMatchObject({ status: 'accepted', version: 2 });
    await settled(services.db, running.deps.queues);
    expect(await headVersion()).toBe(before + 1);
    expect(await snapshotRow(services.db, 'district', '103', '2023-Q2', 'villages_total')).toMatchObject({
      numerator: 122,
    });
    expect((await snapshotRow(services.db, 'district', '103', '2023-Q2', 'fiber_village_rate')).numerator).toBe(
      fiberBefore.numerator! + 1,
    );
    const first = await services.db
      .selectFrom('submission')
      .select(['status', 'version'])
      .where('commune_code', '=', '03156')
      .where('form', '=', 'HTS-BAN')
      .where('version', '=', 1)
      .executeTakeFirstOrThrow();
    expect(first.status).toBe('superseded');
  });

  it('an older report that finishes after a newer one is superseded, whatever the processing order', async () => {
    const [file] = await namPoFiles((n) => n.startsWith('03165-hts-ban'));
    const lines = file!.bytes.toString('utf8').trim();
    // Stored as the ingest stores them, then decided newest first, as two workers might.
    const principal = { level: 'province' as const, code: '11', id: 'test' };
    const [older, newer] = await storeSubmissions(
      services.db,
      principal,
      {},
      [
        {
          filename: 'older.csv',
          contentType: 'text/csv',
          bytes: Buffer.from(`${lines}\n03165,2023-Q2,Bản Cũ,1,2,Có,Có,Có,1,1\n`),
        },
        {
          filename: 'newer.csv',
          contentType: 'text/csv',
          bytes: Buffer.from(`${lines}\n03165,2023-Q2,Bản Mới,1,2,Có,Có,Có,1,1\n`),
        },
      ],
      null,
      new Date(),
    );
    expect((await normalizeSubmission(running.deps, { submissionId: newer!.id })).status).toBe('accepted');
    expect((await normalizeSubmission(running.deps, { submissionId: older!.id })).status).toBe('superseded');
    const current = await services.db
      .selectFrom('report_slot')
      .select('current_submission_id')
      .where('commune_code', '=', '03165')
      .where('form', '=', 'HTS-BAN')
      .executeTakeFirstOrThrow();
    expect(current.current_submission_id).toBe(newer!.id);
  });

  it('a job run twice, or run again after its worker died between commit and acknowledgment, leaves one version and an unchanged snapshot', async () => {
    await settled(services.db, running.deps.queues);
    const [file] = await namPoFiles((n) => n.startsWith('03166-hts-ban'));
    const r = await upload(running.url!, token, [
      { name: 'again.csv', bytes: `${file!.bytes.toString('utf8').trim()}\n03166,2023-Q2,Bản Thêm,3,9,Có,Có,Có,1,1\n` },
    ]);
    const id = r.body.submissions[0].id;
    await statusOf(id);
    await settled(services.db, running.deps.queues);
    const version = await headVersion();
    const rows = await services.db
      .selectFrom('report_row')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('submission_id', '=', id)
      .executeTakeFirstOrThrow();

    // The same job body again, as a stalled job's second run would, and the job re-added to the queue.
    const again = await normalizeSubmission(running.deps, { submissionId: id });
    expect(again.status).toBe('accepted');
    await running.deps.queues.normalize.remove(`sub-${id}`);
    await enqueueNormalize(running.deps.queues, id);
    await settled(services.db, running.deps.queues);

    const rowsAfter = await services.db
      .selectFrom('report_row')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('submission_id', '=', id)
      .executeTakeFirstOrThrow();
    expect(rowsAfter.n).toBe(rows.n);
    const versions = await services.db
      .selectFrom('submission')
      .select('version')
      .where('commune_code', '=', '03166')
      .where('form', '=', 'HTS-BAN')
      .where('status', '=', 'accepted')
      .execute();
    expect(versions).toEqual([{ version: 2 }]);
    expect(await headVersion()).toBe(version);
  });

  it('an Idempotency-Key replay returns the original response and stores nothing new', async () => {
    const [file] = await namPoFiles((n) => n.startsWith('03167-hts-xa'));
    const first = await upload(running.url!, token, [file!], {}, { 'idempotency-key': 'upload-42' });
    const second = await upload(running.url!, token, [file!], {}, { 'idempotency-key': 'upload-42' });
    expect(second.status).toBe(202);
    expect(second.body).toEqual(first.body);
    const stored = async (filename: string) =>
      (
        await services.db
          .selectFrom('submission')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('filename', '=', filename)
          .executeTakeFirstOrThrow()
      ).n;
    expect(await stored(file!.name)).toBe(2);
    // The same key with another file (a correction sent under the first one's key) is refused, and nothing is stored.
    const [other] = await namPoFiles((n) => n.startsWith('03168-hts-xa'));
    const reused = await upload(running.url!, token, [other!], {}, { 'idempotency-key': 'upload-42' });
    expect(reused.status).toBe(422);
    expect(reused.body.error.code).toBe('TONGHOP_ERR_IDEMPOTENCY_KEY_REUSED');
    expect(reused.body.error.message.vi).toContain('Idempotency-Key');
    const withPeriod = await upload(
      running.url!,
      token,
      [file!],
      { period: '2023-Q2' },
      { 'idempotency-key': 'upload-42' },
    );
    expect(withPeriod.status).toBe(422);
    expect(await stored(other!.name)).toBe(1);
    // A key is taken whole or refused: two keys that share their first 200 characters are two requests, not one.
    const long = await upload(running.url!, token, [file!], {}, { 'idempotency-key': `${'x'.repeat(200)}-A` });
    expect(long.status).toBe(400);
    expect(long.body.error.details).toEqual([
      { path: 'idempotency-key', message: { vi: expect.stringContaining('200'), en: expect.stringContaining('200') } },
    ]);
  });

  it('a batch decides reports of one slot in order of receipt, whatever order its jobs came in, and one bad file fails nobody else', async () => {
    await settled(services.db, running.deps.queues);
    const [file] = await namPoFiles((n) => n.startsWith('03167-hts-ban'));
    const lines = file!.bytes.toString('utf8').trim();
    const principal = { level: 'province' as const, code: '11', id: 'test' };
    const slotBefore = await services.db
      .selectFrom('report_slot')
      .select(['current_submission_id', 'last_version'])
      .where('commune_code', '=', '03167')
      .where('form', '=', 'HTS-BAN')
      .executeTakeFirstOrThrow();
    const stored = await storeSubmissions(
      services.db,
      principal,
      {},
      [
        {
          filename: 'a.csv',
          contentType: 'text/csv',
          bytes: Buffer.from(`${lines}\n03167,2023-Q2,Bản A,1,2,Có,Có,Có,1,1\n`),
        },
        {
          filename: 'b.csv',
          contentType: 'text/csv',
          bytes: Buffer.from(`${lines}\n03167,2023-Q2,Bản B,1,2,Có,Có,Có,1,1\n`),
        },
        {
          filename: 'b-again.csv',
          contentType: 'text/csv',
          bytes: Buffer.from(`${lines}\n03167,2023-Q2,Bản B,1,2,Có,Có,Có,1,1\n`),
        },
        {
          filename: 'bad.csv',
          contentType: 'text/csv',
          bytes: Buffer.from(`${header}\n03167,2023-Q2,Bản X,abc,2,Có,Có,Có,1,1\n`),
        },
      ],
      null,
      new Date(),
    );
    const [a, b, bAgain, bad] = stored.map((s) => s.id);
    expect(a! < b! && b! < bAgain! && bAgain! < bad!).toBe(true);
    // Newest first, and one id twice: as BullMQ might hand them to one batch.
    const results = await normalizeSubmissions(running.deps, [bad!, bAgain!, b!, a!, b!]);
    expect(results.map((r) => (r.status === 'fulfilled' ? [r.value.status, r.value.version] : r.reason))).toEqual([
      ['rejected', null],
      ['duplicate', null],
      ['accepted', slotBefore.last_version + 2],
      ['accepted', slotBefore.last_version + 1],
      ['accepted', slotBefore.last_version + 2],
    ]);
    const statuses = await services.db
      .selectFrom('submission')
      .select(['id', 'status', 'version', 'duplicate_of'])
      .where('id', 'in', [a!, b!, bAgain!, bad!, slotBefore.current_submission_id])
      .orderBy('id')
      .execute();
    expect(statuses).toEqual([
      {
        id: slotBefore.current_submission_id,
        status: 'superseded',
        version: slotBefore.last_version,
        duplicate_of: null,
      },
      { id: a, status: 'superseded', version: slotBefore.last_version + 1, duplicate_of: null },
      { id: b, status: 'accepted', version: slotBefore.last_version + 2, duplicate_of: null },
      { id: bAgain, status: 'duplicate', version: null, duplicate_of: b },
      { id: bad, status: 'rejected', version: null, duplicate_of: null },
    ]);
    const slot = await services.db
      .selectFrom('report_slot')
      .select(['current_submission_id', 'last_version'])
      .where('commune_code', '=', '03167')
      .where('form', '=', 'HTS-BAN')
      .executeTakeFirstOrThrow();
    expect(slot).toEqual({ current_submission_id: b, last_version: slotBefore.last_version + 2 });
    // Both accepted versions keep their rows; the rollup reads the current one only.
    const rows = await services.db
      .selectFrom('report_row')
      .select(['submission_id'])
      .where('submission_id', 'in', [a!, b!, bAgain!])
      .execute();
    expect(new Set(rows.map((r) => r.submission_id))).toEqual(new Set([a, b]));
    await settled(services.db, running.deps.queues);
    const villages = await snapshotRow(services.db, 'district', '103', '2023-Q2', 'fiber_village_rate');
    const current = await services.db
      .selectFrom('report_slot as s')
      .innerJoin('report_row as r', 'r.submission_id', 's.current_submission_id')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('s.form', '=', 'HTS-BAN')
      .where('s.period', '=', '2023-Q2')
      .executeTakeFirstOrThrow();
    expect(villages.denominator).toBe(current.n);
  });
});
