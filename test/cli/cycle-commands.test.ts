import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importUnitFile, namPo, namPoFiles, upload } from '../support/builders.ts';
import { spawnTonghop } from '../support/processes.ts';
import { useServices } from '../support/services.ts';

const services = useServices();

async function tonghop(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; output: string }> {
  const p = spawnTonghop(args, { ...services.env, ...env });
  const code = await p.exited;
  return { code, output: p.output() };
}

// Each command is a process of its own (a few seconds each on a busy machine).
describe('the reporting cycle from the terminal', { timeout: 240_000 }, () => {
  it('holidays import adds days and refuses a file with a weekday "workday", naming the line', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'holidays-'));
    const good = join(dir, 'vn-2027.csv');
    await writeFile(
      good,
      'date,kind,name\n2027-01-01,holiday,Tết Dương lịch\n2027-02-05,holiday,Tết Nguyên đán\n2027-02-13,workday,Làm bù\n',
    );
    const imported = await tonghop(['holidays', 'import', good]);
    expect(imported, imported.output).toMatchObject({ code: 0 });
    expect(imported.output).toContain('imported 3 days');
    expect(
      await services.db
        .selectFrom('holiday')
        .select(['date', 'kind'])
        .where('date', '>=', '2027-01-01')
        .orderBy('date')
        .execute(),
    ).toEqual([
      { date: '2027-01-01', kind: 'holiday' },
      { date: '2027-02-05', kind: 'holiday' },
      { date: '2027-02-13', kind: 'workday' },
    ]);
    // The shipped calendar was seeded when the database was migrated.
    expect(
      await services.db.selectFrom('holiday').select('name').where('date', '=', '2026-02-17').executeTakeFirst(),
    ).toEqual({ name: 'Tết Nguyên đán (mùng 1)' });
    const bad = join(dir, 'bad.csv');
    await writeFile(bad, 'date,kind,name\n2027-03-01,workday,thứ Hai\n2027-13-01,holiday,x\n');
    const refused = await tonghop(['holidays', 'import', bad]);
    expect(refused.code).toBe(1);
    expect(refused.output).toMatch(/line 2: 2027-03-01 is a weekday/u);
    expect(refused.output).toMatch(/line 3: date/u);
    // The shipped calendar's days, seeded at migrate by the release, then the operator's three; the refused file wrote nothing.
    expect(
      await services.db
        .selectFrom('audit_log')
        .select(['action', 'actor', 'subject'])
        .where('action', '=', 'holidays.import')
        .orderBy('id')
        .execute(),
    ).toEqual([
      {
        action: 'holidays.import',
        actor: 'tonghop',
        subject: expect.objectContaining({ shipped: true, years: expect.arrayContaining(['2025', '2026']) }),
      },
      { action: 'holidays.import', actor: 'cli', subject: { days: 3, years: ['2027'] } },
    ]);
  });

  it('token and user create take roles beside the scope; a province token reads by default and may not submit', async () => {
    const running = await services.start('ingest');
    await importUnitFile(services.db, join(namPo, 'units.csv'));
    const approver = await tonghop(['token', 'create', '--province', '11', '--role', 'approve', '--role', 'read']);
    expect(approver.output).toMatch(/token \d+ \(province 11\) created with roles read, approve/u);
    const plain = await tonghop(['token', 'create', '--province', '11']);
    expect(plain.output).toMatch(/created with roles read;/u);
    const commune = await tonghop(['token', 'create', '--commune', '03156']);
    expect(commune.output).toMatch(/created with roles submit, read;/u);
    expect((await tonghop(['token', 'create', '--province', '11', '--role', 'boss'])).output).toContain(
      'unknown role boss',
    );
    const user = await tonghop(
      ['user', 'create', '--username', 'pho-giam-doc', '--province', '11', '--role', 'approve,read'],
      { TONGHOP_PASSWORD: 'mat-khau-rat-dai-2023' },
    );
    expect(user.output).toContain('created with roles read, approve');
    expect(
      await services.db
        .selectFrom('user_account')
        .select('roles')
        .where('username', '=', 'pho-giam-doc')
        .executeTakeFirst(),
    ).toEqual({ roles: ['read', 'approve'] });

    const token = (out: string) => out.split('\n').find((l) => l.startsWith('th_'))!;
    const [file] = await namPoFiles((n) => n.startsWith('03156-hts-ban'));
    const denied = await upload(running.url!, token(plain.output), [file!]);
    expect(denied).toMatchObject({
      status: 403,
      body: { error: { code: 'TONGHOP_ERR_ROLE_MISSING', details: { role: 'submit' } } },
    });
    expect((await upload(running.url!, token(commune.output), [file!])).status).toBe(202);
    const log = await services.db
      .selectFrom('audit_log')
      .select(['action', 'subject'])
      .where('action', 'in', ['token.create', 'user.create'])
      .orderBy('id')
      .execute();
    expect(log.map((r) => [r.action, (r.subject as any).roles])).toEqual([
      ['token.create', ['read', 'approve']],
      ['token.create', ['read']],
      ['token.create', ['submit', 'read']],
      ['user.create', ['read', 'approve']],
    ]);
  });

  it('lock exception grant and reporting-rates', async () => {
    await importUnitFile(services.db, join(namPo, 'units.csv'));
    const granted = await tonghop([
      'lock',
      'exception',
      'grant',
      '--form',
      'hts-xa',
      '--commune',
      '3156',
      '--period',
      'Quý II/2023',
      '--until',
      '2023-07-31',
      '--reason',
      'Xã bị lũ cô lập',
    ]);
    expect(granted, granted.output).toMatchObject({ code: 0 });
    expect(granted.output).toMatch(/exception \d+ granted: HTS-XA 03156 2023-Q2 until 2023-07-31/u);
    const rates = await tonghop([
      'reporting-rates',
      '--form',
      'HTS-BAN',
      '--period',
      '2023-Q2',
      '--level',
      'province',
      '--unit',
      '11',
    ]);
    expect(rates, rates.output).toMatchObject({ code: 0 });
    const lines = rates.output.trim().split('\n');
    expect(lines[0]).toMatch(
      /^level\s+unit\s+name\s+expected_reports\s+actual_reports\s+actual_reports_on_time\s+reporting_rate\s+reporting_rate_on_time$/u,
    );
    // The upload above was only stored (an ingest process, no worker): nothing is accepted yet.
    expect(lines[2]).toMatch(/^province\s+11\s+Tỉnh Điện Biên\s+15\s+0\s+0\s+0\s+0$/u);
    expect(lines[3]).toMatch(/^district\s+103\s+Huyện Nậm Pồ\s+15\s+0\s+0\s+0\s+0$/u);
  });
});
