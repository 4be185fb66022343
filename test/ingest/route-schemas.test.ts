import { beforeAll, describe, expect, it } from 'vitest';
import type { Running } from '../../src/start.ts';
import { httpErrors } from '../../src/ingest/errors.ts';
import { tokenFor } from '../support/builders.ts';
import { useServices } from '../support/services.ts';

// A route's zod schema is its check, its types and its /docs entry (src/ingest/route-schema.ts).
const services = useServices();
let running: Running;
let admin: string;

beforeAll(async () => {
  running = await services.start('ingest');
  admin = await tokenFor(services.db, 'admin', null, ['read', 'approve']);
});

const send = (method: 'GET' | 'DELETE', url: string) =>
  running.app!.inject({ method, url, headers: { authorization: `Bearer ${admin}` } });

describe('a request its schema refuses', () => {
  it('is answered 400 with the bilingual message and each problem with its path', async () => {
    const r = await send('GET', '/v1/completeness?period=not-a-period&unit=1');
    expect(r.statusCode).toBe(400);
    const body = r.json();
    expect(body.error.code).toBe('TONGHOP_ERR_BAD_REQUEST');
    expect(body.error.message).toEqual(httpErrors.TONGHOP_ERR_BAD_REQUEST.message);
    expect(body.error.details).toEqual([
      { path: 'period', message: { vi: 'không phải một kỳ báo cáo: not-a-period', en: 'not a period: not-a-period' } },
      {
        path: 'unit',
        message: { vi: expect.stringContaining('không hợp lệ'), en: expect.stringContaining('Invalid') },
      },
    ]);
  });

  it('says each problem in Vietnamese too, zod’s own messages and ours alike', async () => {
    const r = await running.app!.inject({
      method: 'POST',
      url: '/v1/approvals',
      headers: { authorization: `Bearer ${admin}` },
      payload: { form: 'HTS-BAN', period: '2023-Q2', level: 'commune', unit: '03156', missing: true, reason: 'x' },
    });
    expect(r.statusCode).toBe(400);
    const [problem] = r.json().error.details;
    expect(problem.path).toBe('reason');
    expect(problem.message.en).toMatch(/>=3 characters/u);
    expect(problem.message.vi).toMatch(/3 ký tự/u);
    const unmarked = await running.app!.inject({
      method: 'POST',
      url: '/v1/approvals',
      headers: { authorization: `Bearer ${admin}` },
      payload: { form: 'HTS-BAN', period: '2023-Q2', level: 'commune', unit: '03156', missing: true },
    });
    expect(unmarked.json().error.details).toEqual([
      {
        path: 'reason',
        message: { vi: 'đánh dấu thiếu báo cáo cần kèm lý do', en: 'a unit is marked missing with a reason' },
      },
    ]);
  });

  it('takes an as_of in ISO 8601 only, not whatever `new Date` makes of a number or a date in words', async () => {
    for (const asOf of ['1', 'Dec 6 2026', '2026-13-45', '2026-02-30', '2026-02-30T10:00:00Z', 'yesterday']) {
      const r = await send('GET', `/v1/snapshots?period=2023-Q2&as_of=${encodeURIComponent(asOf)}`);
      expect([asOf, r.statusCode]).toEqual([asOf, 400]);
      expect(r.json().error.details).toEqual([
        {
          path: 'as_of',
          message: { vi: expect.stringContaining('ISO 8601'), en: expect.stringContaining('ISO 8601') },
        },
      ]);
    }
    for (const asOf of ['2026-01-01', '2026-01-01T10:00:00+07:00', '2026-01-01T03:00:00.000Z'])
      expect([
        asOf,
        (await send('GET', `/v1/snapshots?period=2023-Q2&as_of=${encodeURIComponent(asOf)}`)).statusCode,
      ]).toEqual([asOf, 200]);
  });

  it('gives the handler parsed values: a period in any spelling is read as the canonical one', async () => {
    const r = await send('GET', `/v1/approvals?form=hts-ban&period=${encodeURIComponent('Quý II/2023')}&province=99`);
    // The form code upper-cased and the period parsed reach the handler, which finds no such province.
    expect(r.statusCode).toBe(404);
  });

  it('reads a DELETE’s fields from the query when it has no body', async () => {
    const r = await send('DELETE', '/v1/locks?form=HTS-BAN&period=2023-Q2');
    expect(r.statusCode).toBe(400);
    expect(r.json().error.details).toEqual([
      { path: 'province', message: { vi: expect.any(String), en: expect.any(String) } },
    ]);
  });
});

describe('/docs', () => {
  it('describes a route from its schema: its parameters, and the refusals it lists', async () => {
    const doc = (await running.app!.inject({ method: 'GET', url: '/docs' })).json();
    const op = doc.paths['/v1/completeness'].get;
    expect(op.parameters.map((p: { name: string }) => p.name).sort()).toEqual(['level', 'period', 'unit']);
    expect(op.parameters.find((p: { name: string }) => p.name === 'unit')).toMatchObject({
      required: true,
      schema: { pattern: '^\\d{2,5}$' },
    });
    expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['200', '400', '401', '403', '404', '429']));
    expect(op.responses['400'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Error' });
    expect(doc.paths['/v1/submissions'].post.requestBody.content['multipart/form-data'].schema.required).toEqual([
      'file',
    ]);
    expect(Object.keys(doc.paths).filter((p) => !/^\/(v1|health)\//u.test(p))).toEqual([]);
  });
});
