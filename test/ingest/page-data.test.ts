import ExcelJS from 'exceljs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { toXlsx } from '../../src/export/xlsx.ts';
import type { Running } from '../../src/start.ts';
import { getJson, importUnitFile, namPo, namPoFiles, settled, tokenFor, upload } from '../support/builders.ts';
import { useServices } from '../support/services.ts';

const services = useServices();
let running: Running;
let province: string;
let namTin: string;
let paTan: string;
let admin: string;
const notYet = ['03198', '03199'];

beforeAll(async () => {
  running = await services.start('all');
  await importUnitFile(services.db, join(namPo, 'units.csv'));
  province = await tokenFor(services.db, 'province', '11');
  namTin = await tokenFor(services.db, 'commune', '03156');
  paTan = await tokenFor(services.db, 'commune', '03165');
  admin = await tokenFor(services.db, 'admin');
  // Every village report, and every commune office report but two: Phìn Hồ and Si Pa Phìn have not sent HTS-XA.
  for (const file of await namPoFiles((n) => !notYet.some((c) => n.startsWith(`${c}-hts-xa`)))) {
    expect((await upload(running.url!, province, [file])).status).toBe(202);
  }
  await settled(services.db, running.deps.queues);
});

async function post(
  path: string,
  token: string,
  files: { name: string; bytes: string | Buffer }[],
  fields: Record<string, string> = {},
) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  for (const f of files) form.append('file', new Blob([new Uint8Array(Buffer.from(f.bytes))]), f.name);
  const r = await fetch(new URL(path, running.url!), {
    method: 'POST',
    body: form,
    headers: { authorization: `Bearer ${token}` },
  });
  return { status: r.status, body: (await r.json()) as any };
}

describe('what the web pages read', () => {
  it('POST /v1/validate answers every issue of each file, or that it is valid, and stores nothing', async () => {
    const before = await services.db.selectFrom('submission').select('id').execute();
    const [good] = await namPoFiles((n) => n.startsWith('03156-hts-ban'));
    const bad =
      'commune,period,Tên thôn/bản,Số hộ,Số nhân khẩu,Có internet cáp quang,Có sóng di động,Có sóng 3G trở lên,Số ' +
      'người dùng điện thoại thông minh,Số người có tài khoản thanh toán điện tử\n03156,2023-Q2,Bản A,10,abc,có,không,có,5,2\n';
    const r = await post('/v1/validate', namTin, [good!, { name: 'bad.csv', bytes: bad }]);
    expect(r.status).toBe(200);
    expect(r.body.results[0]).toMatchObject({
      filename: good!.name,
      valid: true,
      form: 'HTS-BAN',
      commune: '03156',
      period: '2023-Q2',
      rows: 9,
      issues: [],
    });
    expect(r.body.results[1]).toMatchObject({ filename: 'bad.csv', valid: false });
    expect(r.body.results[1].issues.map((i: any) => [i.row, i.column, i.code])).toEqual([
      [2, 'Số nhân khẩu', 'VALUE_NOT_INTEGER'],
      [2, 'Có sóng 3G trở lên', 'RULE_REQUIRES'],
    ]);
    expect(r.body.results[1].issues[0].message.vi).toMatch(/số nguyên/u);
    expect((await post('/v1/validate', namTin, [good!], { commune: '03165' })).status).toBe(403);
    expect(await services.db.selectFrom('submission').select('id').execute()).toEqual(before);
  });

  it('a commune lists its submissions and downloads their raw files; another commune gets 403 for the file', async () => {
    const list = await getJson(running.url!, namTin, '/v1/submissions?commune=03156');
    expect(list.status).toBe(200);
    expect(list.body.submissions.map((s: any) => [s.form, s.period, s.version, s.status]).sort()).toEqual([
      ['HTS-BAN', '2023-Q2', 1, 'accepted'],
      ['HTS-XA', '2023-Q2', 1, 'accepted'],
    ]);
    const id = list.body.submissions.find((s: any) => s.form === 'HTS-BAN').id;
    const [original] = await namPoFiles((n) => n.startsWith('03156-hts-ban'));
    const file = await fetch(new URL(`/v1/submissions/${id}/file`, running.url!), {
      headers: { authorization: `Bearer ${namTin}` },
    });
    expect(file.status).toBe(200);
    expect(file.headers.get('content-disposition')).toContain('03156-hts-ban-2023-Q2.csv');
    expect(Buffer.from(await file.arrayBuffer()).equals(original!.bytes as Buffer)).toBe(true);
    const other = await getJson(running.url!, paTan, `/v1/submissions/${id}/file`);
    expect(other.status).toBe(403);
    expect(other.body.error.message.en).toMatch(/no access/u);
    expect((await getJson(running.url!, paTan, '/v1/submissions?commune=03156')).status).toBe(403);
    expect((await getJson(running.url!, namTin, '/v1/submissions/999999/file')).status).toBe(404);
  });

  it('what is due: the recent quarters not yet sent, beside the periods sent with their versions', async () => {
    const due = await getJson(running.url!, namTin, '/v1/due?commune=03156');
    expect(due.status).toBe(200);
    const q2 = due.body.periods.find((p: any) => p.period === '2023-Q2');
    expect(q2.forms.map((f: any) => [f.form, f.version])).toEqual([
      ['HTS-BAN', 1],
      ['HTS-XA', 1],
    ]);
    const recent = due.body.periods.filter((p: any) => p.period !== '2023-Q2');
    expect(recent).toHaveLength(4);
    expect(recent.every((p: any) => p.forms.every((f: any) => f.version === null))).toBe(true);
    // Sent years after its deadline: late. Not sent: due before the deadline, overdue after it (working days left below 0).
    expect(q2.forms.map((f: any) => f.state)).toEqual(['late', 'late']);
    for (const f of recent.flatMap((p: any) => p.forms))
      expect(f.state).toBe(f.working_days_left < 0 ? 'overdue' : 'due');
    // Each form's next period owed: the one whose deadline comes next, or, when every one has passed, the latest missed.
    const ended = recent.filter((p: any) => p.forms.every((f: any) => f.state === 'overdue'));
    expect(ended.length).toBeGreaterThanOrEqual(3);
    const open = recent.find((p: any) => p.forms.some((f: any) => f.state === 'due'));
    const expectedNext = open ?? ended[0];
    expect(due.body.next).toEqual(
      ['HTS-BAN', 'HTS-XA'].map((form) => {
        const slot = expectedNext.forms.find((f: any) => f.form === form);
        return {
          form,
          period: expectedNext.period,
          deadline: slot.deadline,
          working_days_left: slot.working_days_left,
          state: slot.state,
        };
      }),
    );
  });

  it('completeness names the missing communes and when each last reported', async () => {
    const r = await getJson(running.url!, province, '/v1/reporting?period=Q2/2023');
    expect(r.status).toBe(200);
    expect(r.body.forms).toEqual([
      { form: 'HTS-BAN', expected: 15, reported: 15, missing: [] },
      { form: 'HTS-XA', expected: 15, reported: 13, missing: notYet },
    ]);
    for (const code of notYet) {
      const commune = r.body.communes.find((c: any) => c.code === code);
      expect(commune.reports['HTS-XA']).toBeNull();
      expect(commune.last_report).toMatchObject({ period: '2023-Q2', form: 'HTS-BAN' });
    }
    // Instants are written by Postgres (iso-instant.ts) as the Dates read back would serialize.
    const ban = r.body.communes[0].reports['HTS-BAN'];
    const stored = await services.db
      .selectFrom('submission')
      .select('received_at')
      .where('id', '=', ban.submission_id)
      .executeTakeFirstOrThrow();
    expect(ban.received_at).toBe(stored.received_at.toISOString());
    const last = await services.db
      .selectFrom('submission')
      .select('received_at')
      .where('commune_code', '=', notYet[0]!)
      .orderBy('received_at', 'desc')
      .executeTakeFirstOrThrow();
    expect(r.body.communes.find((c: any) => c.code === notYet[0]).last_report.received_at).toBe(
      last.received_at.toISOString(),
    );
    expect(r.body.districts).toEqual([{ code: '103', name: 'Huyện Nậm Pồ' }]);
    expect((await getJson(running.url!, namTin, '/v1/reporting?period=2023-Q2')).status).toBe(403);
    expect((await getJson(running.url!, admin, '/v1/reporting?period=2023-Q2&province=11')).status).toBe(200);
    const periods = await getJson(running.url!, province, '/v1/periods');
    expect(periods.body.periods.map((p: any) => [p.province_code, p.period])).toEqual([['11', '2023-Q2']]);
  });

  it('lineage: Nậm Pồ’s fiber figure comes from the 15 current HTS-BAN files, and as of an earlier time from the versions current then', async () => {
    const path = '/v1/lineage?level=district&unit=103&period=2023-Q2&indicator=fiber_village_rate';
    const r = await getJson(running.url!, province, path);
    expect(r.status).toBe(200);
    expect(r.body.figure).toMatchObject({ unit_name: 'Huyện Nậm Pồ', numerator: 65, denominator: 121 });
    expect(r.body.form).toBe('HTS-BAN');
    expect(r.body.sources).toHaveLength(15);
    expect(r.body.sources.reduce((t: number, s: any) => t + s.numerator, 0)).toBe(65);
    expect(r.body.sources.reduce((t: number, s: any) => t + s.denominator, 0)).toBe(121);
    const namTinSource = r.body.sources.find((s: any) => s.commune_code === '03156');
    expect(namTinSource).toMatchObject({
      commune_name: 'Xã Nậm Tin',
      form: 'HTS-BAN',
      version: 1,
      filename: '03156-hts-ban-2023-Q2.csv',
    });
    expect(namTinSource.versions.map((v: any) => v.version)).toEqual([1]);
    // Instants are written by Postgres (iso-instant.ts) as the Dates read back would serialize.
    const stored = await services.db
      .selectFrom('submission')
      .select(['received_at', 'finished_at'])
      .where('id', '=', namTinSource.submission_id)
      .executeTakeFirstOrThrow();
    expect([namTinSource.received_at, namTinSource.finished_at, namTinSource.versions[0].received_at]).toEqual([
      stored.received_at.toISOString(),
      stored.finished_at!.toISOString(),
      stored.received_at.toISOString(),
    ]);
    expect(r.body.figure.computed_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/u);
    const before = new Date().toISOString();

    // A correction: Nậm Tin adds a village with fibre.
    const [file] = await namPoFiles((n) => n.startsWith('03156-hts-ban'));
    const fixed = `${file!.bytes.toString().trim()}\n03156,2023-Q2,Bản Mới,20,80,Có,Có,Có,30,20\n`;
    expect((await upload(running.url!, province, [{ name: 'sua.csv', bytes: fixed }])).status).toBe(202);
    await settled(services.db, running.deps.queues);
    const now = await getJson(running.url!, province, path);
    expect(now.body.figure).toMatchObject({ numerator: 66, denominator: 122 });
    const corrected = now.body.sources.find((s: any) => s.commune_code === '03156');
    expect(corrected).toMatchObject({ version: 2, filename: 'sua.csv' });
    expect(corrected.versions.map((v: any) => [v.version, v.status])).toEqual([
      [2, 'accepted'],
      [1, 'superseded'],
    ]);
    const then = await getJson(running.url!, province, `${path}&as_of=${encodeURIComponent(before)}`);
    expect(then.body.figure).toMatchObject({ numerator: 65, denominator: 121 });
    expect(then.body.sources.find((s: any) => s.commune_code === '03156')).toMatchObject({ version: 1 });

    expect((await getJson(running.url!, namTin, path)).status).toBe(403);
    expect(
      (
        await getJson(
          running.url!,
          namTin,
          '/v1/lineage?level=commune&unit=03156&period=2023-Q2&indicator=fiber_village_rate',
        )
      ).status,
    ).toBe(200);
    expect((await getJson(running.url!, province, `${path}&as_of=2000-01-01`)).status).toBe(404);
  });

  it('snapshots export as XLSX, and text that a spreadsheet would run as a formula is neutralized', async () => {
    const r = await fetch(
      new URL('/v1/snapshots?level=commune&period=2023-Q2&indicator=fiber_village_rate&format=xlsx', running.url!),
      { headers: { authorization: `Bearer ${province}` } },
    );
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/spreadsheetml/u);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(await r.arrayBuffer()) as any);
    const sheet = book.worksheets[0]!;
    expect(sheet.rowCount).toBe(16);
    expect(sheet.getRow(1).getCell(1).value).toBe('level');
    expect(sheet.getRow(1).font?.bold).toBe(true);
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });

    const evil = new ExcelJS.Workbook();
    await evil.xlsx.load((await toXlsx(['name', 'n'], [{ name: '=HYPERLINK("http://x")', n: 3 }])) as any);
    expect(evil.worksheets[0]!.getRow(2).values).toEqual([undefined, `'=HYPERLINK("http://x")`, 3]);
  });

  it('the operator status: queue counts, snapshot lag, last rollups and failed jobs, for an admin only', async () => {
    const r = await getJson(running.url!, admin, '/v1/status');
    expect(r.status).toBe(200);
    expect(r.body.queues.map((q: any) => q.name)).toEqual(['normalize', 'rollup']);
    expect(r.body.queues[0]).toMatchObject({ waiting: 0, active: 0, failed: 0 });
    expect(r.body.queues[0].workers).toBeGreaterThan(0);
    expect(r.body.snapshot_lag_seconds).toBe(0);
    expect(r.body.submissions.accepted).toBeGreaterThan(20);
    expect(r.body.last_rollups[0]).toMatchObject({ province_code: '11', period: '2023-Q2' });
    expect(r.body.failed_jobs).toEqual([]);
    expect((await getJson(running.url!, province, '/v1/status')).status).toBe(403);
  });
});
