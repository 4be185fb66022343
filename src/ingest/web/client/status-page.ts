import './messages-status.ts';
import { api } from './api.ts';
import type { Status } from './api-types.ts';
import { t } from './boot.ts';
import { appRoot, failure, initChrome, markReady } from './chrome.ts';
import { fill, h } from './dom.ts';
import { fmtNumber, fmtPeriod, fmtTime } from './format.ts';
import { simpleTable } from './sortable-table.ts';
import { allStatuses, statusBadge } from './status-label.ts';

initChrome();
const root = appRoot();
const queueStates = ['waiting', 'active', 'delayed', 'failed', 'completed'] as const;

type Queue = Status['queues'][number];
type Rollup = Status['last_rollups'][number];
type Failed = Status['failed_jobs'][number];

function render(status: Status): void {
  fill(
    root,
    h('p', null, h('a', { href: '/admin/queues' }, t('st.dashboard'))),
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'queues-h' },
      h('h2', { id: 'queues-h' }, t('st.queues')),
      simpleTable<Queue>(
        t('st.queues'),
        [
          { key: 'name', label: t('st.queue'), rowHeader: true, cell: (q) => q.name },
          ...queueStates.map((s) => ({
            key: s,
            label: t(`st.${s}`),
            numeric: true,
            cell: (q: Queue) => fmtNumber((q as unknown as Record<string, number>)[s] ?? 0),
          })),
          { key: 'workers', label: t('st.workers'), numeric: true, cell: (q) => fmtNumber(q.workers) },
        ],
        status.queues,
        { stack: true },
      ),
      h(
        'dl',
        { class: 'facts' },
        h('dt', null, t('st.lag')),
        h('dd', { id: 'lag' }, t('st.lagValue', { seconds: Math.round(status.snapshot_lag_seconds) })),
        h('dt', null, t('st.pending')),
        h('dd', null, t('st.lagValue', { seconds: Math.round(status.oldest_pending_seconds) })),
        h('dt', null, t('st.submissions')),
        h(
          'dd',
          null,
          h(
            'ul',
            { class: 'inline-list' },
            allStatuses.map((s) =>
              h('li', null, statusBadge(s), ' ', fmtNumber((status.submissions as Record<string, number>)[s] ?? 0)),
            ),
          ),
        ),
      ),
    ),
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'rollups-h' },
      h('h2', { id: 'rollups-h' }, t('st.rollups')),
      simpleTable<Rollup>(
        t('st.rollups'),
        [
          { key: 'province', label: t('st.rollupProvince'), cell: (r) => r.province_code },
          { key: 'period', label: t('st.rollupPeriod'), cell: (r) => fmtPeriod(r.period) },
          {
            key: 'version',
            label: t('st.rollupVersion'),
            numeric: true,
            cell: (r) => r.snapshot_version ?? t('st.rollupUnchanged'),
          },
          { key: 'finished', label: t('st.rollupFinished'), cell: (r) => fmtTime(r.finished_at) },
          {
            key: 'duration',
            label: t('st.rollupDuration'),
            numeric: true,
            cell: (r) => fmtNumber(new Date(r.finished_at).getTime() - new Date(r.started_at).getTime()),
          },
        ],
        status.last_rollups,
        { stack: true },
      ),
    ),
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'failed-h' },
      h('h2', { id: 'failed-h' }, t('st.failedJobs')),
      status.failed_jobs.length === 0
        ? h('p', { class: 'ok' }, t('st.noFailed'))
        : simpleTable<Failed>(
            t('st.failedJobs'),
            [
              {
                key: 'job',
                label: t('st.job'),
                cell: (j) => h('code', null, `${j.queue} ${j.id ?? ''} ${JSON.stringify(j.data)}`),
              },
              { key: 'reason', label: t('st.reason'), cell: (j) => j.reason ?? '—' },
              { key: 'attempts', label: t('st.attempts'), numeric: true, cell: (j) => j.attempts },
              { key: 'at', label: t('st.failedAt'), cell: (j) => fmtTime(j.failed_at) },
            ],
            status.failed_jobs,
            { stack: true },
          ),
    ),
    h(
      'p',
      { class: 'muted' },
      t(paused ? 'st.pausedAt' : 'st.refreshed', { time: fmtTime(new Date().toISOString()) }),
      ' ',
      h('button', { type: 'button', id: 'refresh', onclick: () => void refresh() }, t('st.refresh')),
      ' ',
      h('button', { type: 'button', id: 'pause', 'aria-pressed': String(paused), onclick: togglePause }, t('st.pause')),
    ),
  );
}

/** Refreshing every 10 seconds, unless the operator paused it to read or copy. */
let paused = false;

function togglePause(): void {
  paused = !paused;
  void refresh();
}

/**
 * The page is drawn anew each time; whatever had the focus (a button, a link, a scrolling table)
 * gets it back, found by its id or else by its place among the focusable elements, rather than
 * dropping it to <body> every 10 seconds.
 */
function keepingFocus(draw: () => void): void {
  const focusable = () => [...root.querySelectorAll<HTMLElement>('a[href], button, [tabindex]')];
  const active =
    document.activeElement instanceof HTMLElement && root.contains(document.activeElement)
      ? document.activeElement
      : null;
  const index = active ? focusable().indexOf(active) : -1;
  draw();
  if (!active) return;
  const again = (active.id ? document.getElementById(active.id) : null) ?? focusable()[index];
  again?.focus({ preventScroll: true });
}

async function refresh(): Promise<void> {
  try {
    const status = await api<Status>('/v1/status');
    keepingFocus(() => render(status));
  } catch (error) {
    keepingFocus(() =>
      fill(
        root,
        failure(error, () => void refresh()),
      ),
    );
  }
}

await refresh();
markReady();
setInterval(() => {
  if (!paused) void refresh();
}, 10_000);
