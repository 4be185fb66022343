import './messages-approver.ts';
import { api, ApiError, errorText, query } from './api.ts';
import type { Period } from './api-types.ts';
import type {
  Approval,
  AuditEntry,
  CommuneRate,
  LockException,
  LockState,
  QualityWarning,
  QualityWarnings,
  Rates,
} from './approver-types.ts';
import { boot, pick, t as ta } from './boot.ts';
import type { MessageKey } from './messages.ts';
import { appRoot, failure, initChrome, markReady } from './chrome.ts';
import { fill, h, type Child } from './dom.ts';
import { fmtPeriod, fmtTime } from './format.ts';
import { periodsUpTo } from './period-steps.ts';
import { askReason } from './reason-dialog.ts';
import { simpleTable, sortableTable, type Column } from './sortable-table.ts';

/**
 * The province approver's page (SPEC §7): reporting and on-time rates by commune and over
 * periods; approval from commune to province, with reasons; marking a commune missing; locking a
 * period; lock exceptions; the province's audit log; the data-quality warnings of the period
 * (SPEC §8), shown beside each commune and summed up above the approvals, so that they are seen
 * before approving. Every action goes through the /v1 API, which checks the role and the province
 * again; its refusals are shown as it gives them.
 */
initChrome();
const user = boot.user!;
const root = appRoot();
const params = new URLSearchParams(location.search);
const form = params.get('form') ?? boot.forms[0]?.code ?? '';
const province = user.level === 'province' ? user.code! : (params.get('province') ?? '');
/** Periods shown side by side in "over periods". */
const periodsShown = 4;
const auditPage = 50;

type Level = 'commune' | 'district' | 'province';
type Unit = { level: Level; code: string; name: string };
type Notice = { ok: string } | { error: unknown } | null;
/** The period's data-quality warnings, by commune code. */
type Warnings = ReadonlyMap<string, readonly QualityWarning[]>;

let notice: Notice = null;
let auditEntries: AuditEntry[] = [];
let auditMore = false;

const unitText = (u: { code: string; name: string }) => `${u.name} (${u.code})`;
const pct = (n: number | null) =>
  n === null
    ? '—'
    : `${n.toLocaleString(boot.lang === 'vi' ? 'vi-VN' : 'en-GB', { minimumFractionDigits: 1, maximumFractionDigits: 1 })}%`;

function controls(periods: readonly string[], period: string | null): HTMLElement {
  const formSelect = h(
    'select',
    { id: 'form', name: 'form' },
    boot.forms.map((f) => h('option', { value: f.code, selected: f.code === form }, `${f.code} — ${pick(f.title)}`)),
  );
  const periodInput = h('input', {
    id: 'period',
    name: 'period',
    list: 'period-list',
    value: period ?? '',
    required: true,
    'aria-describedby': 'period-hint',
    autocomplete: 'off',
  });
  const provinceInput =
    user.level === 'admin'
      ? h('input', {
          id: 'province',
          name: 'province',
          inputmode: 'numeric',
          pattern: '[0-9]{2}',
          maxlength: 2,
          required: true,
          value: province,
        })
      : null;
  const el = h(
    'form',
    { class: 'card controls', 'aria-label': ta('ap.controls') },
    h('div', { class: 'field' }, h('label', { for: 'form' }, ta('ap.form')), formSelect),
    h(
      'div',
      { class: 'field' },
      h('label', { for: 'period' }, ta('ap.period')),
      periodInput,
      h(
        'datalist',
        { id: 'period-list' },
        periods.map((p) => h('option', { value: p }, fmtPeriod(p))),
      ),
      h('span', { id: 'period-hint', class: 'hint' }, ta('ap.periodHint')),
    ),
    provinceInput
      ? h('div', { class: 'field' }, h('label', { for: 'province' }, ta('ap.province')), provinceInput)
      : null,
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, ta('ap.show'))),
  );
  el.addEventListener('submit', (event) => {
    event.preventDefault();
    location.assign(
      `/approver${query({ form: formSelect.value, period: periodInput.value.trim(), province: provinceInput?.value ?? null })}`,
    );
  });
  return el;
}

/** The details an approval refusal may carry (the cycle routes' 409 and 400 answers). */
interface RefusalDetail {
  pending?: { unit: string; name: string }[];
  unit?: string;
  name?: string;
  approved_by?: string | null;
  approved_at?: string | null;
  message?: { vi: string; en: string };
  reason?: string;
}

/** What an API refusal says, with the units it lists: those still open (409 APPROVAL_BLOCKED), the unit above (UNAPPROVAL_BLOCKED), or the fields to fix. */
function refusalDetails(error: unknown): Child {
  if (!(error instanceof ApiError) || error.details === undefined || error.details === null) return null;
  const d = error.details as RefusalDetail;
  if (error.code === 'TONGHOP_ERR_APPROVAL_BLOCKED' && Array.isArray(d.pending)) {
    return [
      h('p', null, ta('ap.blocked')),
      h(
        'ul',
        { class: 'pending' },
        d.pending.map((p) => h('li', null, `${p.name} (${p.unit})`)),
      ),
    ];
  }
  if (error.code === 'TONGHOP_ERR_UNAPPROVAL_BLOCKED')
    return h(
      'p',
      null,
      ta('ap.blockedAbove', { unit: `${d.name} (${d.unit})`, by: d.approved_by ?? '', at: fmtTime(d.approved_at) }),
    );
  if (Array.isArray(error.details))
    return h(
      'ul',
      null,
      (error.details as { path?: string; message?: string }[]).map((i) =>
        h('li', null, [i.path, i.message].filter(Boolean).join(': ')),
      ),
    );
  if (d.message && typeof d.message.vi === 'string') return h('p', null, pick(d.message));
  if (typeof d.reason === 'string') return h('p', null, d.reason);
  return null;
}

function noticeBox(): HTMLElement | null {
  if (!notice) return null;
  if ('ok' in notice)
    return h('div', { class: 'notice ok-notice', role: 'status', tabindex: -1, id: 'notice' }, h('p', null, notice.ok));
  return h(
    'div',
    { class: 'notice error', role: 'alert', tabindex: -1, id: 'notice' },
    h('p', null, errorText(notice.error)),
    refusalDetails(notice.error),
  );
}

/** Runs an action, then draws the page anew with what the API now says and moves focus to the outcome. */
async function act(run: () => Promise<unknown>, done: string): Promise<void> {
  try {
    await run();
    notice = { ok: done };
  } catch (error) {
    notice = { error };
  }
  await load().catch((error: unknown) =>
    fill(
      root,
      failure(error, () => location.reload()),
    ),
  );
  document.getElementById('notice')?.focus();
}

/**
 * A button whose action is kept with a reason: it asks for the reason (required or not), then runs
 * the action with it ('' when an optional one is left empty) unless the person cancels.
 */
function reasonButton(o: {
  text: string;
  label?: string;
  title: string;
  required: boolean;
  run: (reason: string) => Promise<unknown>;
  done: string;
}): HTMLElement {
  return h(
    'button',
    {
      type: 'button',
      class: 'small',
      'aria-label': o.label ?? null,
      onclick: async () => {
        const reason = await askReason({
          title: o.title,
          label: ta(o.required ? 'ap.reasonLabel' : 'ap.reasonOptional'),
          required: o.required,
          confirm: o.text,
          cancel: ta('ap.cancel'),
        });
        if (reason !== null) await act(() => o.run(reason), o.done);
      },
    },
    o.text,
  );
}

/** One of the page's sections: a card named by its heading. */
function card(id: string, ...content: Child[]): HTMLElement {
  const [title, ...rest] = content;
  return h('section', { class: 'card', 'aria-labelledby': `${id}-h` }, h('h2', { id: `${id}-h` }, title), ...rest);
}

function approvalOf(approvals: readonly Approval[], unit: Unit): Approval | undefined {
  return approvals.find((a) => a.level === unit.level && a.unit_code === unit.code);
}

function approvalState(a: Approval | undefined): Child {
  if (!a) return h('span', { class: 'muted' }, ta('ap.pending'));
  if (a.kind === 'missing')
    return h(
      'span',
      { class: 'warn-text' },
      ta('ap.missingBy', { reason: a.reason ?? '', by: a.approved_by_name, at: fmtTime(a.approved_at) }),
    );
  return h('span', { class: 'ok' }, '✓ ', ta('ap.approvedBy', { by: a.approved_by_name, at: fmtTime(a.approved_at) }));
}

function approvalButtons(period: string, unit: Unit, a: Approval | undefined, reported: boolean): Child {
  const target = { form, period, level: unit.level, unit: unit.code };
  const name = unitText(unit);
  if (a) {
    return reasonButton({
      text: ta('ap.unapprove'),
      label: ta('ap.unapproveLabel', { unit: name }),
      title: ta('ap.reasonTitle.unapprove', { unit: name }),
      required: true,
      run: (reason) => api('/v1/approvals', { method: 'DELETE', body: { ...target, reason } }),
      done: ta('ap.unapproveDone', { unit: name }),
    });
  }
  const approve = h(
    'button',
    {
      type: 'button',
      class: 'small primary',
      'aria-label': ta('ap.approveLabel', { unit: name }),
      onclick: () =>
        act(() => api('/v1/approvals', { method: 'POST', body: target }), ta('ap.approveDone', { unit: name })),
    },
    ta('ap.approve'),
  );
  if (unit.level !== 'commune') return approve;
  const missing = reasonButton({
    text: ta('ap.markMissing'),
    label: ta('ap.markMissingLabel', { unit: name }),
    title: ta('ap.reasonTitle.missing', { unit: name }),
    required: true,
    run: (reason) => api('/v1/approvals', { method: 'POST', body: { ...target, missing: true, reason } }),
    done: ta('ap.missingDone', { unit: name }),
  });
  // A commune without a report cannot be approved, only marked missing; one with a report may be either.
  return h('span', { class: 'button-row' }, reported ? approve : null, missing);
}

function reportCell(c: CommuneRate): Child {
  if (c.actual_reports === 0) return h('strong', { class: 'missing' }, ta('ap.reportNone'));
  if (c.actual_reports_on_time === 1) return h('span', { class: 'ok' }, ta('ap.reportOnTime'));
  return h('span', { class: 'warn-text' }, ta('ap.reportLate', { days: c.days_late ?? '?' }));
}

function summary(rates: Rates, lock: LockState, period: string): HTMLElement {
  const facts: [string, string][] = [
    [ta('ap.expected'), String(rates.expected_reports)],
    [ta('ap.actual'), String(rates.actual_reports)],
    [ta('ap.onTime'), String(rates.actual_reports_on_time)],
    [ta('ap.rate'), pct(rates.reporting_rate)],
    [ta('ap.rateOnTime'), pct(rates.reporting_rate_on_time)],
  ];
  const target = { form, period, province };
  const lockLine = lock.lock
    ? h(
        'p',
        { id: 'lock-state' },
        h('strong', null, ta('ap.locked', { by: lock.lock.locked_by_name, at: fmtTime(lock.lock.locked_at) })),
        ' ',
        reasonButton({
          text: ta('ap.doUnlock'),
          title: ta('ap.reasonTitle.unlock', { period: fmtPeriod(period) }),
          required: false,
          run: (reason) => api('/v1/locks', { method: 'DELETE', body: { ...target, ...(reason ? { reason } : {}) } }),
          done: ta('ap.unlockDone', { period: fmtPeriod(period), form }),
        }),
      )
    : h(
        'p',
        { id: 'lock-state' },
        ta('ap.unlocked'),
        ' ',
        h(
          'button',
          {
            type: 'button',
            onclick: () =>
              act(
                () => api('/v1/locks', { method: 'POST', body: target }),
                ta('ap.lockDone', { period: fmtPeriod(period), form }),
              ),
          },
          ta('ap.doLock'),
        ),
      );
  return card(
    'summary',
    [ta('ap.summary', { period: fmtPeriod(period), form }), ` · ${rates.unit_name}`],
    h(
      'dl',
      { class: 'facts', id: 'rates' },
      facts.map(([k, v]) => [h('dt', null, k), h('dd', null, v)]),
    ),
    h('h3', null, ta('ap.lock')),
    lockLine,
  );
}

function warningsByCommune(found: QualityWarnings): Warnings {
  const by = new Map<string, QualityWarning[]>();
  for (const w of found.warnings) by.set(w.commune, [...(by.get(w.commune) ?? []), w]);
  return by;
}

/** The analyst's page of the same warnings, each beside its history chart; at one commune's when named. */
function qualityHref(period: string, commune?: string): string {
  return `/quality${query({ form, period, province: user.level === 'admin' ? province : null })}${commune ? `#c-${commune}` : ''}`;
}

/** Above the approvals: how many warnings, in how many communes, so that none is approved unseen. */
function qualitySummary(warnings: Warnings, period: string): HTMLElement {
  const total = [...warnings.values()].reduce((n, list) => n + list.length, 0);
  if (total === 0) return h('p', { id: 'quality-summary', class: 'muted' }, ta('ap.qualityClear'));
  return h(
    'p',
    { id: 'quality-summary', class: 'notice' },
    h('span', { 'aria-hidden': 'true' }, '⚠ '),
    ta('ap.qualitySummary', { n: total, c: warnings.size }),
    ' ',
    h('a', { href: qualityHref(period) }, ta('ap.qualityLink')),
  );
}

/** A commune's warnings: their count, opening to what each says (the officer's words, in the page's language). */
function qualityCell(c: CommuneRate, warnings: Warnings, period: string): Child {
  const list = warnings.get(c.unit_code) ?? [];
  // No report, nothing to judge: a dash, not "none".
  if (list.length === 0) return h('span', { class: 'muted' }, c.actual_reports === 0 ? '—' : ta('ap.qualityNone'));
  return h(
    'details',
    { class: 'quality-details', 'data-warnings': list.length },
    h('summary', null, h('span', { 'aria-hidden': 'true' }, '⚠ '), ta('ap.qualityCount', { n: list.length })),
    h(
      'ul',
      null,
      list.map((w) => h('li', null, pick(w.message))),
    ),
    // The link's name begins with its visible words (WCAG 2.5.3), then names the commune for a screen reader's list of links.
    h(
      'a',
      {
        href: qualityHref(period, c.unit_code),
        'aria-label': ta('ap.qualityCommuneLink', { unit: unitText({ code: c.unit_code, name: c.unit_name }) }),
      },
      ta('ap.qualityLink'),
    ),
  );
}

function upperApprovals(rates: Rates, approvals: readonly Approval[], warnings: Warnings, period: string): HTMLElement {
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

function communeTable(rates: Rates, approvals: readonly Approval[], warnings: Warnings, period: string): HTMLElement {
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

function overPeriods(history: readonly (Rates | null)[], current: Rates): HTMLElement {
  const shown = history.filter((r): r is Rates => r !== null);
  const byPeriod = new Map(shown.map((r) => [r.period, new Map(r.communes.map((c) => [c.unit_code, c]))]));
  const cell = (c: CommuneRate | undefined): Child => {
    if (!c) return '';
    if (c.actual_reports === 0) return h('span', { class: 'missing' }, ta('ap.cellNone'));
    if (c.actual_reports_on_time === 1) return h('span', { class: 'ok' }, ta('ap.cellOnTime'));
    return h('span', { class: 'warn-text' }, ta('ap.cellLate', { days: c.days_late ?? '?' }));
  };
  return card(
    'periods',
    ta('ap.overPeriods'),
    simpleTable<Rates>(
      ta('ap.periodsCaption'),
      [
        { key: 'period', label: ta('ap.period'), rowHeader: true, cell: (r) => fmtPeriod(r.period) },
        { key: 'expected', label: ta('ap.expected'), numeric: true, cell: (r) => r.expected_reports },
        { key: 'actual', label: ta('ap.actual'), numeric: true, cell: (r) => r.actual_reports },
        { key: 'onTime', label: ta('ap.onTime'), numeric: true, cell: (r) => r.actual_reports_on_time },
        { key: 'rate', label: ta('ap.rate'), numeric: true, cell: (r) => pct(r.reporting_rate) },
        { key: 'rateOnTime', label: ta('ap.rateOnTime'), numeric: true, cell: (r) => pct(r.reporting_rate_on_time) },
      ],
      shown,
      { id: 'periods', stack: true },
    ),
    sortableTable<CommuneRate>({
      caption: ta('ap.matrixCaption'),
      id: 'matrix',
      stack: true,
      columns: [
        {
          key: 'commune',
          label: ta('ap.commune'),
          rowHeader: true,
          sortValue: (c) => c.unit_name,
          cell: (c) => unitText({ code: c.unit_code, name: c.unit_name }),
        },
        ...[...shown].reverse().map((r) => ({
          key: r.period,
          label: fmtPeriod(r.period),
          cell: (c: CommuneRate) => cell(byPeriod.get(r.period)?.get(c.unit_code)),
        })),
      ],
      rows: current.communes,
    }),
  );
}

function exceptionsSection(rates: Rates, exceptions: readonly LockException[], period: string): HTMLElement {
  const names = new Map(rates.communes.map((c) => [c.unit_code, c.unit_name]));
  const named = (code: string) => unitText({ code, name: names.get(code) ?? code });
  const communeSelect = h(
    'select',
    { id: 'exception-commune', name: 'commune', required: true },
    rates.communes.map((c) => h('option', { value: c.unit_code }, unitText({ code: c.unit_code, name: c.unit_name }))),
  );
  const until = h('input', { id: 'exception-until', name: 'until', type: 'date', required: true });
  const reason = h('textarea', {
    id: 'exception-reason',
    name: 'reason',
    rows: 2,
    required: true,
    minlength: 3,
    maxlength: 1000,
  });
  const grant = h(
    'form',
    { class: 'grid', 'aria-labelledby': 'grant-h' },
    h('h3', { id: 'grant-h' }, ta('ap.grant')),
    h('div', { class: 'field' }, h('label', { for: 'exception-commune' }, ta('ap.commune')), communeSelect),
    h('div', { class: 'field' }, h('label', { for: 'exception-until' }, ta('ap.until')), until),
    h('div', { class: 'field' }, h('label', { for: 'exception-reason' }, ta('ap.reason')), reason),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, ta('ap.grant'))),
  );
  grant.addEventListener('submit', (event) => {
    event.preventDefault();
    const commune = communeSelect.value;
    void act(
      () =>
        api('/v1/lock-exceptions', {
          method: 'POST',
          body: { form, period, commune, until: until.value, reason: reason.value.trim() },
        }),
      ta('ap.grantDone', { unit: named(commune), until: until.value }),
    );
  });
  const mine = exceptions.filter((e) => e.province_code === province);
  return card(
    'exceptions',
    ta('ap.exceptions'),
    h('p', { class: 'hint' }, ta('ap.exceptionsIntro')),
    mine.length === 0
      ? h('p', { id: 'no-exceptions' }, ta('ap.noExceptions'))
      : simpleTable<LockException>(
          ta('ap.exceptionsCaption', { period: fmtPeriod(period) }),
          [
            { key: 'commune', label: ta('ap.commune'), rowHeader: true, cell: (e) => named(e.commune_code) },
            { key: 'until', label: ta('ap.until'), cell: (e) => e.until },
            { key: 'reason', label: ta('ap.reason'), cell: (e) => e.reason },
            { key: 'by', label: ta('ap.grantedBy'), cell: (e) => `${e.granted_by_name} · ${fmtTime(e.granted_at)}` },
            {
              key: 'actions',
              label: ta('ap.actions'),
              cell: (e) =>
                reasonButton({
                  text: ta('ap.revoke'),
                  label: ta('ap.revokeLabel', { unit: named(e.commune_code) }),
                  title: ta('ap.reasonTitle.revoke', { unit: named(e.commune_code) }),
                  required: false,
                  run: (why) =>
                    api('/v1/lock-exceptions', {
                      method: 'DELETE',
                      body: { id: e.id, ...(why ? { reason: why } : {}) },
                    }),
                  done: ta('ap.revokeDone', { unit: named(e.commune_code) }),
                }),
            },
          ],
          mine,
          { id: 'exceptions', stack: true },
        ),
    grant,
  );
}

/** An audit row's action as a person reads it; an action this page does not know keeps its code. */
function actionLabel(action: string): string {
  const text = ta(`action.${action}` as MessageKey);
  return text === `action.${action}` ? action : text;
}

/** An audit row's subject in a line: its short plain values (not a file's hash), the period as people write it. */
function subjectText(subject: unknown): string {
  if (!subject || typeof subject !== 'object') return '';
  return Object.entries(subject as Record<string, unknown>)
    .filter(([, v]) => v !== null && v !== undefined && typeof v !== 'object' && String(v).length <= 48)
    .map(([k, v]) => `${k}: ${k === 'period' ? fmtPeriod(String(v)) : String(v)}`)
    .join(' · ');
}

function auditSection(): HTMLElement {
  const box = h('div', { id: 'audit-box' });
  const draw = () =>
    fill(
      box,
      auditEntries.length === 0
        ? h('p', null, ta('ap.auditNone'))
        : simpleTable<AuditEntry>(
            ta('ap.auditCaption'),
            [
              { key: 'when', label: ta('ap.when'), cell: (e) => fmtTime(e.at) },
              { key: 'who', label: ta('ap.who'), cell: (e) => e.actor_name },
              { key: 'what', label: ta('ap.what'), rowHeader: true, cell: (e) => actionLabel(e.action) },
              { key: 'about', label: ta('ap.details'), cell: (e) => subjectText(e.subject) },
              { key: 'reason', label: ta('ap.reason'), cell: (e) => e.reason ?? '' },
            ],
            auditEntries,
            { id: 'audit', stack: true },
          ),
      auditMore
        ? h(
            'button',
            {
              type: 'button',
              onclick: async (event: Event) => {
                const button = event.currentTarget as HTMLButtonElement;
                button.disabled = true;
                const older = await api<{ entries: AuditEntry[] }>(
                  `/v1/audit${query({ province, limit: auditPage, before: auditEntries.at(-1)?.id })}`,
                );
                auditEntries = [...auditEntries, ...older.entries];
                auditMore = older.entries.length === auditPage;
                draw();
              },
            },
            ta('ap.older'),
          )
        : null,
    );
  draw();
  return card('audit', ta('ap.audit'), box);
}

/** The rates of earlier periods for "over periods"; a period the hierarchy did not have yet is left out. */
async function history(period: string): Promise<(Rates | null)[]> {
  return Promise.all(
    periodsUpTo(period, periodsShown).map((p) =>
      api<Rates>(`/v1/reporting-rates${query({ form, period: p, level: 'province', unit: province })}`).catch(
        () => null,
      ),
    ),
  );
}

/** Everything the page shows of a period, asked for at once; the earlier periods too when the period is spelled canonically. */
function views(period: string) {
  const past = periodsUpTo(period, periodsShown).length > 1 ? history(period) : null;
  past?.catch(() => undefined);
  return Promise.all([
    api<Rates>(`/v1/reporting-rates${query({ form, period, level: 'province', unit: province })}`),
    api<{ approvals: Approval[] }>(`/v1/approvals${query({ form, period, province })}`),
    api<LockState>(`/v1/locks${query({ form, period, province })}`),
    api<{ exceptions: LockException[] }>(`/v1/lock-exceptions${query({ form, period })}`),
    api<{ entries: AuditEntry[] }>(`/v1/audit${query({ province, limit: auditPage })}`),
    api<QualityWarnings>(`/v1/quality${query({ form, period, province })}`),
    past,
  ]);
}

async function load(): Promise<void> {
  // When the address names the period, its data is asked for beside the list of periods: one round trip, not three, on a slow link.
  const given = params.get('period');
  const early = province && given && form ? views(given) : null;
  early?.catch(() => undefined);
  const { periods } = await api<{ periods: Period[] }>('/v1/periods');
  const known = [...new Set(periods.filter((p) => !province || p.province_code === province).map((p) => p.period))];
  const asked = given ?? known[0] ?? null;
  if (!province || !asked || !form) {
    fill(root, controls(known, asked), h('p', { class: 'notice' }, ta('ap.pick')));
    return;
  }
  const [rates, approvals, lock, exceptions, audit, quality, past] = await (early ?? views(asked));
  const warnings = warningsByCommune(quality);
  const period = rates.period;
  auditEntries = audit.entries;
  auditMore = audit.entries.length === auditPage;
  fill(
    root,
    controls(known, period),
    noticeBox(),
    summary(rates, lock, period),
    upperApprovals(rates, approvals.approvals, warnings, period),
    communeTable(rates, approvals.approvals, warnings, period),
    overPeriods((await past) ?? (await history(period)), rates),
    exceptionsSection(rates, exceptions.exceptions, period),
    auditSection(),
  );
}

load()
  .catch((error: unknown) =>
    fill(
      root,
      failure(error, () => location.reload()),
    ),
  )
  .finally(markReady);
