import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { shippedFormCatalog } from '../../src/forms/shipped-forms.ts';
import { definitionOf } from '../../src/schema/form.ts';
import { runTonghop } from '../support/child.ts';
import { useServices } from '../support/services.ts';

const services = useServices();

describe('tonghop forms', () => {
  it('export prints a stored definition as YAML that reads back to the shipped one', async () => {
    const out = await runTonghop(['forms', 'export', 'hts-xa'], services.env);
    expect(out.code, out.stderr).toBe(0);
    expect(parse(out.stdout)).toEqual(definitionOf(shippedFormCatalog().find('HTS-XA')!));
    expect((await runTonghop(['forms', 'export', 'NOPE'], services.env)).code).toBe(1);
  });

  it('import refuses a file with problems, prints each with its file and path, stores nothing and exits 1', async () => {
    const file = join(tmpdir(), `tonghop-bad-${process.pid}.yaml`);
    await writeFile(file, 'code: BAD-1\ntitle: { vi: a, en: a }\nperiodicity: week\nrows: one\nfields: []\n');
    const out = await runTonghop(['forms', 'import', file], services.env);
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(/^tonghop-bad-\d+\.yaml periodicity: .+ \/ .+$/mu);
    expect(out.stderr).toMatch(/^tonghop-bad-\d+\.yaml fields: /mu);
    expect(
      await services.db.selectFrom('form_definition').select('code').where('code', '=', 'BAD-1').execute(),
    ).toEqual([]);
  });
});
