import { approvalButtons, approvalOf, approvalState, reportCell, type Unit } from './approval-cells.ts';
import { unitText } from './approver-format.ts';
import { qualityCell, qualitySummary, type Warnings } from './approver-quality.ts';
import type { Approval, CommuneRate, Rates } from './approver-types.ts';
import { t as ta } from './boot.ts';
import { card } from './card.ts';
import { fmtPeriod } from './format.ts';
import { simpleTable, sortableTable, type Column } from './sortable-table.ts';

/** The districts' and the province's approvals, under the period's quality warnings summed up. */
export function upperApprovals(
  rates: Rates,
  approvals: readonly Approval[],
  warnings: Warnings,
  period: string,
): HTMLElement {
  const districts: Unit[] = rates.below
    .filter((b) => b.level === 'district')
    .map((b) => ({ level: 'district', code: b.unit_code, name: b.unit_name }));
  const units: Unit[] = [...districts, { level: 'province', code: rates.unit_code, name: rates.unit_name }];
  return card(
    'upper',
    ta('ap.approvalsOf'),
    qualitySummary(warnings, period),
    simpleTable<Unit>(
      ta('ap.upperCaption'),
      [
        { key: 'unit', label: ta('ap.unit'), rowHeader: true, cell: (u) => unitText(u) },
        { key: 'state', label: ta('ap.state'), cell: (u) => approvalState(approvalOf(approvals, u)) },
        {
          key: 'actions',
          label: ta('ap.actions'),
          cell: (u) => approvalButtons(period, u, approvalOf(approvals, u), true),
        },
      ],
      units,
      { stack: true, id: 'upper' },
    ),
  );
}

/** Each commune's report, quality warnings and approval, sortable by any of them. */
export function communeTable(
  rates: Rates,
  approvals: readonly Approval[],
  warnings: Warnings,
  period: string,
): HTMLElement {
  const districtName = new Map(
    rates.below.filter((b) => b.level === 'district').map((b) => [b.unit_code, b.unit_name]),
  );
  const unit = (c: CommuneRate): Unit => ({ level: 'commune', code: c.unit_code, name: c.unit_name });
  const columns: Column<CommuneRate>[] = [
    {
      key: 'commune',
      label: ta('ap.commune'),
      rowHeader: true,
      sortValue: (c) => c.unit_name,
      cell: (c) => unitText(unit(c)),
    },
    ...(districtName.size > 0
      ? [
          {
            key: 'district',
            label: ta('ap.district'),
            hideOnPhone: true,
            sortValue: (c: CommuneRate) => districtName.get(c.district_code ?? '') ?? null,
            cell: (c: CommuneRate) => districtName.get(c.district_code ?? '') ?? '—',
          },
        ]
      : []),
    {
      key: 'report',
      label: ta('ap.report'),
      sortValue: (c) => (c.actual_reports === 0 ? 2 : c.actual_reports_on_time === 1 ? 0 : 1),
      cell: reportCell,
    },
    {
      key: 'quality',
      label: ta('ap.quality'),
      sortValue: (c) => warnings.get(c.unit_code)?.length ?? 0,
      cell: (c) => qualityCell(c, warnings, period),
    },
    {
      key: 'state',
      label: ta('ap.state'),
      sortValue: (c) => approvalOf(approvals, unit(c))?.kind ?? null,
      cell: (c) => approvalState(approvalOf(approvals, unit(c))),
    },
    {
      key: 'actions',
      label: ta('ap.actions'),
      cell: (c) => approvalButtons(period, unit(c), approvalOf(approvals, unit(c)), c.actual_reports > 0),
    },
  ];
  return card(
    'communes',
    ta('ap.communes'),
    sortableTable({
      caption: ta('ap.communesCaption', { period: fmtPeriod(period) }),
      columns,
      rows: rates.communes,
      id: 'communes',
      stack: true,
      sort: { key: 'commune', dir: 'ascending' },
    }),
  );
}
