import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken } from '../../src/accounts/tokens.ts';
import type { Running } from '../../src/start.ts';
import { importUnitFile, namPo, namPoFiles, settled, tokenFor, upload } from '../support/builders.ts';
import { launchChromium, logIn, ready, screenshots } from '../support/browser.ts';
import { sendJson } from '../support/cycle-requests.ts';
import { useServices } from '../support/services.ts';
import { testPassword, userFor } from '../support/sessions.ts';

const services = useServices();
let running: Running;
let browser: Browser;
let page: Page;
let apiToken: string;
const contexts: BrowserContext[] = [];

// Nậm Pồ 2023-Q2 (decree09: deadline Fri 16 June 2023). Three communes never report; two report on Tue 20 June, 2 working days late.
const missing = ['03187', '03198', '03199'];
const late = ['03175', '03176'];
let clock = new Date('2023-06-15T03:00:00Z');
const url = (path: string) => new URL(path, running.url!).toString();
const view = '/approver?form=HTS-BAN&period=2023-Q2';

beforeAll(async () => {
  running = await services.start('all', {}, { now: () => clock });
  const { db } = services;
  await importUnitFile(db, join(namPo, 'units.csv'));
  const office = await tokenFor(db, 'province', '11');
  const files = await namPoFiles((n) => n.includes('-hts-ban-') && !missing.includes(n.slice(0, 5)));
  for (const f of files.filter((f) => !late.includes(f.name.slice(0, 5))))
    expect((await upload(running.url!, office, [f])).status).toBe(202);
  await settled(db, running.deps.queues);
  clock = new Date('2023-06-20T03:00:00Z');
  for (const f of files.filter((f) => late.includes(f.name.slice(0, 5))))
    expect((await upload(running.url!, office, [f])).status).toBe(202);
  await settled(db, running.deps.queues);
  clock = new Date('2023-06-21T03:00:00Z');
  await userFor(db, 'pho.giamdoc', 'province', '11', ['read', 'approve']);
  await userFor(db, 'chuyenvien', 'province', '11', ['read']);
  apiToken = (
    await createToken(db, { level: 'province', code: '11', label: 'Sở TT&TT Điện Biên', roles: ['approve', 'read'] })
  ).token;
  browser = await launchChromium();
  const context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    locale: 'vi-VN',
    timezoneId: 'Asia/Ho_Chi_Minh',
  });
  contexts.push(context);
  page = await context.newPage();
  await logIn(page, running.url!, 'pho.giamdoc', testPassword);
});

afterAll(async () => {
  for (const c of contexts) await c.close();
  await browser?.close();
});

/** The outcome line an action leaves at the top of the page, once the page is drawn anew. */
async function outcome(): Promise<{ role: string; text: string }> {
  const box = page.locator('#notice');
  await box.waitFor({ timeout: 20_000 });
  // Focus moves to it, so a screen reader reads it and a keyboard user continues from there.
  await expect.poll(() => page.evaluate(() => (globalThis as any).document.activeElement?.id)).toBe('notice');
  return { role: (await box.getAttribute('role'))!, text: await box.innerText() };
}

/** Clicks an action button and waits until the page has been drawn anew with its outcome. */
async function click(name: string | RegExp): Promise<{ role: string; text: string }> {
  await page.evaluate(() => (globalThis as any).document.getElementById('notice')?.remove());
  await page.getByRole('button', { name, exact: typeof name === 'string' }).click();
  return outcome();
}

/** The reason dialog: typed, then confirmed; the page is drawn anew. */
async function withReason(button: string, reason: string, confirm: string): Promise<{ role: string; text: string }> {
  await page.evaluate(() => (globalThis as any).document.getElementById('notice')?.remove());
  await page.getByRole('button', { name: button, exact: true }).click();
  const dialog = page.getByRole('dialog');
  await dialog.waitFor();
  // The dialog takes focus into its reason field.
  await expect.poll(() => page.evaluate(() => (globalThis as any).document.activeElement?.id)).toBe('reason-text');
  await page.keyboard.type(reason);
  await dialog.getByRole('button', { name: confirm, exact: true }).click();
  return outcome();
}

const rowOf = (table: string, text: string) => page.locator(`#${table} tbody tr`, { hasText: text });

describe('the approver page, in a real browser (SPEC §7)', { timeout: 180_000 }, () => {
  it('shows reporting and on-time rates by commune and over periods, equal to a count made here', async () => {
    await expect.poll(() => page.locator('header nav').innerText()).toContain('Phê duyệt và khóa kỳ');
    await page.goto(url(view));
    await ready(page);
    const facts = await page.locator('#rates').innerText();
    // 15 communes; 12 reported; 10 by the deadline.
    expect(facts.replace(/\s+/gu, ' ')).toContain(
      'Số xã phải báo cáo 15 Đã báo cáo 12 Đúng hạn 10 Tỷ lệ báo cáo 80,0% Tỷ lệ đúng hạn 66,7%',
    );
    expect(await rowOf('communes', '03156').innerText()).toContain('Đúng hạn');
    expect(await rowOf('communes', '03175').innerText()).toContain('Trễ 2 ngày làm việc');
    expect(await rowOf('communes', '03187').innerText()).toContain('Chưa nộp');
    expect(await page.locator('#communes tbody tr').count()).toBe(15);
    // Over periods: this quarter and the three before it, per commune too.
    expect(await page.locator('#periods tbody tr').count()).toBe(4);
    expect(await page.locator('#periods tbody tr').first().innerText()).toMatch(
      /Quý II\/2023\s+15\s+12\s+10\s+80,0%\s+66,7%/u,
    );
    expect(await rowOf('matrix', '03176').innerText()).toMatch(/trễ 2 ngày/u);
    expect(await page.locator('main h2').allInnerTexts()).toEqual(
      expect.arrayContaining(['Tỷ lệ báo cáo theo xã', 'Qua các kỳ', 'Ngoại lệ khóa', 'Nhật ký thay đổi']),
    );
    // Landmarks and labels: one main, every input labelled.
    expect(await page.locator('main').count()).toBe(1);
    const unlabelled = await page.evaluate(() =>
      [...(globalThis as any).document.querySelectorAll('main input, main select, main textarea')]
        .filter((el: any) => !el.labels?.length && !el.getAttribute('aria-label'))
        .map((el: any) => el.id),
    );
    expect(unlabelled).toEqual([]);
    await screenshots(page, 'approver');
  });

  it('a district approval is refused with a 409 that lists every commune still open; approving and marking missing opens the way to the province', async () => {
    const blocked = await click('Phê duyệt Huyện Nậm Pồ (103)');
    expect(blocked.role).toBe('alert');
    expect(blocked.text).toContain('Chưa thể phê duyệt');
    expect(blocked.text).toContain('Các đơn vị chưa được phê duyệt hoặc đánh dấu thiếu báo cáo:');
    expect(await page.locator('#notice ul.pending li').count()).toBe(15);
    expect(blocked.text).toContain('Xã Nậm Tin (03156)');
    await screenshots(page, 'approver-blocked');

    // Through the page: one commune approved, one marked missing with a reason.
    expect(await click('Phê duyệt Xã Nậm Tin (03156)')).toEqual({
      role: 'status',
      text: 'Đã phê duyệt Xã Nậm Tin (03156).',
    });
    expect(await rowOf('communes', '03156').innerText()).toContain('Đã phê duyệt bởi pho.giamdoc');
    const marked = await withReason(
      `Đánh dấu thiếu báo cáo: ${await communeName('03187')} (03187)`,
      'Xã mất điện cả tháng',
      'Đánh dấu thiếu',
    );
    expect(marked.role).toBe('status');
    expect(await rowOf('communes', '03187').innerText()).toContain(
      'Đánh dấu thiếu báo cáo (Xã mất điện cả tháng) bởi pho.giamdoc',
    );
    // The rest through the API, then the district: the refusal now lists only the two still open.
    const reported = (await namPoFiles((n) => n.includes('-hts-ban-')))
      .map((f) => f.name.slice(0, 5))
      .filter((c) => !missing.includes(c) && c !== '03156');
    for (const unit of reported)
      expect(
        (
          await sendJson(running.url!, apiToken, 'POST', '/v1/approvals', {
            form: 'HTS-BAN',
            period: '2023-Q2',
            level: 'commune',
            unit,
          })
        ).status,
      ).toBe(201);
    await page.reload();
    await ready(page);
    await click('Phê duyệt Huyện Nậm Pồ (103)');
    expect(await page.locator('#notice ul.pending li').allInnerTexts()).toEqual([
      expect.stringContaining('(03198)'),
      expect.stringContaining('(03199)'),
    ]);
    for (const unit of ['03198', '03199'])
      expect(
        (
          await sendJson(running.url!, apiToken, 'POST', '/v1/approvals', {
            form: 'HTS-BAN',
            period: '2023-Q2',
            level: 'commune',
            unit,
            missing: true,
            reason: 'Không gửi báo cáo quý này',
          })
        ).status,
      ).toBe(201);
    await page.reload();
    await ready(page);
    expect((await click('Phê duyệt Huyện Nậm Pồ (103)')).role).toBe('status');
    expect(await click('Phê duyệt Tỉnh Điện Biên (11)')).toEqual({
      role: 'status',
      text: 'Đã phê duyệt Tỉnh Điện Biên (11).',
    });
    expect(await rowOf('upper', '(11)').innerText()).toContain('Đã phê duyệt bởi pho.giamdoc');
  });

  it('unapproval goes top-down: a commune is refused naming the district above; the province, then the district, is unapproved with a reason', async () => {
    const refused = await withReason('Hủy phê duyệt Xã Nậm Tin (03156)', 'Số liệu thôn sai', 'Hủy phê duyệt');
    expect(refused.role).toBe('alert');
    expect(refused.text).toContain('Đơn vị cấp trên đang được phê duyệt: Huyện Nậm Pồ (103)');
    const done = await withReason('Hủy phê duyệt Tỉnh Điện Biên (11)', 'Huyện xin sửa số liệu', 'Hủy phê duyệt');
    expect(done).toEqual({ role: 'status', text: 'Đã hủy phê duyệt Tỉnh Điện Biên (11).' });
    expect(await rowOf('upper', '(11)').innerText()).toContain('Chưa phê duyệt');
    // The district's approval still holds its missing communes' figures (a report of theirs is refused) until it goes too.
    const district = await withReason('Hủy phê duyệt Huyện Nậm Pồ (103)', 'Xã xin gửi bổ sung', 'Hủy phê duyệt');
    expect(district).toEqual({ role: 'status', text: 'Đã hủy phê duyệt Huyện Nậm Pồ (103).' });
  });

  it('locks and unlocks the period, naming who locked it', async () => {
    expect((await click('Khóa kỳ này')).text).toBe('Đã khóa kỳ Quý II/2023 của biểu mẫu HTS-BAN.');
    expect(await page.locator('#lock-state').innerText()).toMatch(
      /^Đã khóa bởi pho\.giamdoc lúc 21\/06\/2023 10:00\./u,
    );
    const lock = await services.db
      .selectFrom('period_lock')
      .select(['locked_by_name', 'unlocked_at'])
      .executeTakeFirstOrThrow();
    expect(lock).toEqual({ locked_by_name: 'pho.giamdoc', unlocked_at: null });
    await screenshots(page, 'approver-locked');
    // An officer who checks a file before sending learns of the lock, and from whom (POST /v1/validate judges the period now).
    await userFor(services.db, 'xa.phinho', 'commune', '03198');
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'vi-VN' });
    contexts.push(context);
    const officer = await context.newPage();
    await logIn(officer, running.url!, 'xa.phinho', testPassword, '/upload');
    const [file] = await namPoFiles((n) => n.startsWith('03198-hts-ban-2023-Q2'));
    await officer.setInputFiles('#files', [{ name: file!.name, mimeType: 'text/csv', buffer: file!.bytes as Buffer }]);
    await officer.getByRole('button', { name: 'Kiểm tra trước khi gửi' }).click();
    const card = officer.locator(`li.file-card[data-file="${file!.name}"]`);
    await expect.poll(() => card.getAttribute('data-state'), { timeout: 30_000 }).toBe('invalid');
    expect(await card.innerText()).toContain('đã bị khóa bởi pho.giamdoc lúc 2023-06-21 10:00');
    await context.close();
    expect((await withReason('Mở khóa', 'Cho xã gửi bổ sung', 'Mở khóa')).text).toBe(
      'Đã mở khóa kỳ Quý II/2023 của biểu mẫu HTS-BAN.',
    );
    expect(await page.locator('#lock-state').innerText()).toContain('Chưa khóa');
  });

  it('grants, lists and revokes a lock exception', async () => {
    expect(await page.locator('#no-exceptions').innerText()).toBe('Chưa có ngoại lệ nào cho kỳ này.');
    await page.selectOption('#exception-commune', '03198');
    await page.fill('#exception-until', '2023-06-30');
    await page.fill('#exception-reason', 'Xã bị lũ cô lập');
    const granted = await click('Cấp ngoại lệ');
    expect(granted.text).toMatch(/^Đã cấp ngoại lệ cho .+ \(03198\) đến hết ngày 2023-06-30\.$/u);
    expect(await rowOf('exceptions', '03198').innerText()).toMatch(/2023-06-30\s+Xã bị lũ cô lập\s+pho\.giamdoc/u);
    const revoked = await withReason(
      `Thu hồi ngoại lệ của ${await communeName('03198')} (03198)`,
      'Xã đã có điện trở lại',
      'Thu hồi',
    );
    expect(revoked.role).toBe('status');
    expect(await page.locator('#no-exceptions').count()).toBe(1);
  });

  it('reads the audit log: every action above, with its reason, as the API gives it', async () => {
    const api = await sendJson(running.url!, apiToken, 'GET', '/v1/audit?province=11&limit=50');
    const rows = await page.locator('#audit tbody tr').allInnerTexts();
    expect(rows).toHaveLength(api.body.entries.length);
    const text = rows.join('\n');
    for (const words of [
      'Phê duyệt',
      'Đánh dấu thiếu báo cáo',
      'Hủy phê duyệt',
      'Khóa kỳ',
      'Mở khóa kỳ',
      'Cấp ngoại lệ khóa',
      'Thu hồi ngoại lệ khóa',
      'Huyện xin sửa số liệu',
      'Cho xã gửi bổ sung',
      'Xã bị lũ cô lập',
      'Xã đã có điện trở lại',
    ])
      expect(text).toContain(words);
    // The refused unapproval changed nothing, and is not in the log.
    expect(text).not.toContain('Số liệu thôn sai');
    expect(rows[0]).toContain('Thu hồi ngoại lệ khóa');
    await screenshots(page, 'approver-audit');
  });

  it('a page left open while another approver acts: the 409 says so in words, and the page then shows what stands', async () => {
    expect(await rowOf('upper', '(11)').innerText()).toContain('Chưa phê duyệt');
    const district = { form: 'HTS-BAN', period: '2023-Q2', level: 'district', unit: '103' };
    expect((await sendJson(running.url!, apiToken, 'POST', '/v1/approvals', district)).status).toBe(201);
    expect(
      (
        await sendJson(running.url!, apiToken, 'POST', '/v1/approvals', {
          form: 'HTS-BAN',
          period: '2023-Q2',
          level: 'province',
          unit: '11',
        })
      ).status,
    ).toBe(201);
    const stale = await click('Phê duyệt Tỉnh Điện Biên (11)');
    expect(stale.role).toBe('alert');
    expect(stale.text).toContain('Đơn vị này đã được phê duyệt.');
    expect(await rowOf('upper', '(11)').innerText()).toContain('Đã phê duyệt bởi Sở TT&TT Điện Biên');
  });

  it('in English, and refused to a province reader without the approve role', async () => {
    await page.getByRole('button', { name: 'Switch to English' }).click();
    await page.waitForURL(/approver/u);
    await ready(page);
    expect(await page.locator('main h1').innerText()).toBe('Approval and locks');
    expect(await page.locator('#rates').innerText()).toContain('Reporting rate');
    expect(await rowOf('communes', '03175').innerText()).toContain('2 working days late');
    await screenshots(page, 'approver-en');
    await page
      .getByRole('button', { name: 'Tiếng Việt' })
      .click()
      .catch(() => undefined);

    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'vi-VN' });
    contexts.push(context);
    const reader = await context.newPage();
    await logIn(reader, running.url!, 'chuyenvien', testPassword);
    expect(await reader.locator('header nav').innerText()).not.toContain('Phê duyệt');
    const response = await reader.goto(url(view));
    expect(response!.status()).toBe(403);
  });

  it('the officer of a commune that has not sent sees, per form, the period owed next, its deadline and the working days it is overdue', async () => {
    await userFor(services.db, 'xa.siphapin', 'commune', '03199');
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'vi-VN' });
    contexts.push(context);
    const officer = await context.newPage();
    await logIn(officer, running.url!, 'xa.siphapin', testPassword, '/submissions');
    // Deadline Fri 16 June; today Wed 21 June: 19, 20 and 21 June are working days past it.
    const items = await officer.locator('#next-due li').allInnerTexts();
    expect(items).toEqual([
      expect.stringMatching(/\(HTS-BAN\): Quý II\/2023 — hạn nộp 16\/06\/2023, quá hạn 3 ngày làm việc$/u),
      expect.stringMatching(/\(HTS-XA\): Quý II\/2023 — hạn nộp 16\/06\/2023, quá hạn 3 ngày làm việc$/u),
    ]);
    expect(await officer.locator('#next-due li').first().getAttribute('data-state')).toBe('overdue');
    await screenshots(officer, 'officer-next-due');
  });
});

async function communeName(code: string): Promise<string> {
  const unit = await services.db
    .selectFrom('admin_unit')
    .select('name')
    .where('level', '=', 'commune')
    .where('code', '=', code)
    .executeTakeFirstOrThrow();
  return unit.name;
}
