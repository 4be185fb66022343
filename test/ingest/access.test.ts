import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Running } from '../../src/start.ts';
import { getJson, importUnitFile, namPo, namPoFiles, tokenFor, upload, waitFor } from '../support/builders.ts';
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

  it('refuses what is not a report with a clear status: 415 for old .xls and non-multipart, 413 when too large, 400 for a bad period', async () => {
    const token = await tokenFor(services.db, 'province', '11');
    const xls = await upload(running.url!, token, [{ name: 'bao-cao.xls', bytes: Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]) }]);
    expect(xls.status).toBe(415);
    expect(xls.body.error.message.vi).toMatch(/\.xlsx/u);
    const plain = await fetch(new URL('/v1/submissions', running.url!), { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{}' });
    expect(plain.status).toBe(415);
    const small = await services.start('ingest', { MAX_FILE_BYTES: 1000 });
    const big = await upload(small.url!, token, [{ name: 'big.csv', bytes: 'x'.repeat(5000) }]);
    expect(big.status).toBe(413);
    const badPeriod = await upload(running.url!, token, [{ name: 'a.csv', bytes: 'a,b\n1,2\n' }], { period: 'quý 5/2023' });
    expect(badPeriod.status).toBe(400);
    expect(badPeriod.body.error.details[0].code).toBe('META_PERIOD_INVALID');
  });
});
