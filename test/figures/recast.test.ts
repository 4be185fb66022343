import { describe, expect, it } from 'vitest';
import { measureReport } from '../../src/figures/measures.ts';
import { shippedFormCatalog } from '../../src/forms/shipped-forms.ts';
import type { FormRow } from '../../src/schema/form.ts';
import { computeRollup, type UnitRow } from '../../src/figures/compute.ts';
import {
  computeRecast,
  recastIsSnapshot,
  recastOfSnapshot,
  type Predecessor,
  type RecastInputs,
  type RecastReport,
} from '../../src/figures/recast.ts';

const catalog = shippedFormCatalog();
const forms = catalog.list();
const province: UnitRow = { level: 'province', code: '90', name: 'Tỉnh Mới', province_code: '90', district_code: null };
const commune = (code: string): UnitRow => ({
  level: 'commune',
  code,
  name: `Xã ${code}`,
  province_code: '90',
  district_code: null,
});
const into = (code: string, provinceCode = '90') => ({ code, provinceCode });

const village = (name: string, fiber: boolean, population: number): { key: string; data: FormRow } => ({
  key: name.toLowerCase(),
  data: {
    village: name,
    households: 10,
    population,
    fiber,
    mobile_signal: true,
    mobile_3g: true,
    smartphone_users: 1,
    epayment_users: 1,
  },
});

function ban(submissionId: number, communeCode: string, rows: { key: string; data: FormRow }[]): RecastReport {
  const measures = measureReport(
    catalog.find('HTS-BAN')!,
    rows.map((r) => r.data),
  );
  return { submissionId, communeCode, form: 'HTS-BAN', measures, rows };
}

function recast(
  predecessors: Predecessor[],
  reports: RecastReport[],
  assignment: Record<string, string> = {},
  communes = ['90001', '90002'],
) {
  const input: RecastInputs = {
    province,
    communes: communes.map(commune),
    predecessors,
    reports,
    assignedTo: (old, key) => assignment[`${old}|${key}`],
  };
  const { rows, sources } = computeRecast(forms, input);
  const row = (level: string, unit: string, indicator: string) =>
    rows.find((r) => r.level === level && r.unit_code === unit && r.indicator === indicator)!;
  return { rows, sources, row };
}

describe('computeRecast', () => {
  const whole: Predecessor = { code: '00001', provinceCode: '01', destinations: [into('90001')] };
  const split: Predecessor = { code: '00002', provinceCode: '01', destinations: [into('90001'), into('90002')] };
  const splitReport = ban(2, '00002', [village('A', true, 100), village('B', false, 50), village('C', true, 70)]);

  it('a commune that went whole into a commune of today adds its whole report, exactly', () => {
    const { row } = recast([whole], [ban(1, '00001', [village('X', true, 40), village('Y', false, 60)])]);
    expect(row('commune', '90001', 'fiber_village_rate')).toMatchObject({
      numerator: '1',
      denominator: '2',
      value: 0.5,
      predecessors_reporting: 1,
      predecessors_expected: 1,
      approximate_for: 0,
    });
    expect(row('commune', '90002', 'villages_total')).toMatchObject({
      numerator: null,
      predecessors_expected: 0,
      approximate_for: 0,
    });
  });

  it('a split commune without an assignment is left out of its successors, which are approximate for 1 commune; the province has it all', () => {
    const { row } = recast([whole, split], [splitReport]);
    for (const unit of ['90001', '90002'])
      expect(row('commune', unit, 'villages_total')).toMatchObject({
        numerator: null,
        predecessors_reporting: 1,
        approximate_for: 1,
      });
    expect(row('commune', '90001', 'villages_total').predecessors_expected).toBe(2);
    expect(row('province', '90', 'villages_total')).toMatchObject({
      numerator: '3',
      predecessors_reporting: 1,
      predecessors_expected: 2,
      approximate_for: 0,
    });
  });

  it('a partial assignment places what it names and leaves the commune approximate; a whole one makes it exact', () => {
    const partial = recast([split], [splitReport], { '00002|a': '90001', '00002|b': '90002' });
    expect(partial.row('commune', '90001', 'smartphone_rate')).toMatchObject({
      numerator: '1',
      denominator: '100',
      approximate_for: 1,
    });
    expect(partial.row('commune', '90002', 'villages_total')).toMatchObject({ numerator: '1', approximate_for: 1 });

    const full = recast([split], [splitReport], { '00002|a': '90001', '00002|b': '90002', '00002|c': '90002' });
    expect(full.row('commune', '90001', 'fiber_village_rate')).toMatchObject({
      numerator: '1',
      denominator: '1',
      approximate_for: 0,
    });
    expect(full.row('commune', '90002', 'fiber_village_rate')).toMatchObject({
      numerator: '1',
      denominator: '2',
      approximate_for: 0,
    });
    expect(full.row('commune', '90002', 'smartphone_rate')).toMatchObject({ denominator: '120' });
  });

  it('an assignment to a commune the old commune did not go into places nothing', () => {
    const { row } = recast([split], [splitReport], { '00002|a': '90001', '00002|b': '90002', '00002|c': '99999' });
    expect(row('commune', '90002', 'villages_total')).toMatchObject({ numerator: '1', approximate_for: 1 });
  });

  it('the office of a split commune (one-row form) follows the assignment of the empty village', () => {
    const office: RecastReport = {
      submissionId: 3,
      communeCode: '00002',
      form: 'HTS-XA',
      measures: { computers: '9', communes_reporting: '1' },
      rows: [
        {
          key: null,
          data: {
            computers: 9,
            computers_broadband: 9,
            staff: 3,
            staff_with_computer: 3,
            specialized_network: true,
            video_conference: false,
          },
        },
      ],
    };
    expect(recast([split], [office]).row('commune', '90002', 'computers_total')).toMatchObject({
      numerator: null,
      approximate_for: 1,
    });
    const placed = recast([split], [office], { '00002|': '90002' });
    expect(placed.row('commune', '90002', 'computers_total')).toMatchObject({ numerator: '9', approximate_for: 0 });
    expect(placed.row('commune', '90001', 'computers_total')).toMatchObject({
      numerator: null,
      approximate_for: 0,
      predecessors_reporting: 1,
    });
  });

  it('an old province whose communes went into two provinces of today is left out of the province figure and marked', () => {
    const here: Predecessor = { code: '00005', provinceCode: '05', destinations: [into('90001')] };
    const there: Predecessor = { code: '00006', provinceCode: '05', destinations: [into('80001', '80')] };
    const { row } = recast(
      [whole, here, there],
      [ban(1, '00001', [village('X', true, 1)]), ban(5, '00005', [village('Z', true, 1)])],
    );
    expect(row('province', '90', 'villages_total')).toMatchObject({
      numerator: '1',
      predecessors_expected: 2,
      predecessors_reporting: 2,
      approximate_for: 1,
    });
    expect(row('commune', '90001', 'villages_total')).toMatchObject({ numerator: '2', approximate_for: 0 });
  });

  it('a unit still valid today is its own predecessor, and every report used is in the lineage', () => {
    const self: Predecessor = { code: '90001', provinceCode: '90', destinations: [into('90001')] };
    const { row, sources } = recast([self], [ban(7, '90001', [village('X', true, 1)])]);
    expect(row('commune', '90001', 'villages_total')).toMatchObject({
      numerator: '1',
      predecessors_reporting: 1,
      predecessors_expected: 1,
      approximate_for: 0,
    });
    expect(row('province', '90', 'villages_total')).toMatchObject({ numerator: '1', parent_code: null });
    expect(row('commune', '90001', 'villages_total').parent_code).toBe('90');
    expect(sources).toEqual([{ submissionId: 7, communeCode: '90001', form: 'HTS-BAN' }]);
  });
});

describe('recastIsSnapshot', () => {
  // Province 90 with a district and two communes, unchanged since the period: each commune is its own predecessor.
  const district: UnitRow = {
    level: 'district',
    code: '901',
    name: 'Huyện Một',
    province_code: '90',
    district_code: null,
  };
  const inDistrict = (code: string): UnitRow => ({ ...commune(code), district_code: '901' });
  const reports = [
    ban(1, '90001', [village('X', true, 40)]),
    ban(2, '90002', [village('Y', false, 60), village('Z', true, 10)]),
  ];
  const self = (code: string): Predecessor => ({ code, provinceCode: '90', destinations: [into(code)] });
  const snapshot = computeRollup(forms, [province, district, inDistrict('90001'), inDistrict('90002')], reports);

  it('is true when the period’s hierarchy is today’s: the commune and province rows, with today’s province as parent, and the same sources', () => {
    const same = recast([self('90001'), self('90002')], reports);
    expect(recastIsSnapshot(same, '90', snapshot)).toBe(true);
  });

  it('is false when a commune was renamed since, when a commune went elsewhere, or when a report is missing from either', () => {
    const renamed = computeRecast(forms, {
      province,
      communes: [{ ...commune('90001'), name: 'Xã Đổi Tên' }, commune('90002')],
      predecessors: [self('90001'), self('90002')],
      reports,
      assignedTo: () => undefined,
    });
    expect(recastIsSnapshot(renamed, '90', snapshot)).toBe(false);
    const merged = recast(
      [self('90001'), { code: '90002', provinceCode: '90', destinations: [into('90001')] }],
      reports,
      {},
      ['90001'],
    );
    expect(recastIsSnapshot(merged, '90', snapshot)).toBe(false);
    const fewer = recast([self('90001'), self('90002')], reports.slice(0, 1));
    expect(recastIsSnapshot(fewer, '90', snapshot)).toBe(false);
  });

  it('is taken from the snapshot, row for row and in order, when the period’s hierarchy is today’s; else left to computeRecast', () => {
    const input = {
      province,
      communes: [commune('90001'), commune('90002')],
      predecessors: [self('90001'), self('90002')],
      reports,
      assignedTo: () => undefined,
    };
    const taken = recastOfSnapshot(forms, input, snapshot);
    expect(taken).toEqual(computeRecast(forms, input));
    // The same JSON, key for key: the content hash of a version does not depend on how its recast was made.
    expect(JSON.stringify(taken)).toBe(JSON.stringify(computeRecast(forms, input)));
    expect(recastIsSnapshot(taken!, '90', snapshot)).toBe(true);

    const renamed = { ...input, communes: [{ ...commune('90001'), name: 'Xã Đổi Tên' }, commune('90002')] };
    expect(recastOfSnapshot(forms, renamed, snapshot)).toBeNull();
    const merged = { ...input, predecessors: [self('90001'), { ...self('90002'), destinations: [into('90001')] }] };
    expect(recastOfSnapshot(forms, merged, snapshot)).toBeNull();
    const fromElsewhere = { ...input, predecessors: [...input.predecessors, { ...self('80001'), provinceCode: '80' }] };
    expect(recastOfSnapshot(forms, fromElsewhere, snapshot)).toBeNull();
    const newCommune = { ...input, communes: [...input.communes, commune('90003')] };
    expect(recastOfSnapshot(forms, newCommune, snapshot)).toBeNull();
    const fewerForms = forms.filter((f) => f.code !== 'HTS-BAN');
    expect(recastOfSnapshot(fewerForms, input, snapshot)).toBeNull();
  });
});
