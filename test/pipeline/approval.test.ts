import { describe, expect, it } from 'vitest';
import { getJson, namPoFiles, settled, upload, waitFor } from '../support/builders.ts';
import { namPoReported, sendJson } from '../support/cycle-requests.ts';
import { useServices } from '../support/services.ts';

const services = useServices();

const missing = ['03187', '03198', '03199'];
const period = '2023-Q2';

describe('approval from commune to province, Nậm Pồ 2023-Q2', () => {
  it('communes, district (missing marked), province; approved reports refuse versions; unapproval top-down; approved view moves on re-approval', async () => {
    // Received before the deadline: approval is about figures, not timeliness.
    let clock = new Date('2023-06-15T03:00:00Z');
    const { running, url, office, approver, communes } = await namPoReported(
      services,
      () => clock,
      missing,
      'Phó Giám đốc Sở',
    );
    const { db } = services;
    expect(communes).toHaveLength(12);

    const approve = (body: Record<string, unknown>) =>
      sendJson(url, approver, 'POST', '/v1/approvals', { form: 'HTS-BAN', period, ...body });
    const unapprove = (body: Record<string, unknown>) =>
      sendJson(url, approver, 'DELETE', '/v1/approvals', {
        form: 'HTS-BAN',
        period,
        reason: 'Sai số liệu, cần xã gửi lại',
        ...body,
      });
    const fiber = (
      view: 'analytics.indicator_snapshot' | 'analytics.indicator_snapshot_approved',
      level: 'commune' | 'district',
      unit: string,
    ) =>
      db
        .selectFrom(view)
        .selectAll()
        .where('level', '=', level)
        .where('unit_code', '=', unit)
        .where('period', '=', period)
        .where('indicator', '=', 'fiber_village_rate')
        .executeTakeFirst();

    // A commune without a report is not approved: it is marked missing, with a reason.
    expect((await approve({ level: 'commune', unit: missing[0] })).body.error.code).toBe('TONGHOP_ERR_CONFLICT');
    for (const c of communes) expect((await approve({ level: 'commune', unit: c })).status).toBe(201);
    const head = await db
      .selectFrom('snapshot_head')
      .select('snapshot_version')
      .where('province_code', '=', '11')
      .where('period', '=', period)
      .executeTakeFirstOrThrow();
    expect(
      await db
        .selectFrom('approval')
        .select('snapshot_version')
        .where('unit_code', '=', '03156')
        .executeTakeFirstOrThrow(),
    ).toEqual({ snapshot_version: head.snapshot_version });

    // The district waits for every commune; 409 names those that are neither approved nor marked missing.
    const blocked = await approve({ level: 'district', unit: '103' });
    expect(blocked.status).toBe(409);
    expect(blocked.body.error.code).toBe('TONGHOP_ERR_APPROVAL_BLOCKED');
    expect(blocked.body.error.details.pending.map((p: any) => p.unit)).toEqual(missing);
    expect((await approve({ level: 'province', unit: '11' })).body.error.details.pending).toEqual([
      expect.objectContaining({ level: 'district', unit: '103' }),
    ]);
    expect((await approve({ level: 'commune', unit: missing[0], missing: true })).status).toBe(400); // no reason
    for (const c of missing)
      expect(
        (await approve({ level: 'commune', unit: c, missing: true, reason: 'Xã không gửi báo cáo quý này' })).status,
      ).toBe(201);
    expect((await approve({ level: 'district', unit: '103' })).status).toBe(201);
    expect((await approve({ level: 'province', unit: '11' })).status).toBe(201);

    // A new version of an approved commune is refused, naming who approved it and when.
    const before = await fiber('analytics.indicator_snapshot_approved', 'commune', '03156');
    const districtBefore = await fiber('analytics.indicator_snapshot_approved', 'district', '103');
    // The golden 65/121 less the three missing communes' villages (8 + 9 + 8, of which 0 + 9 + 0 with fiber).
    expect(districtBefore).toMatchObject({ numerator: 65 - 9, denominator: 121 - 25, withdrawn: false });
    expect(before).toMatchObject({ numerator: 9, denominator: 9, approved_by: 'Phó Giám đốc Sở', withdrawn: false });
    expect(await fiber('analytics.indicator_snapshot', 'commune', '03156')).toMatchObject({
      approved: true,
      versions_since_approval: 0,
    });
    const [original] = await namPoFiles((n) => n.startsWith('03156-hts-ban'));
    const correction = {
      name: 'sua.csv',
      bytes: original!.bytes.toString('utf8').replace('Bản Huổi Nậm 1,50,200,Có', 'Bản Huổi Nậm 1,50,200,Không'),
    };
    const decided = async (id: number) => {
      await waitFor(
        async () =>
          (await db
            .selectFrom('submission')
            .select('id')
            .where('id', '=', id)
            .where('status', 'not in', ['queued', 'processing'])
            .executeTakeFirst()) ?? null,
        `submission ${id}`,
      );
      return (await getJson(url, office, `/v1/submissions/${id}`)).body;
    };
    clock = new Date('2023-06-16T03:00:00Z');
    const refused = await decided((await upload(url, office, [correction])).body.submissions[0].id);
    expect(refused.status).toBe('rejected');
    expect(refused.errors[0].code).toBe('PERIOD_APPROVED');
    expect(refused.errors[0].message.en).toContain('approved by Phó Giám đốc Sở');

    // Unapproval goes top-down only.
    const bottomUp = await unapprove({ level: 'commune', unit: '03156' });
    expect(bottomUp.status).toBe(409);
    expect(bottomUp.body).toMatchObject({
      error: { code: 'TONGHOP_ERR_UNAPPROVAL_BLOCKED', details: { level: 'district', unit: '103' } },
    });
    expect((await unapprove({ level: 'district', unit: '103' })).body.error.details).toMatchObject({
      level: 'province',
      unit: '11',
    });
    expect(
      (
        await sendJson(url, approver, 'DELETE', '/v1/approvals', {
          form: 'HTS-BAN',
          period,
          level: 'province',
          unit: '11',
        })
      ).status,
    ).toBe(400); // no reason
    for (const [level, unit] of [
      ['province', '11'],
      ['district', '103'],
      ['commune', '03156'],
    ])
      expect((await unapprove({ level, unit })).status).toBe(200);

    // The correction now goes in; the approved view keeps the approved figures until the commune is approved again.
    clock = new Date('2023-06-16T04:00:00Z');
    expect((await decided((await upload(url, office, [correction])).body.submissions[0].id)).status).toBe('accepted');
    await settled(db, running.deps.queues);
    expect(await fiber('analytics.indicator_snapshot', 'commune', '03156')).toMatchObject({
      numerator: 8,
      approved: false,
      versions_since_approval: null,
    });
    expect(await fiber('analytics.indicator_snapshot_approved', 'commune', '03156')).toMatchObject({
      numerator: 9,
      snapshot_version: before!.snapshot_version,
      withdrawn: true,
    });
    expect(await fiber('analytics.indicator_snapshot_approved', 'district', '103')).toMatchObject({
      numerator: districtBefore!.numerator,
      snapshot_version: districtBefore!.snapshot_version,
      withdrawn: true,
    });
    expect((await fiber('analytics.indicator_snapshot', 'district', '103'))!.numerator).toBe(
      districtBefore!.numerator! - 1,
    );
    // Communes still approved see how many snapshot versions came after their approval.
    expect(await fiber('analytics.indicator_snapshot', 'commune', '03165')).toMatchObject({
      approved: true,
      versions_since_approval: 1,
    });

    expect((await approve({ level: 'commune', unit: '03156' })).status).toBe(201);
    expect(await fiber('analytics.indicator_snapshot_approved', 'commune', '03156')).toMatchObject({
      numerator: 8,
      withdrawn: false,
    });
    expect(await fiber('analytics.indicator_snapshot', 'commune', '03156')).toMatchObject({
      approved: true,
      versions_since_approval: 0,
    });

    // Every approval action is in the audit log, with its reason.
    const log = await db
      .selectFrom('audit_log')
      .select(['action', 'reason', 'actor_name', 'subject'])
      .where('action', 'like', 'approval.%')
      .orderBy('id')
      .execute();
    const count = (action: string) => log.filter((r) => r.action === action).length;
    expect(count('approval.approve')).toBe(12 + 2 + 1);
    expect(count('approval.mark_missing')).toBe(3);
    expect(count('approval.unapprove')).toBe(3);
    expect(
      log
        .filter((r) => r.action === 'approval.unapprove')
        .every((r) => r.reason === 'Sai số liệu, cần xã gửi lại' && r.actor_name === 'Phó Giám đốc Sở'),
    ).toBe(true);
    expect(log.filter((r) => r.action === 'approval.mark_missing').map((r) => (r.subject as any).unit)).toEqual(
      missing,
    );
    const rejected = await db
      .selectFrom('audit_log')
      .select('subject')
      .where('action', '=', 'submission.rejected')
      .execute();
    expect(rejected.map((r) => (r.subject as any).codes)).toEqual([['PERIOD_APPROVED']]);
  });
});
