import { measureReport } from '../figures/measures.ts';
import { measureFields, type Comparison, type ConsistencyDefinition } from '../schema/form-definition.ts';
import type { Form, FormRow, Measures } from '../schema/form.ts';
import type { Bilingual } from '../schema/issue.ts';
import { outlierOf } from './outlier.ts';
import type { PeriodValue, QualityWarning, WarningCode } from './quality-warning.ts';

/** An analyst's min–max bound on a measure (either side may be open), for a commune or a whole province. */
export type Bound = {
  readonly form: string;
  readonly measure: string;
  readonly level: 'commune' | 'province';
  readonly unitCode: string;
  readonly min: number | null;
  readonly max: number | null;
  readonly setBy: string;
};

/** A consistency check that concerns this form, seen from this form's side: `mine op theirs`. */
export type ConsistencyCheck = {
  readonly mine: string;
  readonly op: Comparison;
  readonly form: string;
  readonly theirs: string;
  readonly message: Bilingual | undefined;
};

/** What a report is judged against: nothing here is read by this module, so the worker and the validate route give it the same way. */
export type QualityContext = {
  /** Earlier periods of the same commune and form, each with its measures by the form version serving the report's period. */
  readonly history: readonly { readonly period: string; readonly measures: Measures }[];
  /** The bounds set for the report's commune and its province on this form. */
  readonly bounds: readonly Bound[];
  readonly consistency: readonly ConsistencyCheck[];
  /** The measures of the other forms' current reports of the same commune and period, by form code. */
  readonly siblings: ReadonlyMap<string, Measures>;
};

/** At most this many earlier periods are judged against (and listed in a message): the last three years of a quarterly form. */
export const historyDepth = 12;

/**
 * The measures of a report for judging: as the rollup computes them, except that a sum over a
 * field every row left empty (an optional column not filled in) is missing, not 0 — a commune that
 * did not give its village count has not declared 0 villages.
 */
export function judgedMeasures(form: Pick<Form, 'measures'>, rows: readonly FormRow[]): Measures {
  const out: Record<string, string | null> = { ...measureReport(form, rows) };
  for (const [name, m] of Object.entries(form.measures)) {
    if ('sum' in m && rows.length > 0 && rows.every((r) => r[m.sum] === null || r[m.sum] === undefined))
      out[name] = null;
  }
  return out;
}

/**
 * The data-quality warnings of one report (SPEC §8): for each measure of its form, an OUTLIER
 * against the commune's own history, an OUTLIER_BOUNDS outside an analyst's bounds (the commune's
 * bound if one is set, else the province's); and an INCONSISTENT for each declared consistency
 * check the other form's report of the same commune and period breaks. Pure.
 */
export function qualityWarnings(form: Form, measures: Measures, context: QualityContext): QualityWarning[] {
  const warnings: QualityWarning[] = [];
  const history = [...context.history].sort((a, b) => a.period.localeCompare(b.period)).slice(-historyDepth);
  for (const measure of Object.keys(form.measures)) {
    const raw = measures[measure];
    if (raw === null || raw === undefined) continue;
    const value = Number(raw);
    const earlier: PeriodValue[] = history.flatMap((h) =>
      h.measures[measure] == null ? [] : [{ period: h.period, value: Number(h.measures[measure]) }],
    );
    const label = measureLabel(form, measure);
    const verdict = outlierOf(
      value,
      earlier.map((e) => e.value),
    );
    if (verdict) {
      // A count cannot be negative: the plausible range stops at 0 when the history never went below.
      const floor = earlier.every((e) => e.value >= 0) ? 0 : -Infinity;
      const low = Math.max(floor, verdict.expected[0]);
      const high = verdict.expected[1];
      const listed = earlier.map((e) => `${e.period}: ${fmt(e.value)}`).join(', ');
      const range =
        verdict.method === 'constant'
          ? { vi: `đều bằng ${fmt(verdict.median)}`, en: `always ${fmt(verdict.median)}` }
          : {
              vi: `khoảng ${fmt(low)}–${fmt(high)} (trung vị ${fmt(verdict.median)})`,
              en: `about ${fmt(low)}–${fmt(high)} (median ${fmt(verdict.median)})`,
            };
      warnings.push(
        warning(
          'OUTLIER',
          measure,
          value,
          verdict.method === 'constant' ? verdict.median : low,
          verdict.method === 'constant' ? verdict.median : high,
          earlier,
          {
            vi:
              `${label.vi} là ${fmt(value)}, khác thường so với ${earlier.length} kỳ trước của xã: lịch sử ` +
              `cho thấy ${range.vi}. Các kỳ trước: ${listed}. Hãy kiểm tra lại số liệu; nếu đúng, báo cáo vẫn được nhận.`,
            en:
              `${label.en} is ${fmt(value)}, unusual against the commune's ${earlier.length} earlier periods: ` +
              `history suggests ${range.en}. Earlier values: ${listed}. Check the figure; if it is right, the report is accepted as it is.`,
          },
        ),
      );
    }
    const bound =
      context.bounds.find((b) => b.measure === measure && b.level === 'commune') ??
      context.bounds.find((b) => b.measure === measure && b.level === 'province');
    if (bound && ((bound.min !== null && value < bound.min) || (bound.max !== null && value > bound.max))) {
      const range = `${bound.min === null ? '…' : fmt(bound.min)}–${bound.max === null ? '…' : fmt(bound.max)}`;
      const whereVi = bound.level === 'commune' ? `xã ${bound.unitCode}` : `tỉnh ${bound.unitCode}`;
      const whereEn = bound.level === 'commune' ? `commune ${bound.unitCode}` : `province ${bound.unitCode}`;
      warnings.push(
        warning('OUTLIER_BOUNDS', measure, value, bound.min, bound.max, earlier, {
          vi:
            `${label.vi} là ${fmt(value)}, ngoài khoảng ${range} mà ${bound.setBy} đặt ` +
            `cho ${whereVi}.${earlier.length > 0 ? ` Các kỳ trước: ${earlier.map((e) => `${e.period}: ${fmt(e.value)}`).join(', ')}.` : ''} ` +
            `Hãy kiểm tra lại số liệu.`,
          en:
            `${label.en} is ${fmt(value)}, outside the range ${range} that ${bound.setBy} set ` +
            `for ${whereEn}.` +
            `${earlier.length > 0 ? ` Earlier values: ${earlier.map((e) => `${e.period}: ${fmt(e.value)}`).join(', ')}.` : ''} Check the figure.`,
        }),
      );
    }
  }
  for (const check of context.consistency) {
    const mine = measures[check.mine];
    const theirs = context.siblings.get(check.form)?.[check.theirs];
    if (mine == null || theirs == null || compare(Number(mine), check.op, Number(theirs))) continue;
    const label = measureLabel(form, check.mine);
    const why = check.message ? { vi: `${check.message.vi} `, en: `${check.message.en} ` } : { vi: '', en: '' };
    warnings.push(
      warning('INCONSISTENT', check.mine, Number(mine), Number(theirs), Number(theirs), [], {
        vi:
          `${why.vi}${label.vi} là ${fmt(Number(mine))}, cần ${opVi[check.op]} ${check.theirs} của biểu ${check.form} ` +
          `cùng xã, cùng kỳ (${fmt(Number(theirs))}).`,
        en:
          `${why.en}${label.en} is ${fmt(Number(mine))}; it should be ${opEn[check.op]} ${check.theirs} of ` +
          `form ${check.form} for the same commune and period (${fmt(Number(theirs))}).`,
      }),
    );
  }
  return warnings;
}

/** The consistency checks that concern a form: its own declarations, and the other forms' declarations naming it, turned round. */
export function consistencyChecksOf(
  form: Pick<Form, 'code' | 'consistency'>,
  others: readonly Pick<Form, 'code' | 'consistency'>[],
): ConsistencyCheck[] {
  const own = (form.consistency ?? []).map((c) => ({
    mine: c.measure,
    op: c.op,
    form: c.form,
    theirs: c.other,
    message: c.message,
  }));
  const flipped = others.flatMap((o) =>
    o.code === form.code
      ? []
      : (o.consistency ?? [])
          .filter((c: ConsistencyDefinition) => c.form === form.code)
          .map((c) => ({ mine: c.other, op: flip[c.op], form: o.code, theirs: c.measure, message: c.message })),
  );
  return [...own, ...flipped];
}

function warning(
  code: WarningCode,
  measure: string,
  value: number,
  expectedLow: number | null,
  expectedHigh: number | null,
  history: readonly PeriodValue[],
  message: Bilingual,
): QualityWarning {
  // Vietnamese writes a decimal comma: 8,2 (a period such as 2023-Q2 has no digit on both sides of a dot).
  const vi = message.vi.replace(/(\d)\.(\d)/gu, '$1,$2');
  return {
    issue: { row: null, column: measure, value: fmt(value), code, message: { vi, en: message.en } },
    measure,
    value,
    expectedLow,
    expectedHigh,
    history,
  };
}

/** What a measure counts, in words an officer recognises: the header of the field it reads. */
function measureLabel(form: Form, measure: string): Bilingual {
  const m = form.measures[measure]!;
  const { field, where } = measureFields(m);
  const f = field === null ? null : form.field(field);
  const w = where === null ? null : form.field(where);
  const whereVi = w ? ` có "${w.header}"` : '';
  const whereEn = w ? ` with "${w.en ?? w.key}"` : '';
  if ('sum' in m)
    return {
      vi: `Tổng "${f?.header ?? field}"${whereVi} (${measure})`,
      en: `The total of "${f?.en ?? field}"${whereEn} (${measure})`,
    };
  if ('count_yes' in m)
    return {
      vi: `Số dòng có "${f?.header ?? field}"${whereVi} (${measure})`,
      en: `The rows with "${f?.en ?? field}"${whereEn} (${measure})`,
    };
  const rowName = form.rowKeyField;
  return {
    vi: `Số dòng${rowName ? ` "${rowName.header}"` : ''}${whereVi} (${measure})`,
    en: `The rows${rowName ? ` ("${rowName.en ?? rowName.key}")` : ''}${whereEn} (${measure})`,
  };
}

const fmt = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1));

const compare = (a: number, op: Comparison, b: number) =>
  op === '<='
    ? a <= b
    : op === '<'
      ? a < b
      : op === '>='
        ? a >= b
        : op === '>'
          ? a > b
          : op === '='
            ? a === b
            : a !== b;
const flip: Record<Comparison, Comparison> = { '<=': '>=', '<': '>', '>=': '<=', '>': '<', '=': '=', '!=': '!=' };
const opVi: Record<Comparison, string> = {
  '<=': 'không lớn hơn',
  '<': 'nhỏ hơn',
  '>=': 'không nhỏ hơn',
  '>': 'lớn hơn',
  '=': 'bằng',
  '!=': 'khác',
};
const opEn: Record<Comparison, string> = {
  '<=': 'at most',
  '<': 'less than',
  '>=': 'at least',
  '>': 'more than',
  '=': 'equal to',
  '!=': 'different from',
};
