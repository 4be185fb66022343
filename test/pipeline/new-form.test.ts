import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Running } from '../../src/start.ts';
import { fixtures, getJson, importUnitFile, namPo, settled, tokenFor, upload, waitFor } from '../support/builders.ts';
import { runTonghop } from '../support/child.ts';
import { csvOf } from '../support/report-files.ts';
import { useServices } from '../support/services.ts';

const services = useServices();
let running: Running;
let token: string;

beforeAll(async () => {
  running = await services.start('all');
  await importUnitFile(services.db, join(namPo, 'units.csv'));
  token = await tokenFor(services.db, 'province', '11');
});

/** The form's template as the API gives it, filled in like an officer does: label cells and the one data row, by header. */
async function filledTemplate(
  code: string,
  commune: string,
  period: string,
  values: Record<string, ExcelJS.CellValue>,
): Promise<Buffer> {
  const response = await fetch(new URL(`/v1/forms/${code}/template.xlsx`, running.url!));
  expect(response.status).toBe(200);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(await response.arrayBuffer());
  const ws = wb.worksheets[0]!;
  expect(ws.getCell('C2').value).toBe(code);
  ws.getCell('C3').value = commune;
  ws.getCell('C4').value = period;
  const headers = ws.getRow(6).values as ExcelJS.CellValue[];
  for (const [header, value] of Object.entries(values)) {
    const column = headers.indexOf(header);
    expect(column, header).toBeGreaterThan(0);
    ws.getRow(8).getCell(column).value = value;
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function figure(level: string, unit: string, period: string, indicator: string) {
  const r = await getJson(
    running.url!,
    token,
    `/v1/snapshots?level=${level}&unit=${unit}&period=${period}&indicator=${indicator}`,
  );
  expect(r.status).toBe(200);
  expect(r.body.snapshots, `${level} ${unit} ${period} ${indicator}`).toHaveLength(1);
  return r.body.snapshots[0];
}

describe('a form imported into a running pipeline', () => {
  it('is served within seconds without a restart: its template, reports in XLSX, CSV and JSON, and exact commune and province figures', async () => {
    expect((await getJson(running.url!, null, '/v1/forms/DVC-XA/template.xlsx')).status).toBe(404);
    // Imported by another process (the CLI), as an administrator does: the running one finds it by itself.
    const imported = await runTonghop(['forms', 'import', join(fixtures, 'forms', 'dvc-xa.yaml')], services.env);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toContain('DVC-XA version 1: imported');
    const started = Date.now();
    await waitFor(
      async () => (await getJson(running.url!, null, '/v1/forms')).body.forms.some((f: any) => f.code === 'DVC-XA'),
      'the ingest to serve DVC-XA',
      5000,
    );
    expect(Date.now() - started).toBeLessThan(3000);

    const xlsx = await filledTemplate('DVC-XA', '03156', 'Tháng 3/2024', {
      'Số hồ sơ tiếp nhận': 120,
      'Số hồ sơ nộp trực tuyến': 90,
      'Phí lệ phí thu trực tuyến (triệu đồng)': 12.25,
      'Có máy tra cứu tự phục vụ': 'Có',
      'Kênh tiếp nhận chính': 'Cổng Dịch vụ công quốc gia',
    });
    // Semicolons, as Excel writes under Vietnamese settings, with a decimal comma; the optional remark filled, an alias header.
    const csv = csvOf(
      [
        [
          'form',
          'commune',
          'period',
          'Số hồ sơ tiếp nhận',
          'Hồ sơ trực tuyến',
          'Phí lệ phí thu trực tuyến (triệu đồng)',
          'Có máy tra cứu tự phục vụ',
          'Kênh tiếp nhận chính',
          'Ghi chú của xã',
        ],
        ['DVC-XA', '03165', '2024-03', '45', '9', '0,1', 'Không', 'desk', 'mất điện 3 ngày'],
      ],
      ';',
    );
    // No remark column at all: the field is optional. The form is inferred from the headers.
    const json = JSON.stringify({
      commune: '03166',
      period: '03/2024',
      rows: [{ received: 7, online: 7, fees_online: '0.2', kiosk: 'x', channel: 'Province portal' }],
    });
    const tooMany = csvOf([
      ['form', 'commune', 'period', 'received', 'online', 'fees_online', 'kiosk', 'channel'],
      ['DVC-XA', '03167', '2024-03', '5', '6', '1.234', 'có', 'desk'],
    ]);
    for (const file of [
      { name: 'nam-tin.xlsx', bytes: xlsx },
      { name: 'pa-tan.csv', bytes: csv },
      { name: 'cha-cang.json', bytes: json },
      { name: 'na-co-sa.csv', bytes: tooMany },
    ]) {
      expect((await upload(running.url!, token, [file])).status).toBe(202);
    }
    await settled(services.db, running.deps.queues);

    const subs = await services.db
      .selectFrom('submission')
      .select(['filename', 'status', 'form', 'errors'])
      .orderBy('id')
      .execute();
    expect(subs.map((s) => [s.filename, s.status, s.form])).toEqual([
      ['nam-tin.xlsx', 'accepted', 'DVC-XA'],
      ['pa-tan.csv', 'accepted', 'DVC-XA'],
      ['cha-cang.json', 'accepted', 'DVC-XA'],
      ['na-co-sa.csv', 'rejected', 'DVC-XA'],
    ]);
    expect((subs[3]!.errors as any[]).map((e) => [e.code, e.column, e.value])).toEqual([
      ['VALUE_DECIMALS', 'fees_online', '1.234'],
      ['RULE_AT_MOST', 'online', '6'],
    ]);
    const stored = await services.db.selectFrom('report_row').select('data').orderBy('submission_id').execute();
    expect(stored.map((r) => r.data)).toEqual([
      { received: 120, online: 90, fees_online: '12.25', kiosk: true, channel: 'national', remark: null },
      { received: 45, online: 9, fees_online: '0.1', kiosk: false, channel: 'desk', remark: 'mất điện 3 ngày' },
      { received: 7, online: 7, fees_online: '0.2', kiosk: true, channel: 'province', remark: null },
    ]);

    expect(await figure('commune', '03165', '2024-03', 'online_fees_total')).toMatchObject({
      numerator: 0.1,
      value: 0.1,
      communes_covered: 1,
    });
    expect(await figure('commune', '03156', '2024-03', 'online_record_rate')).toMatchObject({
      numerator: 90,
      denominator: 120,
      value: 0.75,
    });
    // 12.25 + 0.1 + 0.2 in floating point is 12.549999999999999: the sum is exact.
    expect(await figure('province', '11', '2024-03', 'online_fees_total')).toMatchObject({
      numerator: 12.55,
      denominator: null,
      value: 12.55,
      communes_reporting: 3,
      communes_covered: 3,
      communes_expected: 15,
    });
    expect(await figure('district', '103', '2024-03', 'online_record_rate')).toMatchObject({
      numerator: 106,
      denominator: 172,
    });
    expect((await figure('province', '11', '2024-03', 'online_record_rate')).value).toBeCloseTo(106 / 172, 12);
    expect(await figure('province', '11', '2024-03', 'kiosk_commune_rate')).toMatchObject({
      numerator: 2,
      denominator: 3,
    });
    // The newest snapshot version: the rollup may have made one before all three reports were in.
    const numeric = await services.db
      .selectFrom('snapshot_row')
      .select((eb) => eb.cast<string>('numerator', 'text').as('n'))
      .where('level', '=', 'province')
      .where('indicator', '=', 'online_fees_total')
      .orderBy('snapshot_version', 'desc')
      .executeTakeFirstOrThrow();
    expect(numeric.n).toBe('12.55');

    const listed = await getJson(running.url!, null, '/v1/forms');
    expect(listed.body.forms.find((f: any) => f.code === 'DVC-XA')).toMatchObject({
      periodicity: 'month',
      version: 1,
      versions: [{ version: 1, valid_from: null }],
    });
  });
});

describe('the shipped commune digital-transformation form (CDS-XA, yearly, one row per commune)', () => {
  const headers = {
    online_services: 'Số dịch vụ công trực tuyến toàn trình',
    records_digitized_pct: 'Tỷ lệ hồ sơ được số hóa (%)',
    records: 'Số hồ sơ thủ tục hành chính tiếp nhận',
    portal: 'Có cổng thông tin điện tử của xã',
    connection: 'Loại kết nối internet',
    team_members: 'Số thành viên tổ công nghệ số cộng đồng',
    staff: 'Số cán bộ, công chức xã',
    staff_trained: 'Số cán bộ, công chức được bồi dưỡng kỹ năng số',
  };
  it('takes reports in XLSX, CSV and JSON for a year, refuses staff trained above staff with the form’s own message, and sums exactly', async () => {
    const xlsx = await filledTemplate('CDS-XA', '03168', 'Năm 2024', {
      [headers.online_services]: 25,
      [headers.records_digitized_pct]: 80.5,
      [headers.records]: 1200,
      [headers.portal]: 'Có',
      [headers.connection]: 'Cáp quang',
      [headers.team_members]: 12,
      [headers.staff]: 20,
      [headers.staff_trained]: 18,
    });
    const row = (commune: string, pct: string, trained: string, connection: string) => [
      commune,
      '2024',
      '31',
      pct,
      '900',
      'không',
      connection,
      '9',
      '18',
      trained,
    ];
    const header = ['commune', 'period', ...Object.values(headers)];
    const csv = csvOf([header, row('03169', '66,7', '18', 'ADSL')], ';');
    const json = JSON.stringify({
      form: 'CDS-XA',
      commune: '03170',
      period: '2024',
      rows: [
        {
          online_services: 40,
          records_digitized_pct: 90.1,
          records: 500,
          portal: true,
          connection: 'mobile',
          team_members: 7,
          staff: 15,
          staff_trained: 15,
        },
      ],
    });
    const broken = csvOf([header, row('03171', '12.25', '19', 'Wi-Fi')], ';');
    const quarter = csvOf(
      [header, row('03173', '50', '1', 'ADSL')].map((r) => r.map((c) => (c === '2024' ? '2024-Q1' : c))),
      ';',
    );
    const before = await services.db
      .selectFrom('submission')
      .select((eb) => eb.fn.max('id').as('id'))
      .executeTakeFirstOrThrow();
    for (const file of [
      { name: 'cds.xlsx', bytes: xlsx },
      { name: 'cds.csv', bytes: csv },
      { name: 'cds.json', bytes: json },
      { name: 'broken.csv', bytes: broken },
      { name: 'quarter.csv', bytes: quarter },
    ]) {
      expect((await upload(running.url!, token, [file])).status).toBe(202);
    }
    await settled(services.db, running.deps.queues);
    const subs = await services.db
      .selectFrom('submission')
      .select(['filename', 'status', 'errors'])
      .where('id', '>', Number(before.id))
      .orderBy('id')
      .execute();
    expect(subs.map((s) => [s.filename, s.status])).toEqual([
      ['cds.xlsx', 'accepted'],
      ['cds.csv', 'accepted'],
      ['cds.json', 'accepted'],
      ['broken.csv', 'rejected'],
      ['quarter.csv', 'rejected'],
    ]);
    expect((subs[3]!.errors as any[]).map((e) => [e.code, e.value, e.message.en])).toEqual([
      ['VALUE_DECIMALS', '12.25', 'At most 1 decimal places.'],
      ['VALUE_NOT_CHOICE', 'Wi-Fi', 'Must be one of: Cáp quang, ADSL, Di động (3G/4G/5G), Vệ tinh, Chưa có.'],
      ['RULE_AT_MOST', '19', "Staff trained in digital skills must not exceed the commune's staff."],
    ]);
    expect((subs[4]!.errors as any[]).map((e) => e.code)).toEqual(['META_PERIOD_KIND']);

    expect(await figure('province', '11', '2024', 'portal_commune_rate')).toMatchObject({
      numerator: 2,
      denominator: 3,
      communes_reporting: 3,
      communes_expected: 15,
    });
    expect(await figure('province', '11', '2024', 'records_digitized_mean_pct')).toMatchObject({
      numerator: 237.3,
      denominator: 3,
    });
    expect(await figure('commune', '03169', '2024', 'records_digitized_mean_pct')).toMatchObject({
      numerator: 66.7,
      denominator: 1,
      value: 66.7,
    });
    expect(await figure('province', '11', '2024', 'staff_digital_skills_rate')).toMatchObject({
      numerator: 51,
      denominator: 53,
    });
    expect(await figure('district', '103', '2024', 'online_services_total')).toMatchObject({
      numerator: 96,
      value: 96,
    });
    expect(await figure('province', '11', '2024', 'digital_team_members')).toMatchObject({ numerator: 28 });
  });
});
