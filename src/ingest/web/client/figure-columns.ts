import { asOf, info } from './analyst-state.ts';
import { query } from './api.ts';
import type { SnapshotRow } from './api-types.ts';
import { t } from './boot.ts';
import { h } from './dom.ts';
import { fmtNumber, fmtValue } from './format.ts';
import type { Column } from './sortable-table.ts';

function lineageHref(row: SnapshotRow): string {
  return `/lineage${query({ level: row.level, unit: row.unit_code, period: row.period, indicator: row.indicator, as_of: asOf })}`;
}

/** The figure as a link to the files behind it (SPEC §4.7). */
export function figureLink(row: SnapshotRow): HTMLElement {
  return h(
    'a',
    {
      href: lineageHref(row),
      'aria-label': `${fmtValue(row.value, info.rate)} — ${t('an.sourcesOf', { unit: row.unit_name })}`,
    },
    fmtValue(row.value, info.rate),
  );
}

/** The figure comes right after the unit's name, so on a phone it is on screen without scrolling sideways. */
export function figureColumns(): Column<SnapshotRow>[] {
  return [
    { key: 'code', label: t('an.code'), hideOnPhone: true, sortValue: (r) => r.unit_code, cell: (r) => r.unit_code },
    { key: 'unit', label: t('an.unit'), rowHeader: true, sortValue: (r) => r.unit_name, cell: (r) => r.unit_name },
    { key: 'value', label: t('an.value'), numeric: true, sortValue: (r) => r.value, cell: figureLink },
    {
      key: 'numerator',
      label: t('an.numerator'),
      numeric: true,
      sortValue: (r) => r.numerator,
      cell: (r) => fmtNumber(r.numerator),
    },
    ...(info.rate
      ? [
          {
            key: 'denominator',
            label: t('an.denominator'),
            numeric: true,
            sortValue: (r: SnapshotRow) => r.denominator,
            cell: (r: SnapshotRow) => fmtNumber(r.denominator),
          },
        ]
      : []),
    {
      key: 'reporting',
      label: t('an.reporting'),
      numeric: true,
      sortValue: (r) => r.communes_reporting / Math.max(1, r.communes_expected),
      cell: (r) =>
        `${r.communes_reporting}/${r.communes_expected}` +
        `${r.communes_covered < r.communes_reporting ? ` (${t('an.covered', { covered: r.communes_covered })})` : ''}`,
    },
  ];
}
