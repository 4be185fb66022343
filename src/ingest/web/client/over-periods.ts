import { pct, unitText } from './approver-format.ts';
import type { CommuneRate, Rates } from './approver-types.ts';
import { t as ta } from './boot.ts';
import { card } from './card.ts';
import { h, type Child } from './dom.ts';
import { fmtPeriod } from './format.ts';
import { simpleTable, sortableTable } from './sortable-table.ts';

/** The approver's "over periods": the province's rates period by period, and each commune's report in each period side by side. */
export function overPeriods(history: readonly (Rates | null)[], current: Rates): HTMLElement {
  const shown = history.filter((r): r is Rates => r !== null);
  const byPeriod = new Map(shown.map((r) => [r.period, new Map(r.communes.map((c) => [c.unit_code, c]))]));
  const cell = (c: CommuneRate | undefined): Child => {
    if (!c) return '';
    if (c.actual_reports === 0) return h('span', { class: 'missing' }, ta('ap.cellNone'));
    if (c.actual_reports_on_time === 1) return h('span', { class: 'ok' }, ta('ap.cellOnTime'));
    return h('span', { class: 'warn-text' }, ta('ap.cellLate', { days: c.days_late ?? '?' }));
  };
  return card(
    'periods',
    ta('ap.overPeriods'),
    simpleTable<Rates>(
      ta('ap.periodsCaption'),
      [
        { key: 'period', label: ta('ap.period'), rowHeader: true, cell: (r) => fmtPeriod(r.period) },
        { key: 'expected', label: ta('ap.expected'), numeric: true, cell: (r) => r.expected_reports },
        { key: 'actual', label: ta('ap.actual'), numeric: true, cell: (r) => r.actual_reports },
        { key: 'onTime', label: ta('ap.onTime'), numeric: true, cell: (r) => r.actual_reports_on_time },
        { key: 'rate', label: ta('ap.rate'), numeric: true, cell: (r) => pct(r.reporting_rate) },
        { key: 'rateOnTime', label: ta('ap.rateOnTime'), numeric: true, cell: (r) => pct(r.reporting_rate_on_time) },
      ],
      shown,
      { id: 'periods', stack: true },
    ),
    sortableTable<CommuneRate>({
      caption: ta('ap.matrixCaption'),
      id: 'matrix',
      stack: true,
      columns: [
        {
          key: 'commune',
          label: ta('ap.commune'),
          rowHeader: true,
          sortValue: (c) => c.unit_name,
          cell: (c) => unitText({ code: c.unit_code, name: c.unit_name }),
        },
        ...[...shown].reverse().map((r) => ({
          key: r.period,
          label: fmtPeriod(r.period),
          cell: (c: CommuneRate) => cell(byPeriod.get(r.period)?.get(c.unit_code)),
        })),
      ],
      rows: current.communes,
    }),
  );
}
