import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createToken } from '../../src/accounts/tokens.ts';
import {
  getJson,
  importUnitFile,
  namPo,
  namPoFiles,
  settled,
  tokenFor,
  upload,
  waitFor,
  type FileToSend,
} from '../support/builders.ts';
import { sendJson } from '../support/cycle-requests.ts';
import { useServices } from '../support/services.ts';

const services = useServices();

/** POST /v1/validate with one file: its one result. */
async function check(url: string, token: string, file: FileToSend) {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(file.bytes as Buffer)]), file.name);
  const response = await fetch(new URL('/v1/validate', url), {
    method: 'POST',
    body: form,
    headers: { authorization: `Bearer ${token}` },
  });
  const body = (await response.json()) as any;
  expect(response.status, JSON.stringify(body)).toBe(200);
  return body.results[0];
}

// 2023-Q2 under decree09: the window closes Wed 14 June 2023, the commune deadline is Fri 16 June.
describe('check before sending judges the period as it stands at the time of the check (SPEC §7)', () => {
  it('not open, locked (naming who), let in by an exception, approved, expired — and nothing is stored', async () => {
    let clock = new Date('2023-03-01T03:00:00Z');
    const running = await services.start('all', {}, { now: () => clock });
    const { db } = services;
    const url = running.url!;
    await importUnitFile(db, join(namPo, 'units.csv'));
    const office = await tokenFor(db, 'province', '11');
    const approver = (
      await createToken(db, { level: 'province', code: '11', label: 'Sở TT&TT Điện Biên', roles: ['approve', 'read'] })
    ).token;
    const admin = await tokenFor(db, 'admin');
    const [namTin] = await namPoFiles((n) => n.startsWith('03156-hts-ban-2023-Q2'));
    const [other] = await namPoFiles((n) => n.startsWith('03165-hts-ban-2023-Q2'));

    // Before the period opens.
    const early = await check(url, office, namTin!);
    expect(early).toMatchObject({ valid: false, form: 'HTS-BAN', commune: '03156', period: '2023-Q2', rows: null });
    expect(early.issues.map((i: any) => i.code)).toEqual(['PERIOD_NOT_OPEN']);

    // Open: valid.
    clock = new Date('2023-06-15T03:00:00Z');
    expect(await check(url, office, namTin!)).toMatchObject({ valid: true, issues: [] });

    // Locked: refused naming who locked it, in both languages.
    expect(
      (await sendJson(url, approver, 'POST', '/v1/locks', { form: 'HTS-BAN', period: '2023-Q2', province: '11' }))
        .status,
    ).toBe(201);
    const locked = await check(url, office, namTin!);
    expect(locked.valid).toBe(false);
    expect(locked.issues[0].code).toBe('PERIOD_LOCKED');
    expect(locked.issues[0].message.en).toContain('Sở TT&TT Điện Biên');
    expect(locked.issues[0].message.vi).toContain('Sở TT&TT Điện Biên');

    // An exception for Nậm Tin lets its report through; Pa Tần stays locked.
    const grant = await sendJson(url, approver, 'POST', '/v1/lock-exceptions', {
      form: 'HTS-BAN',
      commune: '03156',
      period: '2023-Q2',
      until: '2023-06-30',
      reason: 'Xã mất điện nhiều ngày',
    });
    expect(grant.status).toBe(201);
    expect(await check(url, office, namTin!)).toMatchObject({ valid: true });
    expect((await check(url, office, other!)).issues[0].code).toBe('PERIOD_LOCKED');

    // Approved: sent through the exception, accepted, approved; a check of a correction now says PERIOD_APPROVED.
    expect((await upload(url, office, [namTin!])).status).toBe(202);
    await settled(db, running.deps.queues);
    expect(
      (
        await sendJson(url, approver, 'POST', '/v1/approvals', {
          form: 'HTS-BAN',
          period: '2023-Q2',
          level: 'commune',
          unit: '03156',
        })
      ).status,
    ).toBe(201);
    const correction = {
      name: 'sua.csv',
      bytes: Buffer.from(
        namTin!.bytes.toString('utf8').replace('Bản Huổi Nậm 1,50,200,Có', 'Bản Huổi Nậm 1,50,200,Không'),
      ),
    };
    const approved = await check(url, office, correction);
    expect(approved.issues.map((i: any) => i.code)).toEqual(['PERIOD_APPROVED']);
    expect(approved.issues[0].message.en).toContain('Sở TT&TT Điện Biên');

    // Expired: HTS-XA with expiry_days 5 takes reports until 21 June, not on the 22nd.
    const shipped = await readFile(new URL('../../data/forms/hts-xa.yaml', import.meta.url), 'utf8');
    expect(shipped).toMatch(/^  expiry_days: 0$/mu);
    const withExpiry = await fetch(new URL('/v1/forms', url), {
      method: 'POST',
      body: shipped.replace(/^  expiry_days: 0$/mu, '  expiry_days: 5'),
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/yaml' },
    });
    expect(withExpiry.status).toBe(201);
    await waitFor(
      async () =>
        (await getJson(url, null, '/v1/forms')).body.forms.some(
          (f: any) => f.code === 'HTS-XA' && f.calendar?.expiry_days === 5,
        ),
      'HTS-XA served with its expiry',
      5000,
    );
    const [xa] = await namPoFiles((n) => n.startsWith('03165-hts-xa-2023-Q2'));
    clock = new Date('2023-06-21T10:00:00Z');
    expect(await check(url, office, xa!)).toMatchObject({ valid: true });
    clock = new Date('2023-06-22T03:00:00Z');
    const expired = await check(url, office, xa!);
    expect(expired.issues.map((i: any) => i.code)).toEqual(['PERIOD_EXPIRED']);
    expect(expired.issues[0].message.en).toContain('2023-06-21');

    // A check stores nothing: the only submission is the one sent.
    expect(await db.selectFrom('submission').select('filename').execute()).toEqual([{ filename: namTin!.name }]);
  });
});
