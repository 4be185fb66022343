import { describe, expect, it } from 'vitest';
import { shippedFormCatalog } from '../../src/forms/shipped-forms.ts';
import { matchHeaders } from '../../src/report/match-headers.ts';
import { validateRows } from '../../src/report/validate.ts';
import type { RawCell, RawTable } from '../../src/schema/raw-table.ts';

const catalog = shippedFormCatalog();
const ban = catalog.find('HTS-BAN')!;
const columns = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H'];

/** A table as a reader gives it: rows numbered as in a sheet (the header is row 1). */
function table(rows: RawCell[][], form = ban): RawTable {
  return {
    format: 'csv',
    meta: {},
    headers: form.fields.map((f) => f.header),
    columnLabels: columns,
    rowCount: rows.length,
    rows: async function* () {
      yield rows.map((cells, i) => ({ row: i + 2, cells }));
    },
    totals: [],
  };
}

async function validate(rows: RawCell[][], form = ban, maxIssues = 100) {
  const matched = matchHeaders(
    form,
    form.fields.map((f) => f.header),
    columns,
  );
  if (!('map' in matched)) throw new Error('headers');
  return validateRows(form, table(rows, form), matched.map, 200, maxIssues);
}

const village = (name: string, over: Partial<Record<string, RawCell>> = {}): RawCell[] => {
  const v = {
    village: name,
    households: 120,
    population: 540,
    fiber: 'Có',
    mobile_signal: 'Có',
    mobile_3g: 'Có',
    smartphone_users: 250,
    epayment_users: 130,
    ...over,
  };
  return ban.fields.map((f) => v[f.key as keyof typeof v] ?? null);
};

describe('validateRows', () => {
  it('makes each row a typed row of the form, keyed by its village', async () => {
    const result = await validate([
      village('Bản Chà Cang'),
      village('Bản Nà Pẩu', { fiber: 'Không', households: '1.020' }),
    ]);
    expect('rows' in result).toBe(true);
    if (!('rows' in result)) return;
    expect(result.rows.map((r) => [r.row, r.key, r.data.fiber, r.data.households])).toEqual([
      [2, 'chà cang', true, 120],
      [3, 'nà pẩu', false, 1020],
    ]);
  });

  it('reports every problem of every row, each with its row, column and value, and keeps no row', async () => {
    const result = await validate([
      village('Bản A', { households: 'nhiều' }),
      village('Bản B', { smartphone_users: 600 }),
      village('Bản A'),
    ]);
    expect('issues' in result).toBe(true);
    if (!('issues' in result)) return;
    expect(result.issues.map((i) => [i.code, i.row, i.column, i.value])).toEqual([
      ['VALUE_NOT_INTEGER', 2, 'B', 'nhiều'],
      ['RULE_AT_MOST', 3, 'G', '600'],
      ['DUPLICATE_ROW_KEY', 4, 'A', 'Bản A'],
    ]);
  });

  it('refuses a rule broken across fields: 3G without a mobile signal', async () => {
    const result = await validate([village('Bản C', { mobile_signal: 'Không', mobile_3g: 'Có' })]);
    expect('issues' in result && result.issues.map((i) => i.code)).toEqual(['RULE_REQUIRES']);
  });

  it('calls a table without rows NO_ROWS, and stops keeping issues at the cap', async () => {
    expect(await validate([])).toEqual({ issues: [expect.objectContaining({ code: 'NO_ROWS' })] });
    const many = Array.from({ length: 30 }, (_, i) => village(`Bản ${i}`, { households: 'x' }));
    const result = await validate(many, ban, 5);
    expect('issues' in result && result.issues.length).toBeLessThanOrEqual(6);
    expect('issues' in result && result.issues.at(-1)?.code).toBe('ISSUES_TRUNCATED');
  });

  it('takes one row only for a one-row form, and says so first', async () => {
    const xa = catalog.find('HTS-XA')!;
    const row = xa.fields.map((f) => (f.type === 'yesno' ? 'Có' : 1));
    const result = await validate([row, row], xa);
    expect('issues' in result && result.issues[0]?.code).toBe('TOO_MANY_ROWS');
  });
});
