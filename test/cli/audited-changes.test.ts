import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { getJson, namPo, tokenFor } from '../support/builders.ts';
import { spawnTonghop } from '../support/processes.ts';
import { useServices } from '../support/services.ts';

const services = useServices();

async function tonghop(args: string[], env: Record<string, string> = {}): Promise<string> {
  const p = spawnTonghop(args, { ...services.env, ...env });
  const code = await p.exited;
  expect(code, p.output()).toBe(0);
  return p.output();
}

/**
 * SPEC §7: every state change is a row of the audit log. The reporting cycle's own actions
 * (uploads, decisions, approvals, locks, exceptions) are checked in test/pipeline; these are the
 * imports and the account changes, made as an operator makes them, and read back through GET /v1/audit.
 */
describe('imports and account changes are in the audit log', { timeout: 240_000 }, () => {
  it('forms (terminal and HTTP, an identical re-import adding nothing), units, holidays, tokens and accounts', async () => {
    const running = await services.start('ingest');
    const url = running.url!;
    const admin = await tokenFor(services.db, 'admin');
    const dir = await mkdtemp(join(tmpdir(), 'audited-'));
    const shipped = await readFile(new URL('../../data/forms/hts-xa.yaml', import.meta.url), 'utf8');
    expect(shipped).toMatch(/^  expiry_days: 0$/mu);
    const xa5 = join(dir, 'hts-xa-5.yaml');
    await writeFile(xa5, shipped.replace(/^  expiry_days: 0$/mu, '  expiry_days: 5'));
    const holidays = join(dir, 'holidays.csv');
    await writeFile(holidays, 'date,kind,name\n2027-01-01,holiday,Tết Dương lịch\n');

    await tonghop(['units', 'import', join(namPo, 'units.csv')]);
    await tonghop(['forms', 'import', xa5]);
    await tonghop(['holidays', 'import', holidays]);
    const created = await tonghop(['token', 'create', '--province', '11', '--role', 'approve,read']);
    const tokenId = /token (\d+)/u.exec(created)![1]!;
    await tonghop(['token', 'revoke', tokenId]);
    await tonghop(['user', 'create', '--username', 'pho-giam-doc', '--province', '11', '--role', 'approve,read'], {
      TONGHOP_PASSWORD: 'mat-khau-rat-dai-2023',
    });
    await tonghop(['user', 'disable', '--username', 'pho-giam-doc']);
    await tonghop(['user', 'enable', '--username', 'pho-giam-doc']);
    const post = (body: string) =>
      fetch(new URL('/v1/forms', url), {
        method: 'POST',
        body,
        headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/yaml' },
      });
    expect((await post(shipped.replace(/^  expiry_days: 0$/mu, '  expiry_days: 6'))).status).toBe(201);
    expect((await post(shipped.replace(/^  expiry_days: 0$/mu, '  expiry_days: 6'))).status).toBe(200);

    const log = await getJson(url, admin, '/v1/audit?limit=1000');
    expect(log.status).toBe(200);
    const entries = [...(log.body.entries as any[])].reverse();
    expect(entries.map((e) => e.action)).toEqual([
      'holidays.import', // the shipped calendar, at migrate
      'forms.import', // the shipped definitions, at the first start
      'token.create', // the admin token of this test
      'units.import',
      'forms.import',
      'holidays.import',
      'token.create',
      'token.revoke',
      'user.create',
      'user.disable',
      'user.enable',
      'forms.import', // over HTTP; the identical second POST changed nothing and wrote nothing
    ]);
    const forms = entries.filter((e) => e.action === 'forms.import');
    expect(forms.map((e) => [e.actor_name, e.subject.forms.map((f: any) => `${f.code} v${f.version}`)])).toEqual([
      ['tonghop', ['CDS-XA v1', 'HTS-BAN v1', 'HTS-XA v1']],
      [expect.stringMatching(/^cli:/u), ['HTS-XA v2']],
      [expect.stringMatching(/^token \d+$/u), ['HTS-XA v3']],
    ]);
    expect(forms[2]).toMatchObject({ scope_level: 'admin', actor: expect.stringMatching(/^token:/u) });
    expect(entries.find((e) => e.action === 'units.import').subject).toMatchObject({ communes: expect.any(Number) });
    expect(
      entries.filter((e) => e.action === 'holidays.import').map((e) => [e.actor_name, e.subject.shipped ?? false]),
    ).toEqual([
      ['tonghop', true],
      [expect.stringMatching(/^cli:/u), false],
    ]);
    expect(entries.find((e) => e.action === 'user.disable')).toMatchObject({
      province_code: '11',
      subject: { username: 'pho-giam-doc' },
    });
  });
});
