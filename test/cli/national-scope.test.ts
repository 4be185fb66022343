import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { getJson, importUnitFile, namPo, namPoFiles, upload } from '../support/builders.ts';
import { sendJson } from '../support/cycle-requests.ts';
import { spawnTonghop } from '../support/processes.ts';
import { useServices } from '../support/services.ts';

const services = useServices();

async function tonghop(...args: string[]): Promise<{ code: number | null; output: string }> {
  const p = spawnTonghop(args, services.env);
  const code = await p.exited;
  return { code, output: p.output() };
}
const tokenIn = (output: string) => output.split('\n').find((line) => line.startsWith('th_'))!;

// SPEC §7: a scope (commune, province, national) and roles beside it; admin has all.
describe('the national scope', { timeout: 120_000 }, () => {
  it('takes the roles it is given: a national analyst reads every province and may do nothing else; --admin has every role', async () => {
    const running = await services.start('ingest');
    const url = running.url!;
    await importUnitFile(services.db, join(namPo, 'units.csv'));

    const analyst = await tonghop('token', 'create', '--national', '--role', 'read', '--label', 'Bộ TT&TT');
    expect(analyst.output).toMatch(/token \d+ \(national\) created with roles read;/u);
    expect((await tonghop('token', 'create', '--national')).output).toMatch(/\(national\) created with roles read;/u);
    const refused = await tonghop('token', 'create', '--admin', '--role', 'read');
    expect(refused.code).toBe(1);
    expect(refused.output).toContain('--national --role');
    const approver = await tonghop('token', 'create', '--national', '--role', 'approve,read');
    expect(approver.output).toMatch(/\(national\) created with roles read, approve;/u);
    const admin = await tonghop('token', 'create', '--admin');
    expect(admin.output).toMatch(/\(national\) created with roles submit, read, approve, admin;/u);
    const listed = await tonghop('token', 'list');
    expect(listed.output).toMatch(/^\d+\s+national\s+Bộ TT&TT\s+.*\sread$/mu);

    const reader = tokenIn(analyst.output);
    // Reads what every province reads…
    expect((await getJson(url, reader, '/v1/snapshots?period=2023-Q2&province=11')).status).toBe(200);
    expect((await getJson(url, reader, '/v1/completeness?period=2023-Q2&level=province&unit=11')).status).toBe(200);
    // …and nothing of an administrator's or an approver's, and sends nothing.
    expect((await getJson(url, reader, '/v1/status')).status).toBe(403);
    expect((await getJson(url, reader, '/v1/audit')).status).toBe(403);
    expect((await sendJson(url, reader, 'POST', '/v1/forms', { code: 'X' })).status).toBe(403);
    const dashboard = await fetch(new URL('/admin/queues/', url), { headers: { authorization: `Bearer ${reader}` } });
    expect(dashboard.status).toBe(403);
    const [file] = await namPoFiles((n) => n.startsWith('03156-hts-ban'));
    expect(await upload(url, reader, [file!])).toMatchObject({
      status: 403,
      body: { error: { code: 'TONGHOP_ERR_ROLE_MISSING', details: { role: 'submit' } } },
    });
    const approval = { form: 'HTS-BAN', period: '2023-Q2', level: 'commune', unit: '03156' };
    expect((await sendJson(url, reader, 'POST', '/v1/approvals', approval)).body.error.code).toBe(
      'TONGHOP_ERR_ROLE_MISSING',
    );

    const bound = { form: 'HTS-BAN', measure: 'households', province: '11', min: 1, max: 10 };
    expect((await sendJson(url, reader, 'POST', '/v1/quality/bounds', bound)).status).toBe(403);
    // The admin role holds every role over the whole country only: a province's is a name and nothing more.
    const provinceAdmin = tokenIn(
      (await tonghop('token', 'create', '--province', '11', '--role', 'read,admin')).output,
    );
    expect((await sendJson(url, provinceAdmin, 'POST', '/v1/approvals', approval)).body.error.code).toBe(
      'TONGHOP_ERR_ROLE_MISSING',
    );
    expect((await upload(url, provinceAdmin, [file!])).status).toBe(403);

    // A national approver reads the whole audit log; the admin has every role.
    expect((await getJson(url, tokenIn(approver.output), '/v1/audit')).status).toBe(200);
    expect((await getJson(url, tokenIn(admin.output), '/v1/status')).status).toBe(200);
  });
});
