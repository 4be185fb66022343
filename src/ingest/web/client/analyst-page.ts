import './messages-analyst.ts';
import './messages-lineage.ts';
import { api, query } from './api.ts';
import type { PeriodList, Reporting, SnapshotRow } from './api-types.ts';
import { barChart } from './bar-chart.ts';
import { boot, formName, formTitle, indicatorInfo, lang, pick, t, unitName } from './boot.ts';
import { appRoot, failure, initChrome, markReady } from './chrome.ts';
import { fill, h } from './dom.ts';
import { fmtNumber, fmtPeriod, fmtTime, fmtValue } from './format.ts';
import { lineChart } from './line-chart.ts';
import { sortableTable, type Column } from './sortable-table.ts';

initChrome();
const user = boot.user!;
const root = appRoot();
const params = new URLSearchParams(location.search);
const allIndicators = boot.forms.flatMap((f) => f.indicators);
const indicator = params.get('indicator') ?? allIndicators.find((i) => i.rate)?.code ?? allIndicators[0]!.code;
const info = indicatorInfo(indicator) ?? { name: indicator, rate: false, form: '' };
const asOf = params.get('as_of');

const vietnamClock = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Asia/Ho_Chi_Minh',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/**
 * The as-of instant as two plain text fields, day/month/year and hours:minutes in Vietnam time:
 * a datetime-local input follows the browser's locale (`12/06/2026, 09:30 AM` for 6 December in
 * an American Chromium), which a Vietnamese analyst reads as 12 June.
 */
function asOfFields(iso: string | null): { date: string; time: string } {
  const d = iso ? new Date(iso) : null;
  if (!d || Number.isNaN(d.getTime())) return { date: '', time: '' };
  const p = Object.fromEntries(vietnamClock.formatToParts(d).map((x) => [x.type, x.value]));
  return { date: `${p.day}/${p.month}/${p.year}`, time: `${p.hour}:${p.minute}` };
}

const datePattern = String.raw`(\d{1,2})/(\d{1,2})/(\d{4})`;
const timePattern = String.raw`([01]?\d|2[0-3]):([0-5]\d)`;

/** The instant the fields name, in Vietnam (UTC+7, no daylight saving); null for a day that does not exist. */
function asOfInstant(date: string, time: string): string | null {
  const d = new RegExp(`^${datePattern}$`, 'u').exec(date.trim());
  const t = new RegExp(`^${timePattern}$`, 'u').exec(time.trim() || '23:59');
  if (!d || !t) return null;
  const [day, month, year] = [Number(d[1]), Number(d[2]), Number(d[3])];
  const utc = Date.UTC(year, month - 1, day, Number(t[1]) - 7, Number(t[2]));
  const check = new Date(utc + 7 * 3_600_000);
  return check.getUTCDate() === day && check.getUTCMonth() === month - 1 ? new Date(utc).toISOString() : null;
}

function controls(list: PeriodList, province: string, period: string): HTMLElement {
  const names = new Map(list.provinces.map((p) => [p.code, p.name]));
  const provinces = [...new Set([...list.provinces.map((p) => p.code), province])];
  // The periods with figures, those due or being collected (no figure yet, but who has not reported),
  // and the one on the page whatever it is: the picker shows what the page shows, and "Xem" keeps it.
  const withFigures = new Set(list.periods.filter((p) => p.province_code === province).map((p) => p.period));
  const choices = [...new Set([...withFigures, ...list.due, period])].sort().reverse();
  const periodSelect = h(
    'select',
    { id: 'period', name: 'period' },
    choices.map((p) =>
      h(
        'option',
        { value: p, selected: p === period },
        withFigures.has(p) ? fmtPeriod(p) : `${fmtPeriod(p)} — ${t('an.noFigures')}`,
      ),
    ),
  );
  const indicatorSelect = h(
    'select',
    { id: 'indicator', name: 'indicator' },
    boot.forms.map((f) =>
      h(
        'optgroup',
        { label: `${f.code} — ${pick(f.title)}` },
        f.indicators.map((i) => h('option', { value: i.code, selected: i.code === indicator }, pick(i.name))),
      ),
    ),
  );
  const shown = asOfFields(asOf);
  const asOfDate = h('input', {
    id: 'as-of',
    name: 'as_of_date',
    type: 'text',
    inputmode: 'numeric',
    autocomplete: 'off',
    pattern: datePattern,
    placeholder: t('an.datePlaceholder'),
    value: shown.date,
    size: 10,
    'aria-describedby': 'as-of-hint',
  });
  const asOfTime = h('input', {
    id: 'as-of-time',
    name: 'as_of_time',
    type: 'text',
    inputmode: 'numeric',
    autocomplete: 'off',
    pattern: timePattern,
    placeholder: '23:59',
    value: shown.time,
    size: 5,
    'aria-describedby': 'as-of-hint',
  });
  for (const [input, bad] of [
    [asOfDate, 'an.asOfDateBad'],
    [asOfTime, 'an.asOfTimeBad'],
  ] as const) {
    input.addEventListener('invalid', () => {
      if (input.validity.patternMismatch) input.setCustomValidity(t(bad));
    });
    input.addEventListener('input', () => input.setCustomValidity(''));
  }
  // An admin picks any province; a province analyst too, when earlier provinces were merged into theirs.
  const provinceSelect =
    provinces.length > 1 || user.level === 'admin'
      ? h(
          'select',
          { id: 'province', name: 'province' },
          provinces.map((p) => h('option', { value: p, selected: p === province }, unitName(p, names.get(p)))),
        )
      : null;
  const form = h(
    'form',
    { class: 'card controls', 'aria-label': t('an.controls') },
    provinceSelect
      ? h('div', { class: 'field' }, h('label', { for: 'province' }, t('an.province')), provinceSelect)
      : null,
    h('div', { class: 'field' }, h('label', { for: 'period' }, t('an.period')), periodSelect),
    h('div', { class: 'field' }, h('label', { for: 'indicator' }, t('an.indicator')), indicatorSelect),
    h(
      'fieldset',
      { class: 'field as-of' },
      h('legend', null, t('an.asOf')),
      h(
        'div',
        { class: 'pair' },
        h('label', { for: 'as-of' }, h('span', { class: 'hint' }, t('an.asOfDate')), asOfDate),
        h('label', { for: 'as-of-time' }, h('span', { class: 'hint' }, t('an.asOfTime')), asOfTime),
      ),
      h('span', { id: 'as-of-hint', class: 'hint' }, t('an.asOfHint')),
    ),
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'submit', class: 'primary' }, t('an.show')),
      asOf
        ? h(
            'a',
            {
              class: 'button',
              href: `/analyst${query({ period, indicator, province: provinceSelect ? province : null })}`,
            },
            t('an.now'),
          )
        : null,
    ),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const when = asOfDate.value.trim() ? asOfInstant(asOfDate.value, asOfTime.value) : null;
    if (asOfDate.value.trim() && !when) {
      asOfDate.setCustomValidity(t('an.asOfDateBad'));
      asOfDate.reportValidity();
      return;
    }
    location.assign(
      `/analyst${query({ province: provinceSelect?.value ?? null, period: periodSelect.value, indicator: indicatorSelect.value, as_of: when })}`,
    );
  });
  return form;
}

function lineageHref(row: SnapshotRow): string {
  return `/lineage${query({ level: row.level, unit: row.unit_code, period: row.period, indicator: row.indicator, as_of: asOf })}`;
}

/** The figure as a link to the files behind it (SPEC §4.7). */
function figureLink(row: SnapshotRow): HTMLElement {
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
function figureColumns(): Column<SnapshotRow>[] {
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

function missingTable(reporting: Reporting): HTMLElement {
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
  const knownProvince = params.get('province') ?? (user.level === 'province' ? user.code : null);
  const early = knownProvince && params.get('period') ? figuresOf(knownProvince, params.get('period')!) : null;
  early?.catch(() => undefined);
  const list = await api<PeriodList>('/v1/periods');
  const { periods } = list;
  const province = knownProvince ?? periods[0]?.province_code ?? list.provinces[0]?.code;
  const period = params.get('period') ?? periods.find((p) => p.province_code === province)?.period ?? list.due[0];
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
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'figures-h' },
      h('h2', { id: 'figures-h' }, `${info.name} · ${fmtPeriod(period)}`),
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
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'completeness-h' },
      h('h2', { id: 'completeness-h' }, t('an.completeness')),
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
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'charts-h' },
      h('h2', { id: 'charts-h' }, t('an.chart')),
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
load()
  .catch((error: unknown) =>
    fill(
      root,
      failure(error, () => location.reload()),
    ),
  )
  .finally(markReady);
