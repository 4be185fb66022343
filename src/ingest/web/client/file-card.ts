import type { Issue } from '../../../schema/issue.ts';
import { ApiError, errorText, query } from './api.ts';
import type { Refused, SubmissionState, Validated } from './api-types.ts';
import { formName, pick, t, unitName } from './boot.ts';
import { fill, h } from './dom.ts';
import { fmtBytes, fmtPeriod } from './format.ts';
import { issueTable } from './issue-table.ts';
import { clockTime, type Wait } from './retry.ts';
import { statusBadge, terminalStatuses } from './status-label.ts';

/**
 * One file's card: its upload progress, then its status until decided, then every problem. A ZIP
 * archive's card holds a card for each file in it; a file of it that is not taken shows why.
 */
export function fileCard(name: string, size: number | null, list: HTMLElement) {
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

/** One file's card on the upload page, as fileCard draws it. */
export type FileCard = ReturnType<typeof fileCard>;
