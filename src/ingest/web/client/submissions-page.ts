import './messages-submissions.ts';
import { api, query } from './api.ts';
import type { Due, SubmissionList, SubmissionState } from './api-types.ts';
import { boot, formName, formTitle, t, unitName } from './boot.ts';
import { appRoot, drawPage, failure, initChrome, markReady } from './chrome.ts';
import { fill, h } from './dom.ts';
import { fmtBytes, fmtDay, fmtPeriod, fmtTime } from './format.ts';
import { issueTable } from './issue-table.ts';
import { nextDue } from './next-due.ts';
import { simpleTable } from './sortable-table.ts';
import { statusBadge } from './status-label.ts';

initChrome();
const user = boot.user!;
const params = new URLSearchParams(location.search);
const commune = params.get('commune') ?? (user.level === 'commune' ? user.code : null);
const root = appRoot();

type Sub = SubmissionList['submissions'][number];
type DueForm = Due['periods'][number]['forms'][number];

/** The reporting cycle beside a form's version (SPEC §7): on time or late, else the deadline and working days left; locked or approved. */
function cycleNote(slot: DueForm): string {
  const parts =
    slot.version !== null
      ? [
          slot.on_time === true
            ? t('due.onTime')
            : slot.on_time === false
              ? t('due.late', { days: slot.days_late ?? 0 })
              : null,
        ]
      : [
          t('due.deadline', { deadline: fmtDay(slot.deadline) }),
          slot.working_days_left >= 0
            ? t('due.daysLeft', { days: slot.working_days_left })
            : t('due.overdue', { days: -slot.working_days_left }),
        ];
  if (slot.approved) parts.push(t('due.approved', slot.approved));
  else if (slot.locked) parts.push(t('due.locked', slot.locked));
  return parts
    .filter((p) => p !== null)
    .map((p) => ` · ${p}`)
    .join('');
}

/** The upload page with this form and period chosen (upload-page.ts reads them), for the commune shown. */
function sendLink(slot: DueForm, period: string, again: boolean): HTMLElement {
  const href = `/upload${query({ form: slot.form, period, commune: user.level === 'commune' ? null : commune })}`;
  return h(
    'a',
    { class: again ? 'send-link' : 'send-link button', href },
    t(again ? 'subs.sendAgain' : 'subs.sendFor', { form: formTitle(slot.form), period: fmtPeriod(period) }),
  );
}

function dueTable(due: Due): HTMLElement {
  // The forms due in these periods: a yearly form has no column beside quarters unless a year is listed.
  const dueForms = new Set(due.periods.flatMap((p) => p.forms.map((x) => x.form)));
  return simpleTable<Due['periods'][number]>(
    t('subs.dueCaption'),
    [
      { key: 'period', label: t('subs.filterPeriod'), rowHeader: true, cell: (p) => fmtPeriod(p.period) },
      ...boot.forms
        .filter((f) => dueForms.has(f.code))
        .map((f) => ({
          key: f.code,
          label: formName(f.code),
          cell: (p: Due['periods'][number]) => {
            const slot = p.forms.find((x) => x.form === f.code);
            if (!slot) return '';
            // A period locked or approved takes no new version from the commune: no link to send one.
            const open = !slot.locked && !slot.approved;
            if (slot.version) {
              return h(
                'span',
                { class: 'ok' },
                '✓ ',
                t('subs.hasVersion', { version: slot.version }),
                h('span', { class: 'muted' }, ` · ${fmtTime(slot.received_at)}${cycleNote(slot)}`),
                open ? [' ', sendLink(slot, p.period, true)] : null,
              );
            }
            // Overdue is said in words (and marked), not by colour alone; what is not yet due is not red.
            const overdue = slot.working_days_left < 0;
            return h(
              'span',
              { class: overdue ? 'due overdue' : 'due' },
              h('strong', { class: overdue ? 'missing' : 'pending' }, t('subs.missing')),
              h('span', { class: 'muted' }, cycleNote(slot)),
              open ? [' ', sendLink(slot, p.period, false)] : null,
            );
          },
        })),
    ],
    due.periods,
    { stack: true },
  );
}

/** A version's problems, fetched when the person opens them. */
function errorsDisclosure(sub: Sub): HTMLElement | string {
  if (sub.error_count === 0) return '—';
  const box = h('div');
  const details = h('details', null, h('summary', null, t('subs.showErrors', { n: sub.error_count })), box);
  // Fetched once it opens; a request that fails in the end (api.ts has tried again meanwhile) says so, with a button to try again.
  let loaded: Promise<void> | null = null;
  const load = (): Promise<void> =>
    (loaded ??= api<SubmissionState>(`/v1/submissions/${sub.id}`)
      .then((state) => fill(box, issueTable(sub.filename ?? String(sub.id), state.errors)))
      .catch((error: unknown) => {
        loaded = null;
        fill(
          box,
          failure(error, () => void load()),
        );
      }));
  details.addEventListener('toggle', () => {
    if (details.open) void load();
  });
  return details;
}

/** A group's caption: its form by name and its period; what the file did not let us read, said in words. */
function groupLabel(period: string | null, form: string | null): string {
  if (!period && !form) return t('subs.unread');
  return t('subs.group', {
    period: period ? fmtPeriod(period) : t('subs.periodUnread'),
    form: form ? formName(form) : t('subs.formUnread'),
  });
}

function versionsTable(period: string | null, form: string | null, subs: readonly Sub[]): HTMLElement {
  return simpleTable<Sub>(
    groupLabel(period, form),
    [
      { key: 'version', label: t('subs.version'), numeric: true, cell: (s) => s.version ?? '—' },
      { key: 'status', label: t('subs.status'), cell: (s) => statusBadge(s.status) },
      { key: 'received', label: t('subs.received'), cell: (s) => fmtTime(s.received_at) },
      { key: 'finished', label: t('subs.finished'), cell: (s) => fmtTime(s.finished_at) },
      {
        key: 'file',
        label: t('subs.file'),
        cell: (s) =>
          h(
            'a',
            { href: `/v1/submissions/${s.id}/file`, download: '' },
            s.filename ?? `#${s.id}`,
            h('span', { class: 'muted' }, ` (${fmtBytes(s.byte_size)})`),
          ),
      },
      { key: 'errors', label: t('subs.errors'), cell: errorsDisclosure },
    ],
    subs,
    { stack: true },
  );
}

function groups(subs: readonly Sub[]): HTMLElement[] {
  const byKey = new Map<string, Sub[]>();
  for (const s of subs) {
    const key = `${s.period ?? ''}|${s.form ?? ''}`;
    byKey.set(key, [...(byKey.get(key) ?? []), s]);
  }
  return [...byKey.entries()]
    .sort(([a], [b]) => b.localeCompare(a))
    .map(([key, list]) => {
      const [period, form] = key.split('|');
      return versionsTable(period || null, form || null, list);
    });
}

function communePicker(): HTMLElement {
  const input = h('input', {
    id: 'commune',
    name: 'commune',
    inputmode: 'numeric',
    pattern: '[0-9]{5}',
    maxlength: 5,
    required: true,
    value: commune ?? '',
  });
  return h(
    'form',
    { class: 'card inline', method: 'get', action: '/submissions' },
    h('div', { class: 'field' }, h('label', { for: 'commune' }, t('subs.commune')), input),
    h('button', { type: 'submit' }, t('subs.show')),
  );
}

async function load(): Promise<void> {
  if (!commune) {
    fill(root, h('p', null, t('subs.pickCommune')), communePicker());
    return;
  }
  const period = params.get('period');
  const form = params.get('form');
  const [due, list] = await Promise.all([
    api<Due>(`/v1/due${query({ commune })}`),
    api<SubmissionList>(`/v1/submissions${query({ commune, period, form })}`),
  ]);
  const title =
    user.level === 'commune'
      ? (user.scopeName ?? unitName(commune, due.commune_name))
      : unitName(commune, due.commune_name);
  fill(
    root,
    user.level === 'commune' ? null : communePicker(),
    h(
      'p',
      { class: 'lead' },
      t('subs.title', { name: title }),
      ' · ',
      h('a', { href: `/upload${query({ commune: user.level === 'commune' ? null : commune })}` }, t('subs.upload')),
    ),
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'due-h' },
      h('h2', { id: 'due-h' }, t('subs.due')),
      nextDue(due),
      dueTable(due),
    ),
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'list-h' },
      h('h2', { id: 'list-h' }, t('subs.list')),
      list.submissions.length === 0 ? h('p', null, t('subs.none')) : groups(list.submissions),
    ),
  );
}

drawPage(root, load).finally(markReady);
