import { sql } from 'kysely';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { up as takeForbiddenOff } from '../../src/db/migrations/0010-forbidden-off-history.ts';
import type { Running } from '../../src/start.ts';
import { importUnits, unitsFromCsv } from '../../src/units/import.ts';
import { getJson, importUnitFile, namPo, namPoFiles, settled, tokenFor, upload, waitFor } from '../support/builders.ts';
import { useServices } from '../support/services.ts';

const services = useServices();
let running: Running;
const tokens = {} as Record<'sender' | 'named' | 'admin', string>;

beforeAll(async () => {
  running = await services.start('all');
  await importUnitFile(services.db, join(namPo, 'units.csv'));
  tokens.sender = await tokenFor(services.db, 'commune', '03156');
  tokens.named = await tokenFor(services.db, 'commune', '03165');
  tokens.admin = await tokenFor(services.db, 'admin');
});

const download = async (token: string, id: number) => {
  const r = await fetch(new URL(`/v1/submissions/${id}/file`, running.url!), {
    headers: { authorization: `Bearer ${token}` },
  });
  return {
    status: r.status,
    type: r.headers.get('content-type'),
    disposition: r.headers.get('content-disposition'),
    nosniff: r.headers.get('x-content-type-options'),
    body: Buffer.from(await r.arrayBuffer()),
  };
};

describe('a report naming a commune outside its sender’s scope', () => {
  it('is rejected as forbidden and stays with its sender: the commune it names does not list it, cannot read it, cannot download it', async () => {
    const [xa] = await namPoFiles((n) => n.startsWith('03165-hts-xa'));
    const r = await upload(running.url!, tokens.sender, [{ name: 'trang.html', bytes: xa!.bytes }]);
    expect(r.status).toBe(202);
    const id: number = r.body.submissions[0].id;
    const own = await waitFor(async () => {
      const s = await getJson(running.url!, tokens.sender, `/v1/submissions/${id}`);
      return s.body.status === 'rejected' ? s.body : null;
    }, 'rejection');
    expect(own.errors.map((e: any) => [e.code, e.value])).toEqual([['META_FORBIDDEN', '03165']]);
    expect(own.commune).toBeNull();

    expect(
      (await getJson(running.url!, tokens.named, '/v1/submissions?commune=03165')).body.submissions.map(
        (s: any) => s.id,
      ),
    ).not.toContain(id);
    expect((await getJson(running.url!, tokens.named, `/v1/submissions/${id}`)).status).toBe(404);
    expect((await download(tokens.named, id)).status).toBe(403);

    // Its sender still has it, named and typed by what it is: a JSON report sent as "trang.html".
    const file = await download(tokens.sender, id);
    expect(file.status).toBe(200);
    expect(file.body.equals(Buffer.from(xa!.bytes))).toBe(true);
    expect(file.type).toBe('application/json');
    expect(file.disposition).toBe(`attachment; filename="trang.json"; filename*=UTF-8''trang.json`);
    expect((await download(tokens.admin, id)).status).toBe(200);
  });

  it('nor is a report naming a code its period does not have filed under the commune that holds the code in another era', async () => {
    await importUnits(
      services.db,
      unitsFromCsv('province_code,province_name,commune_code,commune_name\n13,Tỉnh Mới,12101,Xã Mới\n', {
        validFrom: '2026-01-01',
      }),
    );
    const holder = await tokenFor(services.db, 'commune', '12101');
    const [xa] = await namPoFiles((n) => n.startsWith('03156-hts-xa'));
    const r = await upload(running.url!, tokens.sender, [
      { name: 'nham-ma.json', bytes: xa!.bytes.toString('utf8').replace('03156', '12101') },
    ]);
    const id: number = r.body.submissions[0].id;
    const own = await waitFor(async () => {
      const s = await getJson(running.url!, tokens.sender, `/v1/submissions/${id}`);
      return s.body.status === 'rejected' ? s.body : null;
    }, 'rejection');
    expect(own.errors.map((e: any) => [e.code, e.value])).toEqual([['META_COMMUNE_UNKNOWN', '12101']]);
    expect(
      (await getJson(running.url!, holder, '/v1/submissions?commune=12101')).body.submissions.map((s: any) => s.id),
    ).not.toContain(id);
    expect((await download(holder, id)).status).toBe(403);
  });

  it('one filed there before this fix is taken off that commune by migration 0010', async () => {
    const [xa] = await namPoFiles((n) => n.startsWith('03165-hts-xa'));
    const r = await upload(running.url!, tokens.sender, [{ name: 'cu.json', bytes: xa!.bytes }]);
    const id: number = r.body.submissions[0].id;
    await settled(services.db, running.deps.queues);
    // As the code before the fix left it: filed under the commune the file named.
    await services.db.updateTable('submission').set({ commune_code: '03165' }).where('id', '=', id).execute();
    expect(
      (await getJson(running.url!, tokens.named, '/v1/submissions?commune=03165')).body.submissions.map(
        (s: any) => s.id,
      ),
    ).toContain(id);
    expect((await download(tokens.named, id)).status).toBe(200);

    await takeForbiddenOff(services.db as never);
    expect(
      (await getJson(running.url!, tokens.named, '/v1/submissions?commune=03165')).body.submissions.map(
        (s: any) => s.id,
      ),
    ).not.toContain(id);
    expect((await download(tokens.named, id)).status).toBe(403);
    const others = await sql<{
      n: number;
    }>`select count(*)::int as n from submission where commune_code is null and status <> 'rejected'`.execute(
      services.db,
    );
    expect(others.rows[0]!.n).toBe(0);
  });

  it('a download is never served as a page or a program: a CSV sent as .exe downloads as .csv, text/csv, attachment, nosniff', async () => {
    const [ban] = await namPoFiles((n) => n.startsWith('03156-hts-ban'));
    const r = await upload(running.url!, tokens.sender, [{ name: 'Báo cáo quý 2 (xã).exe', bytes: ban!.bytes }]);
    const file = await download(tokens.sender, r.body.submissions[0].id);
    expect(file.status).toBe(200);
    expect(file.type).toMatch(/^text\/csv/u);
    expect(file.disposition).toBe(
      `attachment; filename="Bao cao quy 2 _xa_.csv"; filename*=UTF-8''B%C3%A1o%20c%C3%A1o%20qu%C3%BD%202%20%28x%C3%A3%29.csv`,
    );
    expect(file.nosniff).toBe('nosniff');
  });
});
