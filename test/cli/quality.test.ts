import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importUnitFile, namPo } from '../support/builders.ts';
import { spawnTonghop } from '../support/processes.ts';
import { useServices } from '../support/services.ts';

const services = useServices();

async function tonghop(args: string[]): Promise<{ code: number | null; output: string }> {
  const p = spawnTonghop(args, services.env);
  const code = await p.exited;
  return { code, output: p.output() };
}

describe('bounds from the terminal (SPEC §8)', { timeout: 240_000 }, () => {
  it('quality bounds set --file imports a CSV all or none, list shows them, remove takes one away', async () => {
    await importUnitFile(services.db, join(namPo, 'units.csv'));
    const dir = await mkdtemp(join(tmpdir(), 'bounds-'));
    const bad = join(dir, 'bad.csv');
    await writeFile(bad, 'form,measure,commune,province,min,max\nHTS-XA,computers,03156,,0,50\nHTS-XA,staff,,11,40,10\n');
    const refused = await tonghop(['quality', 'bounds', 'set', '--file', bad]);
    expect(refused.code).toBe(1);
    expect(refused.output).toContain('line 3');
    expect(await services.db.selectFrom('quality_bound').selectAll().execute()).toEqual([]);

    const good = join(dir, 'bounds.csv');
    await writeFile(good, 'form,measure,commune,province,min,max\nHTS-XA,computers,03156,,0,50\nHTS-BAN,villages,,11,1,\n');
    const set = await tonghop(['quality', 'bounds', 'set', '--file', good]);
    expect(set, set.output).toMatchObject({ code: 0 });
    expect(set.output).toContain('2 bound(s) set');
    const listed = await tonghop(['quality', 'bounds', 'list']);
    expect(listed.output).toMatch(/HTS-BAN\s+villages\s+province\s+11\s+11\s+1\s/u);
    expect(listed.output).toMatch(/HTS-XA\s+computers\s+commune\s+03156\s+11\s+0\s+50/u);

    const removed = await tonghop(['quality', 'bounds', 'remove', '--form', 'HTS-XA', '--measure', 'computers', '--commune', '03156']);
    expect(removed, removed.output).toMatchObject({ code: 0 });
    expect(await services.db.selectFrom('quality_bound').select(['form', 'measure', 'unit_code']).execute()).toEqual([{ form: 'HTS-BAN', measure: 'villages', unit_code: '11' }]);
  });
});
