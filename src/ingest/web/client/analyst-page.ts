import './messages-analyst.ts';
import './messages-lineage.ts';
import { controls } from './analyst-controls.ts';
import { asOf, givenPeriod, givenProvince, indicator, info, user } from './analyst-state.ts';
import { api, query } from './api.ts';
import type { PeriodList, Reporting, SnapshotRow } from './api-types.ts';
import { barChart } from './bar-chart.ts';
import { formName, lang, t } from './boot.ts';
import { card } from './card.ts';
import { appRoot, drawPage, initChrome, markReady } from './chrome.ts';
import { fill, h } from './dom.ts';
import { figureColumns, figureLink } from './figure-columns.ts';
import { fmtNumber, fmtPeriod, fmtTime, fmtValue } from './format.ts';
import { lineChart } from './line-chart.ts';
import { missingTable } from './missing-table.ts';
import { sortableTable } from './sortable-table.ts';

/**
 * The province analyst's page (SPEC §5, web pages): an indicator's figures for the province, its
 * districts and communes in a period, as of an instant if asked, each figure linked to the files
 * behind it; who has not reported; the communes charted, and the province over periods; exports.
 */
initChrome();
const root = appRoot();

function figuresOf(province: string, period: string) {
  return Promise.all([
    api<{ snapshots: SnapshotRow[] }>(`/v1/snapshots${query({ province, period, indicator, as_of: asOf })}`),
    api<{ snapshots: SnapshotRow[] }>(
      `/v1/snapshots${query({ level: 'province', unit: province, indicator, as_of: asOf })}`,
    ),
    api<Reporting>(`/v1/reporting${query({ period, province })}`),
  ]);
}

async function load(): Promise<void> {
  // When the address names the period, the figures are asked for together with the periods: one round trip, not two, on a slow link.
  const knownProvince = givenProvince ?? (user.level === 'province' ? user.code : null);
  const early = knownProvince && givenPeriod ? figuresOf(knownProvince, givenPeriod) : null;
  early?.catch(() => undefined);
  const list = await api<PeriodList>('/v1/periods');
  const { periods } = list;
  const province = knownProvince ?? periods[0]?.province_code ?? list.provinces[0]?.code;
  const period = givenPeriod ?? periods.find((p) => p.province_code === province)?.period ?? list.due[0];
  if (!province || !period) {
    fill(root, h('p', { class: 'notice' }, t('an.noData')));
    return;
  }
  const [snapshot, series, reporting] = await (early ?? figuresOf(province, period));
  const rows = snapshot.snapshots;
  const provinceRow = rows.find((r) => r.level === 'province');
  const districts = rows.filter((r) => r.level === 'district');
  const communes = rows.filter((r) => r.level === 'commune');
  // What is shown, for a person's spreadsheet in the page's language; the raw data for software beside it.
  const exportHref = (format: string, view = 'table') =>
    `/v1/snapshots${query({ province, period, indicator, as_of: asOf, format, view, lang: view === 'table' ? lang : null })}`;
  const max = info.rate
    ? 1
    : Math.max(1, ...communes.map((c) => c.value ?? 0), ...series.snapshots.map((c) => c.value ?? 0));

  fill(
    root,
    controls(list, province, period),
    asOf ? h('p', { class: 'notice' }, t('an.asOfNote', { time: fmtTime(asOf) })) : null,
    card(
      'figures',
      `${info.name} · ${fmtPeriod(period)}`,
      provinceRow
        ? h(
            'p',
            { class: 'big-figure', id: 'province-figure' },
            h('span', { class: 'muted' }, `${t('an.provinceFigure')} (${provinceRow.unit_name}): `),
            figureLink(provinceRow),
            info.rate ? ` (${fmtNumber(provinceRow.numerator)}/${fmtNumber(provinceRow.denominator)})` : null,
          )
        : null,
      districts.length > 0
        ? [
            h('h3', null, t('an.districts')),
            sortableTable({
              caption: `${t('an.districts')} — ${info.name}`,
              columns: figureColumns(),
              rows: districts,
              id: 'districts',
            }),
          ]
        : null,
      h('h3', null, t('an.communes')),
      sortableTable({
        caption: `${t('an.communes')} — ${info.name}`,
        columns: figureColumns(),
        rows: communes,
        id: 'communes',
        sort: { key: 'code', dir: 'ascending' },
      }),
      h(
        'p',
        { class: 'exports' },
        `${t('an.export')}: `,
        h('a', { href: exportHref('csv'), download: '' }, t('an.csv')),
        ' · ',
        h('a', { href: exportHref('xlsx'), download: '' }, t('an.xlsx')),
        ' · ',
        h('a', { href: exportHref('csv', 'data'), download: '' }, t('an.csvData')),
      ),
    ),
    card(
      'completeness',
      t('an.completeness'),
      h(
        'ul',
        { class: 'links' },
        reporting.forms.map((f) =>
          h('li', null, t('an.formReported', { form: formName(f.form), reported: f.reported, expected: f.expected })),
        ),
      ),
      h('h3', null, t('an.missing')),
      missingTable(reporting),
    ),
    card(
      'charts',
      t('an.chart'),
      barChart({
        label: t('an.chartLabel', { indicator: info.name, period: fmtPeriod(period) }),
        max,
        bars: [...communes]
          .sort((a, b) => (b.value ?? -1) - (a.value ?? -1))
          .map((c) => ({ label: c.unit_name, value: c.value, text: fmtValue(c.value, info.rate) })),
      }),
      h('h2', null, t('an.series')),
      lineChart({
        label: t('an.seriesLabel', { indicator: info.name, unit: provinceRow?.unit_name ?? province }),
        max,
        // How many communes a period's figure stands on, so a quarter still coming in is not read as a jump.
        points: series.snapshots.map((r) => ({
          label: `${fmtPeriod(r.period)} (${r.communes_reporting}/${r.communes_expected})`,
          value: r.value,
          text: fmtValue(r.value, info.rate),
        })),
      }),
    ),
  );
}

fill(root, h('p', { class: 'muted' }, t('app.loading')));
drawPage(root, load).finally(markReady);
