import './messages-analyst.ts';
import './messages-lineage.ts';
import { api, query } from './api.ts';
import type { Lineage } from './api-types.ts';
import { indicatorInfo, t } from './boot.ts';
import { appRoot, drawPage, initChrome, markReady } from './chrome.ts';
import { fill, h } from './dom.ts';
import { fmtBytes, fmtNumber, fmtPeriod, fmtTime, fmtValue } from './format.ts';
import { sortableTable } from './sortable-table.ts';
import { statusBadge } from './status-label.ts';

initChrome();
const root = appRoot();
const params = new URLSearchParams(location.search);
const asOf = params.get('as_of');

type Source = Lineage['sources'][number];

function fileLink(id: number, filename: string | null, bytes: number): HTMLElement {
  const name = filename ?? `#${id}`;
  return h(
    'a',
    { href: `/v1/submissions/${id}/file`, download: '', 'aria-label': t('lin.download', { file: name }) },
    name,
    h('span', { class: 'muted' }, ` (${fmtBytes(bytes)})`),
  );
}

async function load(): Promise<void> {
  const found = await api<Lineage>(
    `/v1/lineage${query({
      level: params.get('level'),
      unit: params.get('unit'),
      period: params.get('period'),
      indicator: params.get('indicator'),
      as_of: asOf,
    })}`,
  );
  const { figure } = found;
  const info = indicatorInfo(figure.indicator) ?? { name: figure.indicator, rate: false, form: '' };
  fill(
    root,
    h(
      'p',
      null,
      h(
        'a',
        { href: `/analyst${query({ period: figure.period, indicator: figure.indicator, as_of: asOf })}` },
        '← ',
        t('lin.back'),
      ),
    ),
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'figure-h' },
      h(
        'h2',
        { id: 'figure-h' },
        t('lin.figure', { indicator: info.name, unit: figure.unit_name, period: fmtPeriod(figure.period) }),
      ),
      h(
        'p',
        { class: 'big-figure', id: 'figure' },
        fmtValue(figure.value, info.rate),
        info.rate
          ? h('span', { class: 'muted' }, ` = ${fmtNumber(figure.numerator)} / ${fmtNumber(figure.denominator)}`)
          : null,
      ),
      h('p', null, t('lin.computed', { version: figure.snapshot_version, time: fmtTime(figure.computed_at) })),
      asOf ? h('p', { class: 'notice' }, t('an.asOfNote', { time: fmtTime(asOf) })) : null,
      h('p', null, t('lin.formula', { n: found.sources.length, form: found.form ?? '' })),
    ),
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'sources-h' },
      h('h2', { id: 'sources-h' }, t('lin.sources')),
      sortableTable<Source>({
        caption: t('lin.sourcesCaption'),
        id: 'sources',
        stack: true,
        sort: { key: 'commune', dir: 'ascending' },
        columns: [
          {
            key: 'commune',
            label: t('lin.commune'),
            rowHeader: true,
            sortValue: (s) => s.commune_name ?? s.commune_code,
            cell: (s) => `${s.commune_name ?? ''} (${s.commune_code})`,
          },
          {
            key: 'contribution',
            label: t('lin.contribution'),
            numeric: true,
            sortValue: (s) => s.value,
            cell: (s) =>
              info.rate ? `${fmtNumber(s.numerator)} / ${fmtNumber(s.denominator)}` : fmtNumber(s.numerator),
          },
          {
            key: 'version',
            label: t('lin.used'),
            numeric: true,
            sortValue: (s) => s.version,
            cell: (s) => s.version ?? '—',
          },
          {
            key: 'file',
            label: t('lin.file'),
            sortValue: (s) => s.filename,
            cell: (s) => fileLink(s.submission_id, s.filename, s.byte_size),
          },
          {
            key: 'received',
            label: t('lin.received'),
            sortValue: (s) => s.received_at,
            cell: (s) => fmtTime(s.received_at),
          },
          {
            key: 'versions',
            label: t('lin.versions'),
            cell: (s) =>
              h(
                'ul',
                { class: 'versions' },
                s.versions.map((v) =>
                  h(
                    'li',
                    { class: v.id === s.submission_id ? 'used' : null },
                    fileLink(v.id, `v${v.version}`, v.byte_size),
                    ' ',
                    statusBadge(v.status),
                    h('span', { class: 'muted' }, ` ${fmtTime(v.received_at)}`),
                  ),
                ),
              ),
          },
        ],
        rows: found.sources,
      }),
    ),
  );
}

drawPage(root, load).finally(markReady);
