import type { Reporting } from './api-types.ts';
import { formTitle, t } from './boot.ts';
import { h } from './dom.ts';
import { fmtPeriod, fmtTime } from './format.ts';
import { sortableTable } from './sortable-table.ts';

/** The communes that have not sent every form of the period, with their district and their last report. */
export function missingTable(reporting: Reporting): HTMLElement {
  const districtName = new Map(reporting.districts.map((d) => [d.code, d.name]));
  const missing = reporting.communes
    .map((c) => ({
      ...c,
      forms: Object.entries(c.reports)
        .filter(([, r]) => r === null)
        .map(([form]) => form),
    }))
    .filter((c) => c.forms.length > 0);
  if (missing.length === 0) return h('p', { class: 'ok' }, t('an.allReported'));
  return sortableTable<(typeof missing)[number]>({
    caption: t('an.missingCaption', { period: fmtPeriod(reporting.period) }),
    id: 'missing',
    stack: true,
    columns: [
      {
        key: 'commune',
        label: t('lin.commune'),
        rowHeader: true,
        sortValue: (c) => c.name,
        cell: (c) => `${c.name} (${c.code})`,
      },
      ...(reporting.districts.length > 0
        ? [
            {
              key: 'district',
              label: t('an.district'),
              sortValue: (c: (typeof missing)[number]) => c.district_code,
              cell: (c: (typeof missing)[number]) => districtName.get(c.district_code ?? '') ?? c.district_code ?? '—',
            },
          ]
        : []),
      { key: 'forms', label: t('an.form'), cell: (c) => c.forms.map(formTitle).join(', ') },
      {
        key: 'last',
        label: t('an.lastReport'),
        sortValue: (c) => c.last_report?.received_at ?? null,
        cell: (c) =>
          c.last_report
            ? t('an.lastReportOf', {
                period: fmtPeriod(c.last_report.period),
                form: c.last_report.form ? formTitle(c.last_report.form) : '',
                time: fmtTime(c.last_report.received_at),
              })
            : h('strong', null, t('an.never')),
      },
    ],
    rows: missing,
  });
}
