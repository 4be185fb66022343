import { join } from 'node:path';
import pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Running } from '../../src/start.ts';
import { getJson, importUnitFile, namPo, settled, tokenFor, upload, type FileToSend } from '../support/builders.ts';
import { sendJson } from '../support/cycle-requests.ts';
import { banCsv, randomVillages, seeded } from '../support/reports.ts';
import { useServices } from '../support/services.ts';

// Data quality through the real doors (SPEC §8, issue 20): POST /v1/validate, the upload, GET
// /v1/submissions/:id, GET /v1/quality, the bounds routes and analytics.quality_warning.
const services = useServices();
let running: Running;
let admin: string;
let officer: string;
let analyst: string;
let otherProvince: string;
const commune = '03156';
const history = ['2022-Q1', '2022-Q2', '2022-Q3', '2022-Q4', '2023-Q1'];

function office(period: string, o: { computers: number; staff?: number; villages?: number }): FileToSend {
  const row: Record<string, unknown> = {
    'Số máy tính': o.computers,
    'Số máy tính kết nối internet băng rộng': Math.min(o.computers, 8),
    'Số cán bộ, công chức': o.staff ?? 20,
    'Số cán bộ, công chức được trang bị máy tính': 15,
    'Kết nối mạng truyền số liệu chuyên dùng': 'Có',
    'Có điểm cầu hội nghị truyền hình trực tuyến': 'Không',
  };
  if (o.villages !== undefined) row['Số thôn/bản của xã'] = o.villages;
  return {
    name: `${commune}-xa-${period}.json`,
    bytes: JSON.stringify({ form: 'HTS-XA', commune, period, rows: [row] }),
  };
}

async function validate(token: string, file: FileToSend) {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(Buffer.from(file.bytes))]), file.name);
  const r = await fetch(new URL('/v1/validate', running.url!), {
    method: 'POST',
    body: form,
    headers: { authorization: `Bearer ${token}` },
  });
  return { status: r.status, body: (await r.json()) as any };
}

async function submitted(file: FileToSend) {
  const r = await upload(running.url!, officer, [file]);
  expect(r.status).toBe(202);
  await settled(services.db, running.deps.queues);
  const sub = await getJson(running.url!, officer, `/v1/submissions/${r.body.submissions[0].id}`);
  expect(sub.body.status).toBe('accepted');
  return sub.body;
}

beforeAll(async () => {
  running = await services.start('all');
  await importUnitFile(services.db, join(namPo, 'units.csv'));
  admin = await tokenFor(services.db, 'admin');
  officer = await tokenFor(services.db, 'commune', commune);
  analyst = await tokenFor(services.db, 'province', '11', ['read']);
  otherProvince = await tokenFor(services.db, 'province', '12', ['read']);
  // Five quarters with 10 to 11 computers: the commune's own history.
  for (const [i, period] of history.entries())
    expect((await upload(running.url!, officer, [office(period, { computers: 10 + (i % 2) })])).status).toBe(202);
  await settled(services.db, running.deps.queues);
});

describe('outliers against the commune’s own history', () => {
  it('a planted jump is shown by POST /v1/validate, accepted on upload with the warning, listed by GET /v1/quality and analytics.quality_warning', async () => {
    const jump = office('2023-Q2', { computers: 40 });
    const checked = await validate(officer, jump);
    expect(checked.status).toBe(200);
    const [result] = checked.body.results;
    expect(result).toMatchObject({ valid: true, issues: [] });
    expect(result.warnings).toEqual([
      expect.objectContaining({ row: null, column: 'computers', value: '40', code: 'OUTLIER' }),
    ]);
    expect(result.warnings[0].message.vi).toContain('2022-Q1: 10, 2022-Q2: 11, 2022-Q3: 10, 2022-Q4: 11, 2023-Q1: 10');
    expect(result.warnings[0].message.en).toMatch(
      /is 40, unusual against the commune's 5 earlier periods: history suggests about/u,
    );

    const sub = await submitted(jump);
    expect(sub.errors).toEqual([]);
    expect(sub.warnings).toEqual(result.warnings);

    const listed = await getJson(running.url!, analyst, '/v1/quality?form=HTS-XA&period=2023-Q2&province=11');
    expect(listed.status).toBe(200);
    expect(listed.body.warnings).toEqual([
      expect.objectContaining({
        submission: sub.id,
        commune: commune,
        commune_name: 'Xã Nậm Tin',
        form: 'HTS-XA',
        period: '2023-Q2',
        measure: 'computers',
        value: 40,
        code: 'OUTLIER',
        history: history.map((period, i) => ({ period, value: 10 + (i % 2) })),
      }),
    ]);
    expect((await getJson(running.url!, otherProvince, '/v1/quality?province=11')).status).toBe(403);
    expect((await getJson(running.url!, otherProvince, '/v1/quality?form=HTS-XA')).body.warnings).toEqual([]);

    const c = new pg.Client({ connectionString: services.env.DATABASE_URL });
    await c.connect();
    try {
      await c.query('begin');
      await c.query('set local role analyst');
      const view = await c.query(
        `select commune_code, measure, code, value, message_vi from analytics.quality_warning where form = 'HTS-XA' and period = '2023-Q2'`,
      );
      expect(view.rows).toEqual([
        {
          commune_code: commune,
          measure: 'computers',
          code: 'OUTLIER',
          value: 40,
          message_vi: result.warnings[0].message.vi,
        },
      ]);
    } finally {
      await c.query('rollback');
      await c.end();
    }

    // A correction replaces the version: the view and the list show the current version's warnings only.
    const corrected = await submitted(office('2023-Q2', { computers: 11 }));
    expect(corrected.warnings).toEqual([]);
    expect((await getJson(running.url!, analyst, '/v1/quality?form=HTS-XA&period=2023-Q2')).body.warnings).toEqual([]);
  });
});

describe('bounds an analyst sets', () => {
  it('flag a value outside them; removing the bound removes the warning from new submissions', async () => {
    const bound = { form: 'HTS-XA', measure: 'staff', commune, min: 10, max: 25 };
    expect((await sendJson(running.url!, officer, 'POST', '/v1/quality/bounds', bound)).status).toBe(403);
    expect((await sendJson(running.url!, otherProvince, 'POST', '/v1/quality/bounds', bound)).status).toBe(403);
    expect(
      (await sendJson(running.url!, analyst, 'POST', '/v1/quality/bounds', { ...bound, measure: 'nope' })).status,
    ).toBe(404);
    const set = await sendJson(running.url!, analyst, 'POST', '/v1/quality/bounds', bound);
    expect(set.status).toBe(201);
    expect((await getJson(running.url!, analyst, '/v1/quality/bounds?form=HTS-XA')).body.bounds).toEqual([
      expect.objectContaining({
        measure: 'staff',
        level: 'commune',
        unit_code: commune,
        province_code: '11',
        min: 10,
        max: 25,
      }),
    ]);

    const outside = office('2023-Q3', { computers: 11, staff: 30 });
    const [checked] = (await validate(officer, outside)).body.results;
    expect(checked.warnings).toEqual([
      expect.objectContaining({ code: 'OUTLIER_BOUNDS', column: 'staff', value: '30' }),
    ]);
    expect(checked.warnings[0].message.en).toContain('outside the range 10–25');
    expect((await submitted(outside)).warnings.map((w: any) => w.code)).toEqual(['OUTLIER_BOUNDS']);

    const removed = await sendJson(running.url!, analyst, 'DELETE', '/v1/quality/bounds', {
      form: 'HTS-XA',
      measure: 'staff',
      commune,
    });
    expect(removed).toMatchObject({ status: 200, body: { removed: 1 } });
    expect((await submitted(office('2023-Q3', { computers: 11, staff: 31 }))).warnings).toEqual([]);
    const audit = await services.db
      .selectFrom('audit_log')
      .select('action')
      .where('action', 'like', 'quality.%')
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['quality.bound.set', 'quality.bound.remove']);
  });
});

describe('consistency across forms, declared in the definitions', () => {
  it('the villages the commune office declares are checked against the village form’s rows, whichever arrives second', async () => {
    const villages = randomVillages(seeded(7), 4);
    await submitted({ name: 'ban.csv', bytes: banCsv(commune, '2023-Q4', villages) });
    const xa = await submitted(office('2023-Q4', { computers: 11, villages: 6 }));
    expect(xa.warnings).toEqual([
      expect.objectContaining({ code: 'INCONSISTENT', column: 'villages_declared', value: '6' }),
    ]);
    expect(xa.warnings[0].message.en).toContain(
      'should be equal to villages of form HTS-BAN for the same commune and period (4)',
    );
    // The village report corrected to six rows agrees; the office's report, unchanged, keeps what it was judged with.
    const ban = await submitted({ name: 'ban2.csv', bytes: banCsv(commune, '2023-Q4', randomVillages(seeded(8), 6)) });
    expect(ban.warnings).toEqual([]);
    const wrongBan = await submitted({
      name: 'ban3.csv',
      bytes: banCsv(commune, '2023-Q4', randomVillages(seeded(9), 5)),
    });
    expect(wrongBan.warnings).toEqual([
      expect.objectContaining({ code: 'INCONSISTENT', column: 'villages', value: '5' }),
    ]);
    // An office report without the optional count declares nothing: no warning.
    expect((await submitted(office('2023-Q4', { computers: 12 }))).warnings).toEqual([]);
    expect(admin).toBeTruthy();
  });
});
