import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { beforeAll, describe, expect, it } from 'vitest';
import { revokeToken } from '../../src/accounts/tokens.ts';
import { start, type Running } from '../../src/start.ts';
import { importUnits, unitsFromCsv } from '../../src/units/import.ts';
import { getJson, importUnitFile, namPo, namPoFiles, settled, tokenFor, upload, waitFor } from '../support/builders.ts';
import { officeFile, withDirectoryEntry } from '../support/office-files.ts';
import { wordDocument } from '../support/report-files.ts';
import { useServices } from '../support/services.ts';

const services = useServices();
let running: Running;

beforeAll(async () => {
  running = await services.start('all');
  await importUnitFile(services.db, join(namPo, 'units.csv'));
});

describe('who may send what', () => {
  it('a commune token posting for another commune gets 403, in Vietnamese and English, and nothing is stored', async () => {
    const token = await tokenFor(services.db, 'commune', '03156');
    const [file] = await namPoFiles((n) => n.startsWith('03165-hts-xa'));
    const r = await upload(running.url!, token, [file!], { commune: '03165' });
    expect(r.status).toBe(403);
    expect(r.body.error.code).toBe('TONGHOP_ERR_FORBIDDEN');
    expect(r.body.error.message.vi).toMatch(/quyền/u);
    expect(r.body.error.message.en).toMatch(/access/u);
    const stored = await services.db.selectFrom('submission').select('id').execute();
    expect(stored).toEqual([]);
  });

  it('a commune token whose file names another commune is rejected by the worker as forbidden', async () => {
    const token = await tokenFor(services.db, 'commune', '03156');
    const [file] = await namPoFiles((n) => n.startsWith('03165-hts-xa'));
    const r = await upload(running.url!, token, [file!]);
    expect(r.status).toBe(202);
    const id = r.body.submissions[0].id;
    const status = await waitFor(async () => {
      const s = await getJson(running.url!, token, `/v1/submissions/${id}`);
      return s.body.status === 'rejected' ? s.body : null;
    }, 'rejection');
    expect(status.errors.map((e: any) => e.code)).toEqual(['META_FORBIDDEN']);
  });

  it('a province token cannot send for a commune of another province', async () => {
    const token = await tokenFor(services.db, 'province', '12');
    const [file] = await namPoFiles((n) => n.startsWith('03165-hts-xa'));
    expect((await upload(running.url!, token, [file!], { commune: '03165' })).status).toBe(403);
  });

  it('no token, an unknown token, or a revoked one gets 401', async () => {
    const [file] = await namPoFiles((n) => n.startsWith('03165-hts-xa'));
    expect((await upload(running.url!, null, [file!])).status).toBe(401);
    expect((await upload(running.url!, 'th_not-a-token', [file!])).status).toBe(401);
    const token = await tokenFor(services.db, 'province', '11');
    await services.db.updateTable('api_token').set({ revoked_at: new Date() }).execute();
    expect((await upload(running.url!, token, [file!])).status).toBe(401);
  });

  it('tokens are stored hashed, never as given', async () => {
    const token = await tokenFor(services.db, 'admin');
    const rows = await services.db.selectFrom('api_token').select('token_hash').execute();
    expect(rows.every((r) => !r.token_hash.includes(token) && r.token_hash.length === 64)).toBe(true);
  });

  it('refuses a non-report: 415 for a Word document (OLE or not) and non-multipart, 413 when too large, 400 for a bad period; takes .xls, .ods', async () => {
    const token = await tokenFor(services.db, 'province', '11');
    const doc = await upload(running.url!, token, [
      {
        name: 'bao-cao.doc',
        bytes: withDirectoryEntry(officeFile('giant-cell.xls'), 'Workbook', { rename: 'WordDocument' }),
      },
    ]);
    expect(doc.status).toBe(415);
    expect(doc.body.error.message.vi).toMatch(/\.xls\), LibreOffice \(\.ods\)/u);
    expect((await upload(running.url!, token, [{ name: 'bao-cao.docx', bytes: wordDocument() }])).status).toBe(415);
    for (const name of ['nam-po/03156-hts-ban-2023-Q2.xls', 'nam-po/03156-hts-ban-2023-Q2.ods']) {
      expect((await upload(running.url!, token, [{ name: name.slice(7), bytes: officeFile(name) }])).status).toBe(202);
    }
    const plain = await fetch(new URL('/v1/submissions', running.url!), {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(plain.status).toBe(415);
    const small = await services.start('ingest', { MAX_FILE_BYTES: 1000 });
    const big = await upload(small.url!, token, [{ name: 'big.csv', bytes: 'x'.repeat(5000) }]);
    expect(big.status).toBe(413);
    const badPeriod = await upload(running.url!, token, [{ name: 'a.csv', bytes: 'a,b\n1,2\n' }], {
      period: 'quý 5/2023',
    });
    expect(badPeriod.status).toBe(400);
    expect(badPeriod.body.error.details[0].code).toBe('META_PERIOD_INVALID');
  });
});

describe('who may read what', () => {
  // A second province beside Điện Biên (11), whose commune is named like a spreadsheet formula.
  const tokens = {} as Record<'commune' | 'neighbour' | 'province' | 'otherProvince' | 'admin', string>;
  let ownId: number;
  let otherId: number;

  beforeAll(async () => {
    await importUnits(
      services.db,
      unitsFromCsv(
        'province_code,province_name,district_code,district_name,commune_code,commune_name\n12,Tỉnh Thử,121,Huyện Thử,12101,=1+2 Xã Thử\n',
      ),
    );
    tokens.commune = await tokenFor(services.db, 'commune', '03156');
    tokens.neighbour = await tokenFor(services.db, 'commune', '03165');
    tokens.province = await tokenFor(services.db, 'province', '11');
    tokens.otherProvince = await tokenFor(services.db, 'province', '12');
    tokens.admin = await tokenFor(services.db, 'admin');
    const [xa] = await namPoFiles((n) => n.startsWith('03156-hts-xa'));
    ownId = (await upload(running.url!, tokens.commune, [xa!])).body.submissions[0].id;
    const other = { name: '12101-hts-xa.json', bytes: xa!.bytes.toString('utf8').replace('03156', '12101') };
    otherId = (await upload(running.url!, tokens.otherProvince, [other])).body.submissions[0].id;
    await settled(services.db, running.deps.queues);
  });

  it('a submission is seen by its commune, its province and admin; another commune or another province gets 404', async () => {
    const status = async (token: string, id: number) =>
      (await getJson(running.url!, token, `/v1/submissions/${id}`)).status;
    expect(await status(tokens.commune, ownId)).toBe(200);
    expect(await status(tokens.province, ownId)).toBe(200);
    expect(await status(tokens.admin, ownId)).toBe(200);
    expect(await status(tokens.neighbour, ownId)).toBe(404);
    expect(await status(tokens.otherProvince, ownId)).toBe(404);
    expect(await status(tokens.otherProvince, otherId)).toBe(200);
    expect(await status(tokens.province, otherId)).toBe(404);
    expect(await status(tokens.commune, otherId)).toBe(404);
  });

  it('snapshots: a commune token reads its commune only, a province token its province only (even asking for another’s unit), admin both', async () => {
    const rows = async (token: string, query: string) => {
      const r = await getJson(running.url!, token, `/v1/snapshots?period=2023-Q2${query}`);
      expect(r.status).toBe(200);
      return r.body.snapshots as { level: string; unit_code: string }[];
    };
    const units = (list: { level: string; unit_code: string }[]) =>
      [...new Set(list.map((r) => `${r.level}:${r.unit_code}`))].sort();
    expect(units(await rows(tokens.commune, ''))).toEqual(['commune:03156']);
    expect(units(await rows(tokens.commune, '&level=district&unit=103'))).toEqual([]);
    const province = units(await rows(tokens.province, ''));
    expect(province).toContain('province:11');
    expect(province.some((u) => u.endsWith(':12') || u.endsWith(':121') || u.endsWith(':12101'))).toBe(false);
    expect(units(await rows(tokens.otherProvince, ''))).toEqual(['commune:12101', 'district:121', 'province:12']);
    expect(await rows(tokens.otherProvince, '&level=district&unit=103')).toEqual([]);
    expect(await rows(tokens.otherProvince, '&province=11')).toEqual([]);
    const all = units(await rows(tokens.admin, '&level=province'));
    expect(all).toEqual(['province:11', 'province:12']);
  });

  it('completeness: another province’s units, or a commune token asking for its district, get 403', async () => {
    expect(
      (await getJson(running.url!, tokens.province, '/v1/completeness?period=2023-Q2&level=district&unit=103')).status,
    ).toBe(200);
    expect(
      (await getJson(running.url!, tokens.otherProvince, '/v1/completeness?period=2023-Q2&level=district&unit=103'))
        .status,
    ).toBe(403);
    expect(
      (await getJson(running.url!, tokens.province, '/v1/completeness?period=2023-Q2&level=province&unit=12')).status,
    ).toBe(403);
    expect(
      (await getJson(running.url!, tokens.commune, '/v1/completeness?period=2023-Q2&level=district&unit=103')).status,
    ).toBe(403);
    expect(
      (await getJson(running.url!, tokens.admin, '/v1/completeness?period=2023-Q2&level=province&unit=12')).status,
    ).toBe(200);
  });

  it('a lock and approvals (and reporting rates) are read by the province and admin; another province, a commune or a token without read get 403', async () => {
    const status = async (token: string, path: string) => (await getJson(running.url!, token, path)).status;
    const unread = await tokenFor(services.db, 'province', '11', ['submit']);
    for (const path of [
      '/v1/locks?form=HTS-BAN&period=2023-Q2&province=11',
      '/v1/approvals?form=HTS-BAN&period=2023-Q2&province=11',
      '/v1/reporting-rates?form=HTS-BAN&period=2023-Q2&level=province&unit=11',
    ]) {
      expect(await status(tokens.province, path), path).toBe(200);
      expect(await status(tokens.admin, path), path).toBe(200);
      expect(await status(tokens.otherProvince, path), path).toBe(403);
      expect(await status(tokens.commune, path), path).toBe(403);
      expect(await status(unread, path), path).toBe(403);
      expect(await status(tokens.admin, path.replace(/=11$/u, '=99')), path).toBe(404);
    }
  });

  it('a province token sending for another province’s commune: 403 when named in the request, rejected META_FORBIDDEN when named in the file', async () => {
    const [xa] = await namPoFiles((n) => n.startsWith('03165-hts-xa'));
    expect((await upload(running.url!, tokens.otherProvince, [xa!], { commune: '03165' })).status).toBe(403);
    const r = await upload(running.url!, tokens.otherProvince, [xa!]);
    expect(r.status).toBe(202);
    const decided = await waitFor(async () => {
      const s = await getJson(running.url!, tokens.otherProvince, `/v1/submissions/${r.body.submissions[0].id}`);
      return s.body.status === 'rejected' ? s.body : null;
    }, 'rejection');
    expect(decided.errors.map((e: { code: string }) => e.code)).toEqual(['META_FORBIDDEN']);
  });

  it('a revoked token gets 401 on every route, at once', async () => {
    const token = await tokenFor(services.db, 'province', '11');
    expect((await getJson(running.url!, token, `/v1/submissions/${ownId}`)).status).toBe(200);
    const { id } = await services.db
      .selectFrom('api_token')
      .select('id')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
    expect(await revokeToken(services.db, id, new Date())).toBe(true);
    expect((await getJson(running.url!, token, `/v1/submissions/${ownId}`)).status).toBe(401);
    expect((await getJson(running.url!, token, '/v1/snapshots?period=2023-Q2')).status).toBe(401);
    expect((await getJson(running.url!, token, '/v1/completeness?period=2023-Q2&level=district&unit=103')).status).toBe(
      401,
    );
    const [xa] = await namPoFiles((n) => n.startsWith('03156-hts-xa'));
    expect((await upload(running.url!, token, [xa!])).status).toBe(401);
  });

  it('no error response, and no log line, echoes the token', async () => {
    const lines: string[] = [];
    const log = pino(
      { level: 'trace' },
      new Writable({ write: (chunk, _enc, done) => void (lines.push(String(chunk)), done()) }),
    );
    const ingest = await start(
      { ...services.config, MAX_FILE_BYTES: 2000, RATE_LIMIT_REQUESTS: 8, RATE_LIMIT_READ_REQUESTS: 4 },
      'ingest',
      { log },
    );
    try {
      const token = await tokenFor(services.db, 'commune', '03156');
      const unknown = `th_${'S3cr3t'.repeat(7)}`;
      const [xa] = await namPoFiles((n) => n.startsWith('03165-hts-xa'));
      const responses: { status: number; text: string }[] = [];
      const keep = async (r: Response) =>
        responses.push({ status: r.status, text: `${JSON.stringify([...r.headers])}${await r.text()}` });
      const get = (t: string, path: string) =>
        fetch(new URL(path, ingest.url!), { headers: { authorization: `Bearer ${t}` } });
      const post = (t: string, body: FormData | string, type?: string) =>
        fetch(new URL('/v1/submissions', ingest.url!), {
          method: 'POST',
          body,
          headers: { authorization: `Bearer ${t}`, ...(type ? { 'content-type': type } : {}) },
        });
      const form = (name: string, bytes: Buffer | string, fields: Record<string, string> = {}) => {
        const f = new FormData();
        for (const [k, v] of Object.entries(fields)) f.append(k, v);
        f.append('file', new Blob([new Uint8Array(Buffer.from(bytes))]), name);
        return f;
      };
      await keep(await get(unknown, '/v1/snapshots?period=2023-Q2')); // 401
      await keep(await post(unknown, form(xa!.name, xa!.bytes))); // 401
      await keep(await post(token, form(xa!.name, xa!.bytes, { commune: '03165' }))); // 403
      await keep(await get(token, `/v1/submissions/${otherId}`)); // 404
      await keep(await get(token, '/v1/snapshots?period=quý 9')); // 400
      await keep(await post(token, form('a.csv', 'x'.repeat(2500)))); // 413
      await keep(await post(token, '{}', 'application/json')); // 415
      await keep(await post(token, form('a.csv', 'a,b\n1,2\n', { period: 'Q9/2023' }))); // 400
      for (let i = 0; i < 6; i += 1) await keep(await get(token, '/v1/snapshots?period=2023-Q2'));
      expect(responses.map((r) => r.status)).toEqual(expect.arrayContaining([401, 403, 404, 400, 413, 415, 429]));
      for (const r of responses) {
        expect(r.text).not.toContain(token);
        expect(r.text).not.toContain(unknown);
        expect(r.text).not.toContain('S3cr3t');
      }
      const logged = lines.join('');
      expect(logged.length).toBeGreaterThan(0);
      expect(logged).not.toContain(token);
      expect(logged).not.toContain('S3cr3t');
    } finally {
      await ingest.stop();
    }
  });

  it('a CSV export neutralizes a unit name that a spreadsheet would run as a formula', async () => {
    const response = await fetch(
      new URL('/v1/snapshots?period=2023-Q2&level=commune&unit=12101&format=csv', running.url!),
      { headers: { authorization: `Bearer ${tokens.admin}` } },
    );
    const csv = await response.text();
    expect(response.status).toBe(200);
    expect(csv).toContain(",'=1+2 Xã Thử,");
    expect(csv).not.toMatch(/,=1\+2/u);
  });
});
