import { join } from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { createToken } from '../../src/accounts/tokens.ts';
import { storeSubmissions } from '../../src/ingest/submissions/store.ts';
import { readFile } from 'node:fs/promises';
import { cliActor } from '../../src/cycle/audit.ts';
import { importForms } from '../../src/forms/import-forms.ts';
import { importUnits, unitsFromCsv } from '../../src/units/import.ts';
import { normalizeSubmission } from '../../src/workers/normalize/normalize.ts';
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

/** HTS-XA as shipped, with an expiry (SPEC §7: `calendar.expiry_days`), imported as its next version. */
async function xaWithExpiry(): Promise<string> {
  const shipped = await readFile(new URL('../../data/forms/hts-xa.yaml', import.meta.url), 'utf8');
  if (!/^  expiry_days: 0$/mu.test(shipped)) throw new Error('hts-xa.yaml no longer states expiry_days: 0');
  return shipped.replace(/^  expiry_days: 0$/mu, '  expiry_days: 5');
}

// 2023-Q2 under decree09: the window closes Wed 14 June 2023; the deadline is Fri 16 June (no holiday
// in those weeks), i.e. 2023-06-16T17:00:00Z, midnight in Vietnam. HTS-XA's last accepted day is 16 + 5 = 21 June.
const endOfDeadline = Date.parse('2023-06-16T17:00:00Z');

/** When each commune's first HTS-BAN report is received; the last four never report. */
const schedule: Record<string, string | null> = {
  '03156': '2023-06-15T03:00:00Z',
  '03165': '2023-06-15T03:00:00Z',
  '03166': '2023-06-15T03:00:00Z',
  '03167': '2023-06-15T03:00:00Z',
  '03168': '2023-06-15T03:00:00Z',
  '03169': '2023-06-15T03:00:00Z',
  '03170': '2023-06-16T16:59:59Z', // 23:59:59 on the deadline day in Vietnam: on time
  '03171': '2023-06-16T17:00:00Z', // 00:00 on Saturday 17 June in Vietnam: late, by one day
  '03173': '2023-06-20T03:00:00Z', // Tuesday: late by Mon 19 and Tue 20
  '03174': '2023-06-20T03:00:00Z',
  '03175': '2023-06-23T03:00:00Z', // Friday: late by five working days
  '03176': null,
  '03187': null,
  '03198': null,
  '03199': null,
};

describe('the reporting cycle over HTTP on a running pipeline, Nậm Pồ 2023-Q2', () => {
  let clock = new Date('2023-06-15T03:00:00Z');
  const at = (iso: string) => (clock = new Date(iso));
  let uploads = 0;

  it('times reports by receipt, refuses an expired period until the province approver grants an exception, judges locks by receipt, counts rates', async () => {
    const running = await services.start('all', {}, { now: () => clock });
    const { db } = services;
    const url = running.url!;
    await importUnitFile(db, join(namPo, 'units.csv'));
    await importUnits(
      db,
      unitsFromCsv(
        'province_code,province_name,district_code,district_name,commune_code,commune_name\n12,Tỉnh Lai Châu,105,Huyện Mường Tè,03301,Xã Thu Lũm\n',
      ),
    );
    const office = await tokenFor(db, 'province', '11');
    const reader = await tokenFor(db, 'province', '11', ['read']);
    const approver = (
      await createToken(db, { level: 'province', code: '11', label: 'Sở TT&TT Điện Biên', roles: ['approve', 'read'] })
    ).token;
    const neighbour = (
      await createToken(db, { level: 'province', code: '12', label: 'Sở TT&TT Lai Châu', roles: ['approve', 'read'] })
    ).token;
    expect(await importForms(db, [{ name: 'hts-xa.yaml', text: await xaWithExpiry() }], cliActor())).toMatchObject({
      imported: [{ code: 'HTS-XA', changed: true }],
    });
    await waitFor(
      async () =>
        (await getJson(url, null, '/v1/forms')).body.forms.some(
          (f: any) => f.code === 'HTS-XA' && f.calendar?.expiry_days === 5,
        ),
      'the pipeline to serve HTS-XA with its expiry',
      5000,
    );
    const ban = new Map((await namPoFiles((n) => n.includes('-hts-ban-'))).map((f) => [f.name.slice(0, 5), f]));
    const xa = new Map((await namPoFiles((n) => n.includes('-hts-xa-'))).map((f) => [f.name.slice(0, 5), f]));

    const send = async (when: string, file: FileToSend) => {
      at(when);
      const r = await upload(url, office, [file]);
      expect(r.status, JSON.stringify(r.body)).toBe(202);
      uploads += 1;
      const id = r.body.submissions[0].id as number;
      await waitFor(
        async () =>
          (await db
            .selectFrom('submission')
            .select('status')
            .where('id', '=', id)
            .where('status', 'not in', ['queued', 'processing'])
            .executeTakeFirst()) ?? null,
        `submission ${id}`,
      );
      return (await getJson(url, office, `/v1/submissions/${id}`)).body;
    };

    // Timeliness: by the receipt of the slot's first accepted version, in Vietnamese days.
    const first = new Map<string, any>();
    for (const [commune, when] of Object.entries(schedule)
      .filter(([, w]) => w !== null)
      .sort((a, b) => a[1]!.localeCompare(b[1]!))) {
      first.set(commune, await send(when!, ban.get(commune)!));
    }
    expect([...first.values()].map((s) => s.status)).toEqual([...first.values()].map(() => 'accepted'));
    expect(first.get('03170')).toMatchObject({ on_time: true, days_late: 0, deadline: '2023-06-16' });
    expect(first.get('03171')).toMatchObject({ on_time: false, days_late: 1 });
    expect(first.get('03173')).toMatchObject({ on_time: false, days_late: 2 });
    expect(first.get('03175')).toMatchObject({ on_time: false, days_late: 5 });
    // A later correction keeps the verdict of the first version.
    const fix = ban.get('03156')!;
    const corrected = await send('2023-06-22T03:00:00Z', {
      name: fix.name,
      bytes: fix.bytes.toString('utf8').replace('Bản Huổi Nậm 1,50,200', 'Bản Huổi Nậm 1,51,200'),
    });
    expect(corrected).toMatchObject({ status: 'accepted', version: 2, on_time: true, days_late: 0 });

    // Reporting rates, against a count made here from the schedule alone.
    await settled(db, running.deps.queues);
    const reported = Object.values(schedule).filter((w) => w !== null);
    const expected = {
      expected_reports: Object.keys(schedule).length,
      actual_reports: reported.length,
      actual_reports_on_time: reported.filter((w) => Date.parse(w!) < endOfDeadline).length,
    };
    expect(expected).toEqual({ expected_reports: 15, actual_reports: 11, actual_reports_on_time: 7 });
    const percent = (n: number) => Math.round((1000 * n) / expected.expected_reports) / 10;
    const rates = await getJson(url, reader, '/v1/reporting-rates?form=HTS-BAN&period=2023-Q2&level=province&unit=11');
    expect(rates.status, JSON.stringify(rates.body)).toBe(200);
    expect(rates.body).toMatchObject({
      ...expected,
      reporting_rate: percent(expected.actual_reports),
      reporting_rate_on_time: percent(expected.actual_reports_on_time),
    });
    expect(rates.body.below).toEqual([expect.objectContaining({ level: 'district', unit_code: '103', ...expected })]);
    // Every commune under the province, as the approver's page lists them: the same counts, and how late the late ones were.
    const byCommune = rates.body.communes as any[];
    expect(byCommune).toHaveLength(expected.expected_reports);
    expect(byCommune.filter((c) => c.actual_reports === 1)).toHaveLength(expected.actual_reports);
    expect(byCommune.filter((c) => c.actual_reports_on_time === 1)).toHaveLength(expected.actual_reports_on_time);
    expect(
      byCommune
        .filter((c) => c.actual_reports === 1 && c.actual_reports_on_time === 0)
        .every((c) => c.days_late > 0 && c.district_code === '103'),
    ).toBe(true);
    const commune = await getJson(
      url,
      reader,
      '/v1/reporting-rates?form=HTS-BAN&period=2023-Q2&level=commune&unit=03171',
    );
    expect(commune.body).toMatchObject({
      expected_reports: 1,
      actual_reports: 1,
      actual_reports_on_time: 0,
      reporting_rate: 100,
      reporting_rate_on_time: 0,
    });
    const sqlRates = await db
      .selectFrom('analytics.reporting_rate')
      .selectAll()
      .where('form', '=', 'HTS-BAN')
      .where('period', '=', '2023-Q2')
      .where('unit_code', 'in', ['103', '11'])
      .orderBy('level')
      .execute();
    expect(sqlRates).toEqual([
      expect.objectContaining({
        level: 'district',
        unit_code: '103',
        ...expected,
        reporting_rate: percent(11),
        reporting_rate_on_time: percent(7),
      }),
      expect.objectContaining({
        level: 'province',
        unit_code: '11',
        ...expected,
        reporting_rate: percent(11),
        reporting_rate_on_time: percent(7),
      }),
    ]);

    // Expiry: HTS-XA takes new versions until 21 June (5 days after the deadline).
    expect(await send('2023-06-20T03:00:00Z', xa.get('03156')!)).toMatchObject({
      status: 'accepted',
      on_time: false,
      days_late: 2,
    });
    const expired = await send('2023-06-25T03:00:00Z', xa.get('03165')!);
    expect(expired.status).toBe('rejected');
    expect(expired.errors).toHaveLength(1);
    expect(expired.errors[0].code).toBe('PERIOD_EXPIRED');
    expect(expired.errors[0].message.vi).toContain('2023-06-21');
    expect(expired.errors[0].message.en).toContain('after 2023-06-21');
    expect(expired.errors[0].message.en).toContain("province's approver");

    // An exception: not from a neighbouring province's approver, nor from a province token without the approve role.
    at('2023-06-25T08:00:00Z');
    const grant = {
      form: 'HTS-XA',
      commune: '03165',
      period: 'Quý II/2023',
      until: '2023-06-30',
      reason: 'Mất điện cả tuần, xã gửi muộn',
    };
    expect(await sendJson(url, neighbour, 'POST', '/v1/lock-exceptions', grant)).toMatchObject({
      status: 403,
      body: { error: { code: 'TONGHOP_ERR_FORBIDDEN' } },
    });
    expect(await sendJson(url, reader, 'POST', '/v1/lock-exceptions', grant)).toMatchObject({
      status: 403,
      body: { error: { code: 'TONGHOP_ERR_ROLE_MISSING' } },
    });
    const granted = await sendJson(url, approver, 'POST', '/v1/lock-exceptions', grant);
    expect(granted.status, JSON.stringify(granted.body)).toBe(201);
    expect(granted.body.exception).toMatchObject({
      form: 'HTS-XA',
      commune_code: '03165',
      period: '2023-Q2',
      until: '2023-06-30',
      province_code: '11',
      granted_by_name: 'Sở TT&TT Điện Biên',
    });
    expect((await sendJson(url, approver, 'GET', '/v1/lock-exceptions')).body.exceptions.map((e: any) => e.id)).toEqual(
      [granted.body.exception.id],
    );
    expect((await sendJson(url, neighbour, 'GET', '/v1/lock-exceptions')).body.exceptions).toEqual([]);
    // After 16 June: 19, 20, 21, 22, 23 and Monday 26 June are six working days.
    expect(await send('2023-06-26T03:00:00Z', xa.get('03165')!)).toMatchObject({
      status: 'accepted',
      version: 1,
      on_time: false,
      days_late: 6,
      errors: [],
    });
    // Revoked, it lets no one else in.
    at('2023-06-26T04:00:00Z');
    expect(
      await sendJson(url, neighbour, 'DELETE', '/v1/lock-exceptions', { id: granted.body.exception.id }),
    ).toMatchObject({ status: 403 });
    expect(
      (
        await sendJson(url, approver, 'DELETE', '/v1/lock-exceptions', {
          id: granted.body.exception.id,
          reason: 'Đã nhận báo cáo',
        })
      ).status,
    ).toBe(200);
    expect((await send('2023-06-27T03:00:00Z', xa.get('03166')!)).errors[0].code).toBe('PERIOD_EXPIRED');

    // A lock names who locked and when; a file received before it but processed after it is judged by its receipt.
    at('2023-06-28T02:00:00Z');
    expect(
      (await sendJson(url, neighbour, 'POST', '/v1/locks', { form: 'HTS-BAN', period: '2023-Q2', province: '11' }))
        .status,
    ).toBe(403);
    const locked = await sendJson(url, approver, 'POST', '/v1/locks', {
      form: 'HTS-BAN',
      period: '2023-Q2',
      province: '11',
    });
    expect(locked.status, JSON.stringify(locked.body)).toBe(201);
    const refused = await send('2023-06-28T03:00:00Z', ban.get('03176')!);
    expect(refused.errors[0].code).toBe('PERIOD_LOCKED');
    expect(refused.errors[0].message.vi).toContain('Sở TT&TT Điện Biên');
    expect(refused.errors[0].message.en).toContain('locked by Sở TT&TT Điện Biên at 2023-06-28 09:00 (UTC+7)');
    // The officer's due table says the same: the deadline, working days overdue (19–23, 26–28 June), the lock; and a verdict where a report came.
    const due = (await getJson(url, office, '/v1/due?commune=03176')).body.periods
      .find((p: any) => p.period === '2023-Q2')
      .forms.find((f: any) => f.form === 'HTS-BAN');
    expect(due).toEqual(
      expect.objectContaining({
        version: null,
        deadline: '2023-06-16',
        working_days_left: -8,
        locked: { by: 'Sở TT&TT Điện Biên', at: '2023-06-28 09:00 (UTC+7)' },
        approved: null,
        state: 'locked',
      }),
    );
    const dueLate = (await getJson(url, office, '/v1/due?commune=03175')).body.periods
      .find((p: any) => p.period === '2023-Q2')
      .forms.find((f: any) => f.form === 'HTS-BAN');
    expect(dueLate).toMatchObject({ version: 1, on_time: false, days_late: 5, state: 'locked' }); // the lock stands: no new version goes in
    const [before] = await storeSubmissions(
      db,
      { level: 'province', code: '11', id: 'test', name: 'test' },
      {},
      [{ filename: '03187.csv', contentType: 'text/csv', bytes: ban.get('03187')!.bytes as Buffer }],
      null,
      new Date('2023-06-28T01:59:00Z'),
    );
    uploads += 1;
    expect(await normalizeSubmission(running.deps, { submissionId: before!.id })).toMatchObject({ status: 'accepted' });
    at('2023-06-28T05:00:00Z');
    expect(
      (
        await sendJson(url, approver, 'DELETE', '/v1/locks', {
          form: 'HTS-BAN',
          period: '2023-Q2',
          province: '11',
          reason: 'Mở lại cho xã Vàng Đán',
        })
      ).status,
    ).toBe(200);
    expect((await send('2023-06-28T06:00:00Z', ban.get('03176')!)).status).toBe('accepted');

    // The audit log holds every action above.
    await settled(db, running.deps.queues);
    const log = await db.selectFrom('audit_log').selectAll().orderBy('id').execute();
    const count = (action: string) => log.filter((r) => r.action === action).length;
    expect(count('submission.upload')).toBe(uploads);
    const decided = await db
      .selectFrom('submission')
      .select('id')
      .where('status', 'not in', ['queued', 'processing'])
      .execute();
    const decisions = new Set(
      log
        .filter((r) => r.action.startsWith('submission.') && r.action !== 'submission.upload')
        .map((r) => (r.subject as any).submission),
    );
    expect(decisions).toEqual(new Set(decided.map((d) => d.id)));
    expect(count('submission.rejected')).toBe(3);
    expect(count('lock_exception.grant')).toBe(1);
    expect(count('lock_exception.revoke')).toBe(1);
    expect(count('lock.create')).toBe(1);
    expect(count('lock.delete')).toBe(1);
    expect(count('token.create')).toBe(4);
    expect(log.find((r) => r.action === 'lock_exception.grant')).toMatchObject({
      actor_name: 'Sở TT&TT Điện Biên',
      scope_level: 'province',
      scope_code: '11',
      province_code: '11',
      reason: grant.reason,
    });
    // Over HTTP: the province's approver reads its province's rows, the neighbour its own, a reader none.
    const own = await sendJson(url, approver, 'GET', '/v1/audit?limit=1000');
    expect(own.status).toBe(200);
    expect(own.body.entries.length).toBeGreaterThan(uploads);
    expect(own.body.entries.every((e: any) => e.province_code === '11')).toBe(true);
    expect(
      (await sendJson(url, neighbour, 'GET', '/v1/audit?limit=1000')).body.entries.every(
        (e: any) => e.province_code === '12',
      ),
    ).toBe(true);
    expect((await sendJson(url, neighbour, 'GET', '/v1/audit?province=11')).status).toBe(403);
    expect((await sendJson(url, reader, 'GET', '/v1/audit')).status).toBe(403);
  });

  it('the audit log cannot be changed: the analyst role may read it but not update or delete, and the owner is stopped by its trigger', async () => {
    const { db } = services;
    const asAnalyst = (statement: ReturnType<typeof sql>) =>
      db.transaction().execute(async (tx) => {
        await sql`set local role analyst`.execute(tx);
        return statement.execute(tx);
      });
    expect(
      ((await asAnalyst(sql`select count(*)::int as n from analytics.audit_log`)).rows[0] as any).n,
    ).toBeGreaterThan(0);
    await expect(asAnalyst(sql`update analytics.audit_log set reason = 'sửa'`)).rejects.toThrow(/permission denied/u);
    await expect(asAnalyst(sql`delete from analytics.audit_log`)).rejects.toThrow(/permission denied/u);
    await expect(asAnalyst(sql`delete from audit_log`)).rejects.toThrow(/permission denied/u);
    await expect(sql`update audit_log set reason = 'sửa'`.execute(db)).rejects.toThrow(/append-only/u);
    await expect(sql`delete from audit_log`.execute(db)).rejects.toThrow(/append-only/u);
    await expect(sql`truncate audit_log`.execute(db)).rejects.toThrow(/append-only/u);
  });
});
