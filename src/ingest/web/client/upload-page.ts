import './messages-upload.ts';
import { ApiError, api, errorText, postFiles, query } from './api.ts';
import { clockTime, retrying, type Wait } from './retry.ts';
import type { Refused, Stored, SubmissionState, Validated } from './api-types.ts';
import { boot, formName, pick, t, unitName } from './boot.ts';
import { appRoot, initChrome, markReady } from './chrome.ts';
import { fill, h } from './dom.ts';
import { fmtBytes, fmtPeriod } from './format.ts';
import { issueTable } from './issue-table.ts';
import type { Issue } from '../../../schema/issue.ts';
import { statusBadge, terminalStatuses } from './status-label.ts';

initChrome();
const user = boot.user!;
const params = new URLSearchParams(location.search);
/** A commune officer always sends for their commune; naming it also files an unreadable upload under it. */
const ownCommune = user.level === 'commune' ? user.code : null;

const input = h('input', {
  type: 'file',
  id: 'files',
  name: 'file',
  multiple: true,
  accept: '.xlsx,.xls,.ods,.csv,.json,.txt,.zip',
  class: 'visually-hidden',
  'aria-describedby': 'drop-hint',
});
const chosen = h('ul', { class: 'chosen', 'aria-live': 'polite' });
const drop = h(
  'div',
  { class: 'drop' },
  input,
  h(
    'label',
    { for: 'files' },
    h('span', { class: 'drop-icon', 'aria-hidden': 'true' }, '⇪'),
    h('strong', null, t('upload.drop')),
    h('span', { id: 'drop-hint', class: 'hint' }, t('upload.dropHint')),
  ),
);
// A link from the due table names the form and period to send (submissions-page.ts): chosen already.
const askedForm = params.get('form');
const askedPeriod = params.get('period');
const formSelect = h(
  'select',
  { id: 'form', name: 'form' },
  h('option', { value: '' }, t('upload.formAuto')),
  boot.forms.map((f) => h('option', { value: f.code, selected: f.code === askedForm }, formName(f.code))),
);
const periods = askedPeriod && !boot.quarters.includes(askedPeriod) ? [askedPeriod, ...boot.quarters] : boot.quarters;
const periodSelect = h(
  'select',
  { id: 'period', name: 'period' },
  h('option', { value: '' }, t('upload.periodAuto')),
  periods.map((p) => h('option', { value: p, selected: p === askedPeriod }, fmtPeriod(p))),
);
const communeInput = ownCommune
  ? null
  : h('input', {
      id: 'commune',
      name: 'commune',
      inputmode: 'numeric',
      pattern: '[0-9]{5}',
      maxlength: 5,
      value: params.get('commune') ?? '',
      'aria-describedby': 'commune-hint',
    });
const notice = h('p', { class: 'notice error', role: 'alert', hidden: true });
const checkButton = h('button', { type: 'button', id: 'check' }, t('upload.check'));
const sendButton = h('button', { type: 'submit', id: 'send', class: 'primary' }, t('upload.send'));
const results = h('ol', { class: 'results', id: 'results' });
const resultsEmpty = h('p', { class: 'muted' }, t('upload.resultsEmpty'));
const resultsHeading = h('h2', { id: 'results-h', tabindex: -1 }, t('upload.results'));

function showChosen(): void {
  const files = [...(input.files ?? [])];
  fill(
    chosen,
    files.length === 0
      ? h('li', { class: 'muted' }, t('upload.none'))
      : files.map((f) => h('li', null, f.name, ' ', h('span', { class: 'muted' }, `(${fmtBytes(f.size)})`))),
  );
}

/**
 * One file's card: its upload progress, then its status until decided, then every problem. A ZIP
 * archive's card holds a card for each file in it; a file of it that is not taken shows why.
 */
function fileCard(name: string, size: number | null, list: HTMLElement = results) {
  const progress = h('progress', { max: 100, value: 0, 'aria-label': t('upload.progress', { file: name }) });
  const state = h('p', { class: 'state', role: 'status' }, t('upload.uploading', { pct: 0 }));
  const detail = h('div', { class: 'detail' });
  const card = h(
    'li',
    { class: 'file-card', 'data-file': name },
    h('h3', null, name, ' ', size === null ? null : h('span', { class: 'muted' }, `(${fmtBytes(size)})`)),
    progress,
    state,
    detail,
  );
  list.append(card);
  const file = { name };
  const meta = (form: string | null, commune: string | null, communeName: string | null, period: string | null) =>
    form || commune || period
      ? h(
          'p',
          { class: 'muted' },
          t('upload.meta', {
            form: form ? formName(form) : `${t('upload.form')}: ${t('upload.unknown')}`,
            commune: commune ? unitName(commune, communeName) : `${t('upload.commune')}: ${t('upload.unknown')}`,
            period: period ? fmtPeriod(period) : `${t('upload.period')}: ${t('upload.unknown')}`,
          }),
        )
      : null;
  const problems = (issues: readonly Issue[]) => (issues.length > 0 ? issueTable(file.name, issues) : null);
  return {
    progress(fraction: number) {
      if (card.dataset.state === 'waiting') {
        delete card.dataset.state;
        detail.replaceChildren();
      }
      const pct = Math.round(fraction * 100);
      progress.value = pct;
      state.textContent = t('upload.uploading', { pct });
    },
    /** The file was not received (offline, 503): when it goes again by itself, and a button to send it now. */
    waiting(wait: Wait, now: () => void) {
      card.dataset.state = 'waiting';
      const text = wait.offline
        ? t('upload.waitingOffline', { n: wait.attempt })
        : t('upload.waitingUnavailable', {
            s: Math.round(wait.delayMs / 1000),
            time: clockTime(wait.nextAt),
            n: wait.attempt,
          });
      fill(state, text);
      fill(detail, h('button', { type: 'button', class: 'retry-now', onclick: now }, t('upload.retryNow')));
    },
    checking() {
      progress.value = 100;
      state.textContent = t('upload.checking');
    },
    validated(r: Validated['results'][number]) {
      card.dataset.state = r.valid ? 'valid' : 'invalid';
      progress.hidden = true;
      fill(
        state,
        r.valid
          ? t('upload.valid', {
              rows: r.rows ?? 0,
              form: r.form ? formName(r.form) : '?',
              commune: r.commune ? unitName(r.commune, r.commune_name) : '?',
              period: fmtPeriod(r.period),
            })
          : t('upload.invalid', { n: r.issues.length }),
      );
      fill(detail, h('p', { class: 'muted' }, t('upload.checkOnly')), problems(r.issues));
    },
    status(s: SubmissionState) {
      card.dataset.state = s.status;
      progress.hidden = true;
      const text =
        s.status === 'accepted'
          ? t('status.accepted', { version: s.version ?? '?' })
          : s.status === 'rejected'
            ? t('status.rejected', { n: s.errors.length })
            : t(`status.${s.status}`);
      // A decided file: the badge says the status, the text what follows from it (never the status twice).
      if (terminalStatuses.includes(s.status)) fill(state, statusBadge(s.status), ' ', text);
      else fill(state, text);
      const history = s.commune
        ? h('a', { href: `/submissions${query({ commune: s.commune })}` }, t('upload.history'))
        : null;
      fill(
        detail,
        meta(s.form, s.commune, s.commune_name, s.period),
        problems(s.errors),
        terminalStatuses.includes(s.status) ? history : null,
      );
    },
    failed(error: unknown) {
      card.dataset.state = 'failed';
      progress.hidden = true;
      fill(state, t('upload.failed', { message: errorText(error) }));
      // A 400 on the request fields carries the same issues a rejected file does; a request none
      // of whose files is taken names each of them and why.
      const details =
        error instanceof ApiError && Array.isArray(error.details)
          ? (error.details as (Issue | Refused)[]).filter((d) => d && typeof d === 'object' && 'message' in d)
          : [];
      const refused = details.filter((d): d is Refused => 'filename' in d);
      const [only] = refused;
      if (only && refused.length === 1 && only.filename === name) {
        fill(state, t('upload.refused', { message: pick(only.message) }));
        fill(detail);
      } else
        fill(
          detail,
          refused.length > 0
            ? h(
                'ul',
                { class: 'refused' },
                refused.map((r) => h('li', null, pick(r.message))),
              )
            : problems(details as Issue[]),
        );
    },
    refused(r: Refused) {
      card.dataset.state = 'failed';
      progress.hidden = true;
      fill(state, t('upload.refused', { message: pick(r.message) }));
    },
    /** A file checked and kept by the server: "send this file" sends it by its check id, not its bytes again. */
    offerSend(send: () => void) {
      const click = () => {
        button.disabled = true;
        send();
      };
      const button = h(
        'button',
        { type: 'button', class: 'primary send-checked', onclick: click },
        t('upload.sendChecked'),
      );
      detail.append(h('p', { class: 'actions' }, button));
    },
    /** Several outcomes for one file sent: a card inside for each. */
    many(taken: number, refused: number): HTMLElement {
      card.dataset.state = refused > 0 ? 'partial' : 'many';
      progress.hidden = true;
      fill(state, t('upload.many', { n: taken, refused }));
      const inner = h('ol', { class: 'results' });
      fill(detail, inner);
      return inner;
    },
  };
}

/** The outcome of one file sent: itself, or each file of its archive, and each refused by name. */
function showStored(card: ReturnType<typeof fileCard>, r: Stored, following: Promise<void>[]): void {
  const [only] = r.submissions;
  if (only && r.submissions.length === 1 && r.refused.length === 0 && !only.archive) {
    card.status({
      id: only.id,
      status: 'queued',
      form: null,
      commune: null,
      commune_name: null,
      period: null,
      version: null,
      errors: [],
      filename: only.filename,
    });
    following.push(follow(card, only.id).catch((error: unknown) => card.failed(error)));
    return;
  }
  const inner = card.many(r.submissions.length, r.refused.length);
  for (const s of r.submissions) {
    const sub = fileCard(s.filename ?? String(s.id), null, inner);
    sub.status({
      id: s.id,
      status: 'queued',
      form: null,
      commune: null,
      commune_name: null,
      period: null,
      version: null,
      errors: [],
      filename: s.filename,
    });
    following.push(follow(sub, s.id).catch((error: unknown) => sub.failed(error)));
  }
  for (const refused of r.refused) fileCard(refused.filename ?? '?', null, inner).refused(refused);
}

function showValidated(card: ReturnType<typeof fileCard>, r: Validated): void {
  const [only] = r.results;
  if (only && r.results.length === 1 && r.refused.length === 0 && !only.archive) {
    card.validated(only);
    return;
  }
  const inner = card.many(r.results.length, r.refused.length);
  for (const result of r.results) fileCard(result.filename ?? '?', null, inner).validated(result);
  for (const refused of r.refused) fileCard(refused.filename ?? '?', null, inner).refused(refused);
}

/** The request's fields, and the file itself or, once checked and kept by the server, its check id. */
function formData(file: File | { check: string }): FormData {
  const data = new FormData();
  const commune = ownCommune ?? communeInput?.value.trim() ?? '';
  if (commune) data.append('commune', commune);
  if (formSelect.value) data.append('form', formSelect.value);
  if (periodSelect.value) data.append('period', periodSelect.value);
  if (file instanceof File) data.append('file', file, file.name);
  else data.append('check', file.check);
  return data;
}

/** One key per file and click of "send", kept through its retries; random, as no two sends may share one. */
function idempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `web-${[...bytes].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls the status until the worker decides, quickly at first (most files take a second), then less often. */
async function follow(card: ReturnType<typeof fileCard>, id: number): Promise<void> {
  let delay = 600;
  for (;;) {
    const s = await api<SubmissionState>(`/v1/submissions/${id}`);
    card.status(s);
    if (terminalStatuses.includes(s.status)) return;
    await sleep(delay);
    delay = Math.min(3000, delay * 1.4);
  }
}

/**
 * Sends one file, by its check id when it has one (nothing but the fields goes over the link), else
 * its bytes; a check the server no longer keeps (410) sends the bytes after all. Tried again through
 * an outage with the same Idempotency-Key: one submission however many tries.
 */
async function send(
  file: File,
  card: ReturnType<typeof fileCard>,
  following: Promise<void>[],
  check: string | null,
): Promise<void> {
  const key = idempotencyKey();
  const waiting = (wait: Wait, now: () => void) => card.waiting(wait, now);
  const post = (body: File | { check: string }) =>
    retrying(
      () => postFiles<Stored>('/v1/submissions', formData(body), (f) => card.progress(f), { 'idempotency-key': key }),
      waiting,
    );
  let stored: Stored;
  try {
    stored = await post(check ? { check } : file);
  } catch (error) {
    if (!(check && error instanceof ApiError && error.code === 'TONGHOP_ERR_CHECK_GONE')) throw error;
    stored = await post(file);
  }
  showStored(card, stored, following);
}

/** Files go one after another, so on a slow link the first is decided while the next uploads. */
async function run(kind: 'check' | 'send'): Promise<void> {
  const files = [...(input.files ?? [])];
  notice.hidden = true;
  if (files.length === 0) {
    notice.textContent = t('upload.pickFirst');
    notice.hidden = false;
    input.focus();
    return;
  }
  resultsEmpty.remove();
  results.replaceChildren();
  // A disabled button drops the focus to <body>: the keyboard and the screen reader go to the results instead.
  resultsHeading.focus();
  checkButton.disabled = sendButton.disabled = true;
  const following: Promise<void>[] = [];
  try {
    for (const file of files) {
      const card = fileCard(file.name, file.size);
      try {
        // Sent again by itself through an outage (retry.ts), with the same Idempotency-Key: one submission however many tries.
        const waiting = (wait: Wait, now: () => void) => card.waiting(wait, now);
        if (kind === 'check') {
          const validated = await retrying(
            () =>
              postFiles<Validated>('/v1/validate', formData(file), (f) => (f < 1 ? card.progress(f) : card.checking())),
            waiting,
          );
          showValidated(card, validated);
          const kept = validated.checked?.[0];
          if (validated.results.some((r) => r.valid)) {
            card.offerSend(() => {
              const sent: Promise<void>[] = [];
              send(file, card, sent, kept?.check ?? null)
                .then(() => Promise.all(sent))
                .catch((error: unknown) => card.failed(error));
            });
          }
        } else {
          await send(file, card, following, null);
        }
      } catch (error) {
        card.failed(error);
      }
    }
  } finally {
    checkButton.disabled = sendButton.disabled = false;
  }
  await Promise.all(following);
}

const form = h(
  'form',
  { class: 'card', id: 'upload-form' },
  h('h2', null, t('upload.choose')),
  drop,
  chosen,
  h(
    'details',
    { class: 'options', open: !ownCommune || undefined },
    h('summary', null, t('upload.options')),
    h(
      'div',
      { class: 'grid' },
      h('div', { class: 'field' }, h('label', { for: 'form' }, t('upload.form')), formSelect),
      h('div', { class: 'field' }, h('label', { for: 'period' }, t('upload.period')), periodSelect),
      communeInput
        ? h(
            'div',
            { class: 'field' },
            h('label', { for: 'commune' }, t('upload.commune')),
            communeInput,
            h('span', { id: 'commune-hint', class: 'hint' }, t('upload.communeHint')),
          )
        : h('p', { class: 'field' }, t('upload.yourCommune', { name: user.scopeName ?? user.code ?? '' })),
    ),
  ),
  notice,
  h('div', { class: 'actions' }, checkButton, sendButton),
);
form.addEventListener('submit', (event) => {
  event.preventDefault();
  void run('send');
});
checkButton.addEventListener('click', () => void run('check'));
input.addEventListener('change', showChosen);
for (const type of ['dragenter', 'dragover'] as const) {
  drop.addEventListener(type, (event) => {
    event.preventDefault();
    drop.classList.add('over');
  });
}
drop.addEventListener('dragleave', () => drop.classList.remove('over'));
drop.addEventListener('drop', (event) => {
  event.preventDefault();
  drop.classList.remove('over');
  if (event.dataTransfer?.files.length) {
    input.files = event.dataTransfer.files;
    showChosen();
  }
});

fill(
  appRoot(),
  form,
  h('section', { class: 'card', 'aria-labelledby': 'results-h' }, resultsHeading, resultsEmpty, results),
  h(
    'section',
    { class: 'card', 'aria-labelledby': 'templates-h' },
    h('h2', { id: 'templates-h' }, t('upload.templates')),
    h(
      'ul',
      { class: 'links' },
      boot.forms.map((f) =>
        h(
          'li',
          null,
          h(
            'a',
            { href: `/v1/forms/${encodeURIComponent(f.code)}/template.xlsx`, download: '' },
            t('upload.template', { code: f.code, title: pick(f.title) }),
          ),
        ),
      ),
    ),
    ownCommune || params.get('commune')
      ? h(
          'p',
          null,
          h(
            'a',
            { href: `/submissions${query({ commune: ownCommune ?? params.get('commune') })}` },
            t('upload.history'),
          ),
        )
      : null,
  ),
);
showChosen();
markReady();
