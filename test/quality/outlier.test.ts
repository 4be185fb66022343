import { describe, expect, it } from 'vitest';
import { shippedFormCatalog } from '../../src/forms/shipped-forms.ts';
import { consistencyChecksOf, judgedMeasures, qualityWarnings } from '../../src/quality/judge-quality.ts';
import { median, outlierOf } from '../../src/quality/outlier.ts';

describe('the outlier rule (SPEC §8)', () => {
  it('needs at least four earlier periods', () => {
    expect(outlierOf(100, [10, 10, 11])).toBeNull();
    expect(outlierOf(100, [10, 10, 11, 10])).not.toBeNull();
  });

  it('scores by median and MAD beyond 3.5: a jump ×3 in a noisy series is found, ordinary noise is not', () => {
    const history = [100, 104, 97, 108, 101, 99, 105, 103];
    expect(median(history)).toBe(102);
    const jump = outlierOf(306, history)!;
    expect(jump.method).toBe('mad');
    expect(jump.score).toBeGreaterThan(3.5);
    expect(jump.expected[0]).toBeLessThan(102);
    expect(jump.expected[1]).toBeGreaterThan(102);
    expect(outlierOf(110, history)).toBeNull();
    expect(outlierOf(0, history)!.score).toBeLessThan(-3.5);
  });

  it('a constant history (MAD and mean deviation 0) flags a change by a factor of 3 either way, and nothing less', () => {
    const flat = [8, 8, 8, 8, 8, 8];
    expect(outlierOf(24, flat)).toMatchObject({ method: 'constant', score: 3, median: 8 });
    expect(outlierOf(23, flat)).toBeNull();
    expect(outlierOf(0, flat)).toMatchObject({ method: 'constant', score: 0 });
    expect(outlierOf(2, flat)).not.toBeNull();
    expect(outlierOf(3, flat)).toBeNull();
  });

  it('MAD 0 with some spread falls back to the mean absolute deviation (×1.253314)', () => {
    const history = [20, 20, 20, 20, 20, 21, 19];
    const v = outlierOf(40, history)!;
    expect(v.method).toBe('mean_ad');
    expect(v.score).toBeCloseTo(20 / (1.253314 * (2 / 7)), 6);
  });

  it('never warns of a change under max(3, 30 %) from the median or from the latest value: a rollout step, a count moving by one or two', () => {
    expect(outlierOf(5, [2, 2, 3, 3, 4])).toBeNull();
    expect(outlierOf(10, [8, 8, 8, 8, 8, 8, 9])).toBeNull();
    expect(outlierOf(1300, [1000, 1001, 1000, 1002, 1001])).toBeNull();
    expect(outlierOf(1400, [1000, 1001, 1000, 1002, 1001])).not.toBeNull();
    expect(outlierOf(3, [1, 1, 1, 1, 1])).toBeNull();
  });
});

describe('warnings of a report', () => {
  const catalog = shippedFormCatalog();
  const xa = catalog.find('HTS-XA')!;
  const ban = catalog.find('HTS-BAN')!;
  const office = (computers: number, villages: number | null = null) => [
    {
      computers,
      computers_broadband: 5,
      staff: 20,
      staff_with_computer: 18,
      specialized_network: true,
      video_conference: false,
      villages,
    },
  ];
  const history = ['2022-Q3', '2022-Q4', '2023-Q1', '2023-Q2'].map((period) => ({
    period,
    measures: judgedMeasures(xa, office(10)),
  }));
  const none = { bounds: [], consistency: [], siblings: new Map() };

  it('say the value, what history suggested and the earlier values, in Vietnamese and English, in the shape of errors', () => {
    const [w, ...more] = qualityWarnings(xa, judgedMeasures(xa, office(40)), { history, ...none });
    expect(more).toEqual([]);
    expect(w!.issue).toMatchObject({ row: null, column: 'computers', value: '40', code: 'OUTLIER' });
    expect(w!.issue.message.vi).toContain('là 40');
    expect(w!.issue.message.vi).toContain('2022-Q3: 10, 2022-Q4: 10, 2023-Q1: 10, 2023-Q2: 10');
    expect(w!.issue.message.en).toContain('is 40');
    expect(w!.issue.message.en).toContain('always 10');
    expect(w!.history).toHaveLength(4);
  });

  it('an empty optional column is a measure not given, not 0', () => {
    expect(judgedMeasures(xa, office(10)).villages_declared).toBeNull();
    expect(judgedMeasures(xa, office(10, 7)).villages_declared).toBe('7');
  });

  it('a bound flags a value outside it, the commune bound before the province bound', () => {
    const bounds = [
      {
        form: 'HTS-XA',
        measure: 'computers',
        level: 'province' as const,
        unitCode: '11',
        min: 0,
        max: 100,
        setBy: 'analyst',
      },
      {
        form: 'HTS-XA',
        measure: 'computers',
        level: 'commune' as const,
        unitCode: '03156',
        min: 0,
        max: 12,
        setBy: 'analyst',
      },
    ];
    const warnings = qualityWarnings(xa, judgedMeasures(xa, office(11)), {
      ...none,
      history: [],
      bounds: bounds.slice(0, 1),
    });
    expect(warnings).toEqual([]);
    const [w] = qualityWarnings(xa, judgedMeasures(xa, office(13)), { ...none, history: [], bounds });
    expect(w!.issue).toMatchObject({ code: 'OUTLIER_BOUNDS', column: 'computers', value: '13' });
    expect(w!.issue.message.en).toContain('outside the range 0–12 that analyst set for commune 03156');
  });

  it('consistency checks come from the definitions, seen from either form', () => {
    const fromXa = consistencyChecksOf(xa, catalog.list());
    const fromBan = consistencyChecksOf(ban, catalog.list());
    expect(fromXa).toEqual([
      expect.objectContaining({ mine: 'villages_declared', op: '=', form: 'HTS-BAN', theirs: 'villages' }),
    ]);
    expect(fromBan).toEqual([
      expect.objectContaining({ mine: 'villages', op: '=', form: 'HTS-XA', theirs: 'villages_declared' }),
    ]);
    const siblings = new Map([['HTS-BAN', { villages: '3' }]]);
    const [w] = qualityWarnings(xa, judgedMeasures(xa, office(10, 5)), {
      history: [],
      bounds: [],
      consistency: fromXa,
      siblings,
    });
    expect(w!.issue).toMatchObject({ code: 'INCONSISTENT', column: 'villages_declared', value: '5' });
    expect(
      qualityWarnings(xa, judgedMeasures(xa, office(10, 3)), {
        history: [],
        bounds: [],
        consistency: fromXa,
        siblings,
      }),
    ).toEqual([]);
  });
});
