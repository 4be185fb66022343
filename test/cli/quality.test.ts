import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importUnitFile, namPo, settled, tokenFor, upload } from '../support/builders.ts';
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

describe('bounds from the terminal (SPEC §8)', { timeout: 240_000 }, () => {
  it('quality bounds set --file imports a CSV all or none, list shows them, remove takes one away', async () => {
    await importUnitFile(services.db, join(namPo, 'units.csv'));
    const dir = await mkdtemp(join(tmpdir(), 'bounds-'));
    const bad = join(dir, 'bad.csv');
    await writeFile(
      bad,
      'form,measure,commune,province,min,max\nHTS-XA,computers,03156,,0,50\nHTS-XA,staff,,11,40,10\n',
    );
    const refused = await tonghop(['quality', 'bounds', 'set', '--file', bad]);
    expect(refused.code).toBe(1);
    expect(refused.output).toContain('line 3');
    expect(await services.db.selectFrom('quality_bound').selectAll().execute()).toEqual([]);

    const good = join(dir, 'bounds.csv');
    await writeFile(
      good,
      'form,measure,commune,province,min,max\nHTS-XA,computers,03156,,0,50\nHTS-BAN,villages,,11,1,\n',
    );
    const set = await tonghop(['quality', 'bounds', 'set', '--file', good]);
    expect(set, set.output).toMatchObject({ code: 0 });
    expect(set.output).toContain('2 bound(s) set');
    const listed = await tonghop(['quality', 'bounds', 'list']);
    expect(listed.output).toMatch(/HTS-BAN\s+villages\s+province\s+11\s+11\s+1\s/u);
    expect(listed.output).toMatch(/HTS-XA\s+computers\s+commune\s+03156\s+11\s+0\s+50/u);

    const removed = await tonghop([
      'quality',
      'bounds',
      'remove',
      '--form',
      'HTS-XA',
      '--measure',
      'computers',
      '--commune',
      '03156',
    ]);
    expect(removed, removed.output).toMatchObject({ code: 0 });
    expect(await services.db.selectFrom('quality_bound').select(['form', 'measure', 'unit_code']).execute()).toEqual([
      { form: 'HTS-BAN', measure: 'villages', unit_code: '11' },
    ]);
  });
});

describe('warnings from the terminal', { timeout: 240_000 }, () => {
  it('tonghop validate and submit print the warnings of a file they accept', async () => {
    const running = await services.start('all');
    await importUnitFile(services.db, join(namPo, 'units.csv')).catch(() => undefined);
    const token = await tokenFor(services.db, 'commune', '03165');
    const office = (period: string, computers: number) =>
      JSON.stringify({
        form: 'HTS-XA',
        commune: '03165',
        period,
        rows: [
          {
            'Số máy tính': computers,
            'Số máy tính kết nối internet băng rộng': 5,
            'Số cán bộ, công chức': 20,
            'Số cán bộ, công chức được trang bị máy tính': 15,
            'Kết nối mạng truyền số liệu chuyên dùng': 'Có',
            'Có điểm cầu hội nghị truyền hình trực tuyến': 'Có',
          },
        ],
      });
    for (const period of ['2022-Q1', '2022-Q2', '2022-Q3', '2022-Q4'])
      expect((await upload(running.url!, token, [{ name: `${period}.json`, bytes: office(period, 9) }])).status).toBe(
        202,
      );
    await settled(services.db, running.deps.queues);
    const dir = await mkdtemp(join(tmpdir(), 'warned-'));
    const file = join(dir, 'jump.json');
    await writeFile(file, office('2023-Q1', 90));
    const env = { TONGHOP_URL: running.url!, TONGHOP_TOKEN: token, CLIENT_RETRY_S: '0' };
    const checked = await tonghop(['validate', file], env);
    expect(checked, checked.output).toMatchObject({ code: 0 });
    expect(checked.output).toMatch(/warnings, still accepted[\s\S]*computers\s+90\s+OUTLIER/u);
    const sent = await tonghop(['submit', file], env);
    expect(sent, sent.output).toMatchObject({ code: 0 });
    expect(sent.output).toMatch(/accepted with warnings[\s\S]*computers\s+90\s+OUTLIER/u);
    // A commune's token reads its own commune's figures only: those are the snapshot it is shown, not a wait for rows it cannot read.
    expect(sent.output).toMatch(/Snapshot 2023-Q1:[\s\S]*commune\s+03165\s/u);
  });
});
