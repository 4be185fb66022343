import { describe, expect, it } from 'vitest';
import { namPoFiles, settled, snapshotRow, upload, validate } from '../support/builders.ts';
import { namPoReported, sendJson } from '../support/cycle-requests.ts';
import { useServices } from '../support/services.ts';

const services = useServices();
const period = '2023-Q2';
const late = '03187';

describe('an approved district, its province not approved yet', () => {
  it('refuses the report of a commune it counted as missing until it is unapproved, and says so before sending', async () => {
    let clock = new Date('2023-06-15T03:00:00Z');
    const { running, url, office, approver, communes } = await namPoReported(
      services,
      () => clock,
      [late],
      'Trưởng phòng',
    );
    const { db } = services;

    const approval = (method: 'POST' | 'DELETE', body: Record<string, unknown>) =>
      sendJson(url, approver, method, '/v1/approvals', { form: 'HTS-BAN', period, ...body });
    for (const unit of communes) expect((await approval('POST', { level: 'commune', unit })).status).toBe(201);
    const reason = 'Xã không gửi báo cáo quý này';
    expect((await approval('POST', { level: 'commune', unit: late, missing: true, reason })).status).toBe(201);
    expect((await approval('POST', { level: 'district', unit: '103' })).status).toBe(201);
    const figure = async () => {
      const { numerator, denominator, approved } = await snapshotRow(
        db,
        'district',
        '103',
        period,
        'fiber_village_rate',
      );
      return { numerator, denominator, approved };
    };
    const approved = await figure();
    expect(approved.approved).toBe(true);

    // The commune counted as missing sends its report after all: the district's approved figures stay as approved.
    clock = new Date('2023-06-16T03:00:00Z');
    const [report] = await namPoFiles((n) => n.startsWith(`${late}-hts-ban`));
    const checked = await validate(url, office, [report!]);
    expect(checked.status).toBe(200);
    expect(checked.body.results[0]).toMatchObject({ valid: false, issues: [{ code: 'PERIOD_APPROVED' }] });
    const sent = await upload(url, office, [report!]);
    expect(sent.status).toBe(202);
    await settled(db, running.deps.queues);
    const refused = await db
      .selectFrom('submission')
      .select(['status', 'errors'])
      .where('id', '=', sent.body.submissions[0].id)
      .executeTakeFirstOrThrow();
    expect(refused.status).toBe('rejected');
    expect((refused.errors as { code: string; message: { en: string } }[])[0]).toMatchObject({
      code: 'PERIOD_APPROVED',
      message: { en: expect.stringContaining('approved by Trưởng phòng') },
    });
    expect(await figure()).toEqual(approved);

    // Unapproved (top-down: the district is the highest approval), the report is taken.
    expect((await approval('DELETE', { level: 'district', unit: '103', reason: 'Xã đã gửi báo cáo' })).status).toBe(
      200,
    );
    const again = await upload(url, office, [report!]);
    await settled(db, running.deps.queues);
    expect(
      await db
        .selectFrom('submission')
        .select('status')
        .where('id', '=', again.body.submissions[0].id)
        .executeTakeFirstOrThrow(),
    ).toEqual({ status: 'accepted' });
  });
});
