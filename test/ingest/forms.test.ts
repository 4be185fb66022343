import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Running } from '../../src/start.ts';
import { getJson } from '../support/builders.ts';
import { useServices } from '../support/services.ts';

const services = useServices();
let running: Running;
beforeAll(async () => {
  running = await services.start('ingest');
});

describe('forms and their templates', () => {
  it('GET /v1/forms lists the shipped forms with their Vietnamese headers, indicators and versions', async () => {
    const r = await getJson(running.url!, null, '/v1/forms');
    expect(r.status).toBe(200);
    expect(r.body.forms.map((f: any) => f.code)).toEqual(['CDS-XA', 'HTS-BAN', 'HTS-XA']);
    const ban = r.body.forms[1];
    expect(ban.fields[0]).toMatchObject({ key: 'village', header: 'Tên thôn/bản', type: 'text', required: true });
    expect(ban).toMatchObject({
      version: 1,
      valid_from: null,
      periodicity: 'quarter',
      rows: 'many',
      row_key: 'village',
      calendar: { expiry_days: 0 },
    });
    expect(ban.versions).toHaveLength(1);
    expect(r.body.forms.slice(1).flatMap((f: any) => f.indicators.map((i: any) => i.code))).toHaveLength(10);
  });

  it('a template is an office form: title, labels, STT, Vietnamese headers, columns numbered, drop-downs, whole-number checks, signatures', async () => {
    const response = await fetch(new URL('/v1/forms/HTS-BAN/template.xlsx', running.url!));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/spreadsheetml/u);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await response.arrayBuffer());
    const ws = wb.worksheets[0]!;
    expect(ws.getCell('B2').value).toBe('Biểu mẫu:');
    expect(ws.getCell('C2').value).toBe('HTS-BAN');
    expect(ws.getCell('B3').value).toBe('Mã xã:');
    expect(ws.getCell('B4').value).toBe('Kỳ báo cáo:');
    expect(ws.getRow(6).getCell(1).value).toBe('STT');
    expect(ws.getRow(6).getCell(2).value).toBe('Tên thôn/bản');
    expect(ws.getRow(6).getCell(5).value).toBe('Có internet cáp quang');
    expect(ws.getRow(7).values).toEqual([undefined, '(1)', '(2)', '(3)', '(4)', '(5)', '(6)', '(7)', '(8)', '(9)']);
    expect(ws.getRow(8).getCell(1).value).toBe(1);
    expect(ws.getRow(8).getCell(5).dataValidation).toMatchObject({ type: 'list', formulae: ['"Có,Không"'] });
    expect(ws.getRow(8).getCell(3).dataValidation).toMatchObject({ type: 'whole', operator: 'greaterThanOrEqual' });
    const below = ws
      .getRows(158, 4)!
      .flatMap((row) => (row.values as unknown[]).filter((value) => typeof value === 'string'));
    expect(below).toEqual([
      '……, ngày … tháng … năm ……',
      'Người lập biểu',
      'Chủ tịch UBND xã',
      '(Ký, ghi rõ họ tên)',
      '(Ký, ghi rõ họ tên)',
    ]);
    expect((await fetch(new URL('/v1/forms/NOPE/template.xlsx', running.url!))).status).toBe(404);
  });

  it('the OpenAPI description is served at /docs', async () => {
    const r = await getJson(running.url!, null, '/docs');
    expect(r.body.openapi).toBe('3.1.0');
    expect(Object.keys(r.body.paths)).toEqual(
      expect.arrayContaining(['/v1/submissions', '/v1/submissions/{id}', '/v1/snapshots', '/v1/completeness']),
    );
  });
});

describe('a filled template', () => {
  it('is accepted as it is: the round trip from GET template.xlsx to an accepted report', async () => {
    const { importUnitFile, namPo, tokenFor, upload, waitFor, getJson } = await import('../support/builders.ts');
    const { join } = await import('node:path');
    const all = await services.start('all');
    await importUnitFile(services.db, join(namPo, 'units.csv'));
    const token = await tokenFor(services.db, 'commune', '03166');
    for (const [code, rows] of [
      [
        'HTS-BAN',
        [
          ['Bản Chà Cang', 120, 540, 'Có', 'Có', 'Có', 250, 130],
          ['Bản Nà Pẩu', 80, 360, 'Không', 'Có', 'Không', 100, 40],
        ],
      ],
      ['HTS-XA', [[12, 10, 22, 22, 'Có', 'Không']]],
    ] as const) {
      const response = await fetch(new URL(`/v1/forms/${code}/template.xlsx`, all.url!));
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(await response.arrayBuffer());
      const ws = wb.worksheets[0]!;
      ws.getCell('C3').value = '03166';
      ws.getCell('C4').value = 'Quý II/2023';
      rows.forEach((row, i) => row.forEach((value, j) => (ws.getRow(8 + i).getCell(j + 2).value = value)));
      const filled = Buffer.from(await wb.xlsx.writeBuffer());
      const r = await upload(all.url!, token, [{ name: `${code}.xlsx`, bytes: filled }]);
      expect(r.status).toBe(202);
      const s = await waitFor(async () => {
        const g = await getJson(all.url!, token, `/v1/submissions/${r.body.submissions[0].id}`);
        return ['queued', 'processing'].includes(g.body.status) ? null : g.body;
      }, 'decision');
      expect(s, JSON.stringify(s.errors)).toMatchObject({
        status: 'accepted',
        form: code,
        commune: '03166',
        period: '2023-Q2',
        version: 1,
      });
    }
  });
});
